import NIOCore
import NIOHTTP1
import Downloader
import Engines
import Foundation
import GalleryServer
import ImgurAPI
import Pipeline
import SafeFiles
import SkeinTesting
import Testing

@Suite("Fetch against the embedded gallery")
struct FetchTests {
    static func gallerySource(_ url: String, limit: Int, albums: LinkExtractor.AlbumPolicy = .expand,
                              types: Set<String> = ["jpeg", "png", "gif"]) -> LinkSource {
        .api(base: url, clientID: ClientID("test-client"), sources: [.gallery(section: "hot", sort: "viral", window: "day")],
             limit: limit, extractor: LinkExtractor(types: types, albums: albums))
    }

    @Test("every image arrives byte-identical, albums expanded, typeless items included")
    func fetchWholeGallery() async throws {
        try await TestGallery.with(items: 40) { url, server in
            try await TemporaryFolder.with { out in
                let links = try await Self.gallerySource(url, limit: 1000).load()
                #expect(links.links.count == server.corpus.images.count)
                let report = try await Fetch(output: out, engine: Engine(.async, workers: 8)).run(links)
                #expect(report.failed.isEmpty)
                #expect(report.items.count == server.corpus.images.count)
                for item in report.items {
                    let image = try #require(server.corpus.image(id: item.id ?? ""))
                    #expect(item.file == image.fileName)
                    let same = bytes(of: out + "/" + image.fileName) == Array(image.bytes.readableBytesView)
                    #expect(same, "\(image.fileName) differs from the served file")
                }
                #expect(TemporaryFiles.list(in: out).isEmpty)
                // Typeless items and album members are among them.
                #expect(server.corpus.images.contains { $0.typeless })
            }
        }
    }

    @Test("albums skipped on request; the limit is respected")
    func albumsSkippedAndLimit() async throws {
        try await TestGallery.with(items: 40) { url, server in
            let singles = server.corpus.entries.filter { if case .image = $0 { true } else { false } }.count
            let skipping = try await Self.gallerySource(url, limit: 1000, albums: .skip).load()
            #expect(skipping.links.count == singles)
            #expect(skipping.skipped.filter { $0.item.hasPrefix("album") }.count == server.corpus.entries.count - singles)
            let limited = try await Self.gallerySource(url, limit: 5).load()
            #expect(limited.links.count == 5)
        }
    }

    @Test("a second fetch into the same folder finds everything already there and rewrites nothing")
    func rerunIsIdempotent() async throws {
        try await TestGallery.with { url, server in
            try await TemporaryFolder.with { out in
                let links = try await Self.gallerySource(url, limit: 100).load()
                let first = try await Fetch(output: out, engine: Engine(.async, workers: 4)).run(links)
                let files = TemporaryFolder.files(in: out)
                let second = try await Fetch(output: out, engine: Engine(.threads, workers: 4)).run(links)
                #expect(first.items.allSatisfy { $0.status == .downloaded })
                #expect(second.items.allSatisfy { $0.status == .alreadyPresent })
                #expect(TemporaryFolder.files(in: out) == files)
            }
        }
    }

    @Test("--links: one URL a line, comments and duplicates ignored")
    func linksFile() async throws {
        try await TestGallery.with { url, server in
            try await TemporaryFolder.with { out in
                let images = server.corpus.images.prefix(3).map { url + "/" + $0.fileName }
                let list = out + "/links.txt"
                try "# my list\n\(images[0])\n\n\(images[1])\n\(images[0])\n\(images[2])\n".write(toFile: list, atomically: true, encoding: .utf8)
                let links = try await LinkSource.file(path: list, limit: nil).load()
                #expect(links.links.map(\.url) == images)
                #expect(links.skipped.count == 1)
                let report = try await Fetch(output: out + "/got", engine: Engine(.gcd, workers: 2)).run(links)
                #expect(report.failed.isEmpty)
                for image in server.corpus.images.prefix(3) {
                    #expect(bytes(of: out + "/got/" + image.fileName) == Array(image.bytes.readableBytesView))
                }
            }
        }
    }

    @Test("without a Client-ID the API refuses, and the run says so as a configuration error")
    func missingClientID() async throws {
        try await TestGallery.with { url, _ in
            let source = LinkSource.api(base: url, clientID: nil, sources: [.random], limit: 5, extractor: LinkExtractor())
            do throws(PipelineError) {
                _ = try await source.load()
                Issue.record("expected a failure")
            } catch {
                #expect(error.code == .configuration)
                #expect(error.message.contains("403"))
                #expect(error.message.contains("Client-ID"))
            }
        }
    }

    @Test("hostile link names stay inside the output folder and never overwrite")
    func hostileLinks() async throws {
        let corpus = try await TestCorpus.load(.small(items: 12, seed: 7))
        let jpeg = try #require(corpus.images.first { $0.kind == .jpeg })
        let body = Array(jpeg.bytes.readableBytesView)
        try await AnyPathServer.with(body: body) { url in
            try await TemporaryFolder.with { parent in
                let out = parent + "/out"
                try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
                _ = FileManager.default.createFile(atPath: out + "/dup.jpg", contents: Data("precious".utf8))
                let paths = ["/a/../../etc/passwd.jpg", "/x/%2F..%2F..%2Fescape.jpg", "/pic.jpg?name=../../evil",
                             "/pic.jpg#frag", "/", "/" + String(repeating: "n", count: 300) + ".jpg", "/dup.jpg",
                             "/dup.jpg?again", "/.hidden.jpg", "/%2E%2E"]
                let links = LinkSource.Links(links: paths.map { ImageLink(id: nil, url: url + $0, type: nil, source: "test") },
                                             skipped: [], description: "test", apiRequests: 0, rateLimit: nil, seconds: 0)
                let report = try await Fetch(output: out, engine: Engine(.threads, workers: 4)).run(links)
                #expect(report.failed.isEmpty, "\(report.failed.map { $0.error?.message ?? "" })")
                let names = TemporaryFolder.files(in: out).filter { $0 != Manifest.fileName }
                #expect(FileManager.default.fileExists(atPath: out + "/" + Manifest.fileName))
                #expect(TemporaryFolder.files(in: parent) == ["out"]) // nothing escaped
                #expect(bytes(of: out + "/dup.jpg") == Array("precious".utf8))
                for name in names {
                    #expect(!name.hasPrefix(".") && !name.contains("/") && name.utf8.count <= SafeName.maxStemLength + 8)
                    var isDirectory: ObjCBool = false
                    #expect(FileManager.default.fileExists(atPath: out + "/" + name, isDirectory: &isDirectory) && !isDirectory.boolValue)
                }
                // Every report item names a file holding the served bytes.
                for item in report.items {
                    let same = bytes(of: out + "/" + (item.file ?? "?")) == body
                    #expect(same, "\(item.item) → \(item.file ?? "no file")")
                }
                #expect(Set(report.items.compactMap(\.file)).count >= 8)
            }
        }
    }

    @Test("a body that is not an image fails with the reason and leaves nothing behind")
    func notAnImage() async throws {
        try await AnyPathServer.with(body: Array("<!DOCTYPE html><html>gone</html>".utf8)) { url in
            try await TemporaryFolder.with { out in
                let links = LinkSource.Links(links: [ImageLink(id: "abc", url: url + "/abc.jpg", type: "image/jpeg", source: "t")],
                                             skipped: [], description: "t", apiRequests: 0, rateLimit: nil, seconds: 0)
                let report = try await Fetch(output: out, engine: Engine(.async, workers: 1)).run(links)
                let failure = try #require(report.items.first?.error)
                #expect(failure.code == "not-an-image")
                #expect(failure.message.contains("HTML"))
                #expect(failure.message.contains(url + "/abc.jpg"))
                #expect(TemporaryFolder.files(in: out).isEmpty)
                #expect(report.exitStatus == .someFailed)
            }
        }
    }

    @Test("links with other schemes are refused before any request")
    func badSchemes() async throws {
        try await TemporaryFolder.with { out in
            let urls = ["file:///etc/passwd", "ftp://example.com/a.jpg", "javascript:alert(1)", "not a url"]
            let links = LinkSource.Links(links: urls.map { ImageLink(id: nil, url: $0, type: nil, source: "t") },
                                         skipped: [], description: "t", apiRequests: 0, rateLimit: nil, seconds: 0)
            let report = try await Fetch(output: out, engine: Engine(.sequential, workers: 1)).run(links)
            #expect(report.items.allSatisfy { $0.error?.code == "bad-link" })
            #expect(TemporaryFolder.files(in: out).isEmpty)
        }
    }
}
