import SafeFiles

extension MediaResponder {
    /// A whole, valid PNG of a few dozen bytes whose header declares 50,000 × 50,000 RGB pixels
    /// (7.5 GB decoded): what a decompression bomb looks like to a client that trusts headers.
    static let bomb: [UInt8] = {
        func chunk(_ type: String, _ data: [UInt8]) -> [UInt8] {
            let body = Array(type.utf8) + data
            let crc = body.withUnsafeBytes { CRC32.of($0).value }
            return be32(UInt32(data.count)) + body + be32(crc)
        }
        func be32(_ value: UInt32) -> [UInt8] { [UInt8(value >> 24), UInt8(value >> 16 & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF)] }
        let header = be32(50_000) + be32(50_000) + [8, 2, 0, 0, 0]
        let emptyZlib: [UInt8] = [0x78, 0x9C, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01]
        return [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + chunk("IHDR", header) + chunk("IDAT", emptyZlib) + chunk("IEND", [])
    }()
}
