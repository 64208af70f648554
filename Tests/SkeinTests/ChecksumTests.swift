import Crypto
import Downloader
import Foundation
import SafeFiles
import SkeinTesting
import Testing

@Suite("Checksums and the manifest")
struct ChecksumTests {
    @Test("CRC-32 gives the standard check value, in one piece or many")
    func crc32() {
        let text = Array("123456789".utf8)
        #expect(text.withUnsafeBytes { CRC32.of($0) }.hex == "cbf43926")
        let data = (0..<100_000).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        var pieces = CRC32()
        for start in stride(from: 0, to: data.count, by: 4096) {
            data[start..<min(start + 4096, data.count)].withUnsafeBytes { pieces.update($0) }
        }
        #expect(pieces == data.withUnsafeBytes { CRC32.of($0) })
        var changed = data
        changed[50_000] ^= 1
        #expect(changed.withUnsafeBytes { CRC32.of($0) } != pieces)
    }

    @Test("manifest lines are checked by CRC-32, and older lines by their SHA-256")
    func manifestChecks() async throws {
        try await TemporaryFolder.with { folder in
            let bytes = (0..<5_000).map { UInt8(truncatingIfNeeded: $0 &* 7) }
            _ = FileManager.default.createFile(atPath: folder + "/a.jpg", contents: Data(bytes))
            let manifest = Manifest(folder: folder)
            let crc = bytes.withUnsafeBytes { CRC32.of($0) }.hex
            let current = Manifest.Entry(id: "a", url: "http://x/a.jpg", file: "a.jpg", bytes: bytes.count, crc32: crc)
            var legacy = current
            legacy.crc32 = nil
            legacy.sha256 = SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined()
            #expect(manifest.check(current) == .intact)
            #expect(manifest.check(legacy) == .intact)
            var damaged = bytes
            damaged[100] ^= 0xFF
            _ = FileManager.default.createFile(atPath: folder + "/a.jpg", contents: Data(damaged))
            #expect(manifest.check(current) == .corrupt("its CRC-32 no longer matches"))
            #expect(manifest.check(legacy) == .corrupt("its SHA-256 no longer matches"))
            try FileManager.default.removeItem(atPath: folder + "/a.jpg")
            #expect(manifest.check(current) == .missing)
        }
    }
}
