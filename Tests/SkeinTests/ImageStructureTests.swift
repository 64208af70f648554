import Foundation
import GalleryServer
import NIOCore
import SafeFiles
import SkeinTesting
import Testing

/// The structural check a download passes before it gets a final name.
@Suite("Image structure: only complete, sane images are kept")
struct ImageStructureTests {
    static func check(_ bytes: [UInt8], _ kind: ImageKind, maxPixels: Int = 100_000_000) -> Result<Int, ImageStructure.Problem> {
        bytes.withUnsafeBytes { raw in
            Result { () throws(ImageStructure.Problem) -> Int in
                let size = try ImageStructure.check(raw, as: kind, maxPixels: maxPixels)
                return size.width * size.height
            }
        }
    }

    static func isCorrupt(_ result: Result<Int, ImageStructure.Problem>) -> Bool {
        if case .failure(.corrupt) = result { return true }
        return false
    }

    @Test("every image the gallery makes passes, with the size its header says; cut in half, each fails as corrupt")
    func corpus() async throws {
        let corpus = try await TestCorpus.load(.small(items: 30, seed: 9))
        var kinds = Set<ImageKind>()
        for image in corpus.images {
            let bytes = Array(image.bytes.readableBytesView)
            let kind = try #require(ImageKind.sniff(bytes))
            kinds.insert(kind)
            #expect((try? Self.check(bytes, kind).get()) == image.width * image.height, "\(image.fileName)")
            #expect(Self.isCorrupt(Self.check(Array(bytes.prefix(bytes.count / 2)), kind)), "\(image.fileName) cut in half")
            #expect(Self.isCorrupt(Self.check(Array(bytes.prefix(bytes.count - 1)), kind)), "\(image.fileName) without its last byte")
        }
        #expect(kinds == [.jpeg, .png, .gif])
    }

    @Test("a PNG with one byte changed fails its CRC; the 50,000 × 50,000 bomb is refused by its header")
    func pngChecks() async throws {
        let corpus = try await TestCorpus.load(.small(items: 30, seed: 9))
        let png = try #require(corpus.images.first { ImageKind.sniff(Array($0.bytes.readableBytesView)) == .png })
        var bytes = Array(png.bytes.readableBytesView)
        bytes[bytes.count / 2] ^= 0x01
        guard case .failure(.corrupt(let why)) = Self.check(bytes, .png) else { Issue.record("a flipped byte passed"); return }
        #expect(why.contains("CRC"))
        let bomb = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + Self.chunk("IHDR", Self.be32(50_000) + Self.be32(50_000) + [8, 2, 0, 0, 0])
            + Self.chunk("IDAT", [0x78, 0x9C, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01]) + Self.chunk("IEND", [])
        #expect(Self.check(bomb, .png) == .failure(.tooManyPixels(width: 50_000, height: 50_000, limit: 100_000_000)))
        #expect((try? Self.check(bomb, .png, maxPixels: 3_000_000_000).get()) == 2_500_000_000)
    }

    @Test("hostile headers: zero sizes, no frame before the scan, garbage after the signature, unknown GIF blocks")
    func hostile() {
        #expect(Self.isCorrupt(Self.check([0xFF, 0xD8, 0xFF, 0xDA, 0x00, 0x02, 0xFF, 0xD9], .jpeg)))
        #expect(Self.isCorrupt(Self.check([0xFF, 0xD8, 0xFF, 0xC0, 0x00, 0x11, 8, 0, 0, 0, 0, 3] + Array(repeating: 0, count: 9) + [0xFF, 0xD9], .jpeg)))
        #expect(Self.isCorrupt(Self.check([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0xFF, 0xFF, 0xFF, 0xFF], .png)))
        #expect(Self.isCorrupt(Self.check(Array("GIF89a".utf8) + [1, 0, 1, 0, 0, 0, 0, 0x99, 0x3B], .gif)))
        #expect((try? Self.check(Array("GIF89a".utf8) + [1, 0, 1, 0, 0, 0, 0, 0x3B], .gif).get()) == 1)
        #expect(Self.isCorrupt(Self.check([], .jpeg)) && Self.isCorrupt(Self.check([], .png)) && Self.isCorrupt(Self.check([], .gif)))
    }

    static func be32(_ value: UInt32) -> [UInt8] { [UInt8(value >> 24), UInt8(value >> 16 & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF)] }
    static func chunk(_ type: String, _ data: [UInt8]) -> [UInt8] {
        let body = Array(type.utf8) + data
        return be32(UInt32(data.count)) + body + be32(body.withUnsafeBytes { CRC32.of($0).value })
    }
}
