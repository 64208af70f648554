import CLibdeflate

/// A running CRC-32 (the zlib/PNG polynomial) over a file's bytes, computed by libdeflate at
/// about 15 GB/s here: what the download manifest uses to tell an intact file from a damaged
/// one. (SHA-256, at 1.5 GB/s with the CPU's SHA instructions, held up a 64-connection fetch
/// by about 12 %; nothing here needs a cryptographic hash.)
package struct CRC32: Sendable, Hashable {
    package private(set) var value: UInt32 = 0

    package init() {}

    package mutating func update(_ bytes: UnsafeRawBufferPointer) {
        guard let base = bytes.baseAddress, bytes.count > 0 else { return }
        value = libdeflate_crc32(value, base, bytes.count)
    }

    /// Eight lowercase hex digits.
    package var hex: String {
        let digits = Array("0123456789abcdef".utf8)
        var text = [UInt8](repeating: 0, count: 8)
        for i in 0..<8 { text[i] = digits[Int((value >> UInt32(28 - 4 * i)) & 0xF)] }
        return String(decoding: text, as: UTF8.self)
    }

    /// The CRC-32 of `bytes`.
    package static func of(_ bytes: UnsafeRawBufferPointer) -> CRC32 {
        var crc = CRC32()
        crc.update(bytes)
        return crc
    }
}
