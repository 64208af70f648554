import NIOCore
import NIOHTTP1
import Engines
import Foundation
import GalleryServer
import Pipeline
import SafeFiles
import SkeinTesting
import Testing
import Thumbnailer

@Suite("Thumbnails")
struct ThumbnailTests {
    /// Writes the first `count` images of a small corpus into `folder`.
    static func seed(_ folder: String, count: Int = 20) async throws -> [CorpusImage] {
        let corpus = try await TestCorpus.load(.small(items: 40, seed: 7))
        let images = Array(corpus.images.prefix(count))
        try images.write(to: folder)
        return images
    }

    @Test("every thumbnail fits the box with the original's aspect ratio", arguments: [EngineKind.threads, .async, .gcd])
    func fitInBox(engine: EngineKind) async throws {
        try await TemporaryFolder.with { folder in
            let images = try await Self.seed(folder)
            let spec = ThumbnailSpec(width: 64, height: 48)
            let report = try await Thumbs(thumbnailer: Thumbnailer(spec: spec), engine: Engine(engine, workers: 2)).run(folder: folder)
            #expect(report.failed.isEmpty)
            #expect(report.items.count == images.count)
            for image in images {
                let path = folder + "/" + Thumbnailer.thumbnailName(for: image.fileName)
                let probe = try ImageProbe(path: path)
                #expect(probe.width <= 64 && probe.height <= 48)
                // One side touches the box; the other keeps the ratio (within rounding).
                #expect(probe.width == 64 || probe.height == 48)
                let expectedHeight = Double(probe.width) * Double(image.height) / Double(image.width)
                #expect(abs(expectedHeight - Double(probe.height)) <= 1.0, "\(image.fileName): \(probe.width)x\(probe.height) from \(image.width)x\(image.height)")
                #expect(ImageKind.sniff(bytes(of: path) ?? [])?.rawValue == image.kind.rawValue)
            }
        }
    }

    @Test("small images are never enlarged")
    func neverEnlarged() async throws {
        try await TemporaryFolder.with { folder in
            let images = try await Self.seed(folder, count: 3)
            let report = try await Thumbs(thumbnailer: Thumbnailer(spec: ThumbnailSpec(width: 4000, height: 4000)),
                                          engine: Engine(.sequential, workers: 1)).run(folder: folder)
            #expect(report.failed.isEmpty)
            for image in images {
                let probe = try ImageProbe(path: folder + "/" + Thumbnailer.thumbnailName(for: image.fileName))
                #expect(probe.width == image.width && probe.height == image.height)
            }
        }
    }

    @Test("a second run doesn't make thumbnails of thumbnails")
    func noThumbnailOfThumbnail() async throws {
        try await TemporaryFolder.with { folder in
            let images = try await Self.seed(folder, count: 5)
            let thumbs = Thumbs(thumbnailer: Thumbnailer(), engine: Engine(.threads, workers: 2))
            _ = try await thumbs.run(folder: folder)
            let second = try await thumbs.run(folder: folder)
            #expect(second.items.count == images.count)
            let names = TemporaryFolder.files(in: folder)
            #expect(names.count == images.count * 2)
            #expect(!names.contains { $0.contains("_thumbnail_thumbnail") })
        }
    }

    @Test("corrupt and non-image files fail one by one with a clear line; the rest succeed")
    func badInputs() async throws {
        try await TemporaryFolder.with { folder in
            let images = try await Self.seed(folder, count: 4)
            let jpeg = try #require(images.first { $0.kind == .jpeg })
            let full = Array(jpeg.bytes.readableBytesView)
            _ = FileManager.default.createFile(atPath: folder + "/empty.jpg", contents: Data())
            _ = FileManager.default.createFile(atPath: folder + "/notes.png", contents: Data("just some text\n".utf8))
            _ = FileManager.default.createFile(atPath: folder + "/page.gif", contents: Data("<html><body>404</body></html>".utf8))
            _ = FileManager.default.createFile(atPath: folder + "/truncated.jpg", contents: Data(full.prefix(full.count / 3)))
            _ = FileManager.default.createFile(atPath: folder + "/garbage.jpg", contents: Data([0xFF, 0xD8, 0xFF, 0xE0] + Array(repeating: 0x42, count: 500)))
            let report = try await Thumbs(thumbnailer: Thumbnailer(), engine: Engine(.threads, workers: 2)).run(folder: folder)
            let failures = Dictionary(uniqueKeysWithValues: report.failed.map { (($0.item as NSString).lastPathComponent, $0.error!) })
            #expect(failures["empty.jpg"]?.code == "empty-file")
            #expect(failures["notes.png"]?.code == "not-an-image")
            #expect(failures["page.gif"]?.message.contains("HTML") == true)
            #expect(failures["truncated.jpg"]?.code == "corrupt-image")
            #expect(failures["garbage.jpg"]?.code == "corrupt-image")
            #expect(failures.count == 5)
            for (name, failure) in failures { #expect(failure.message.contains(name) && !failure.message.contains("\n")) }
            #expect(report.succeeded == images.count)
            #expect(report.exitStatus == .someFailed)
            #expect(TemporaryFiles.list(in: folder).isEmpty)
            #expect(!FileManager.default.fileExists(atPath: folder + "/truncated_thumbnail.jpg"))
        }
    }

    @Test("a decompression bomb is refused before decoding")
    func pixelLimit() async throws {
        try await TemporaryFolder.with { folder in
            _ = try await Self.seed(folder, count: 2)
            let report = try await Thumbs(thumbnailer: Thumbnailer(spec: ThumbnailSpec(width: 128, height: 128, maxPixels: 1_000)),
                                          engine: Engine(.threads, workers: 2)).run(folder: folder)
            #expect(report.failed.count == 2)
            #expect(report.failed.allSatisfy { $0.error?.code == "too-many-pixels" && $0.error!.message.contains("--max-pixels") })
        }
    }

    @Test("--thumbs-out puts thumbnails in another folder")
    func otherFolder() async throws {
        try await TemporaryFolder.with { folder in
            let images = try await Self.seed(folder, count: 3)
            let out = folder + "/thumbs"
            let report = try await Thumbs(thumbnailer: Thumbnailer(outputDirectory: out), engine: Engine(.pool, workers: 2)).run(folder: folder)
            #expect(report.failed.isEmpty)
            #expect(TemporaryFolder.files(in: out) == images.map { Thumbnailer.thumbnailName(for: $0.fileName) }.sorted())
        }
    }
}
