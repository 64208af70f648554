import Downloader
import Engines
import Foundation
import GalleryServer
import Pipeline
import SafeFiles
import SkeinTesting
import Testing
import NIOCore

/// The embedded gallery answers ranges and HEAD the way real clients expect, and Skein resumes
/// a body cut short instead of starting over.
@Suite("Ranges: resuming bodies cut short")
struct RangeTests {
    /// Runs a command line tool; its exit status, stdout and stderr.
    static func tool(_ path: String, _ arguments: [String]) async throws -> SkeinExecutable.Run {
        try await SkeinExecutable.run(tool: path, arguments)
    }

    static func installed(_ name: String) -> String? {
        ["/usr/bin/", "/usr/local/bin/"].map { $0 + name }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    @Test("curl: a range gets 206 with those bytes, past the end 416, HEAD the headers of GET, a stale If-Range the whole file")
    func curlRanges() async throws {
        let curl = try #require(Self.installed("curl"), "curl is needed (make test installs it)")
        try await TestGallery.with(items: 4) { url, server in
            try await TemporaryFolder.with { folder in
                let image = try #require(server.corpus.images.first)
                let whole = Array(image.bytes.readableBytesView)
                let link = url + "/" + image.fileName
                let part = folder + "/part"
                let ranged = try await Self.tool(curl, ["-s", "-r", "100-199", "-o", part, "-w", "%{http_code}", "-D", folder + "/h", link])
                #expect(ranged.stdout == "206")
                #expect(Array(try Data(contentsOf: URL(fileURLWithPath: part))) == Array(whole[100...199]))
                let headers = try String(contentsOfFile: folder + "/h", encoding: .utf8).lowercased()
                #expect(headers.contains("content-range: bytes 100-199/\(whole.count)"))
                #expect(headers.contains("accept-ranges: bytes") && headers.contains("etag:"))

                let past = try await Self.tool(curl, ["-s", "-r", "\(whole.count + 10)-", "-o", "/dev/null", "-w", "%{http_code}", link])
                #expect(past.stdout == "416")

                let head = try await Self.tool(curl, ["-s", "-I", link])
                #expect(head.stdout.hasPrefix("HTTP/1.1 200"))
                #expect(head.stdout.lowercased().contains("content-length: \(whole.count)"))

                let stale = try await Self.tool(curl, ["-s", "-r", "0-9", "-H", "If-Range: \"not-the-etag\"", "-o", part, "-w", "%{http_code}", link])
                #expect(stale.stdout == "200")
                #expect(Array(try Data(contentsOf: URL(fileURLWithPath: part))) == whole)
            }
        }
    }

    @Test("aria2c continues a half-downloaded file with a range and ends with the served bytes")
    func aria2Continue() async throws {
        let aria2c = try #require(Self.installed("aria2c"), "aria2c is needed (make test installs it)")
        // aria2c resumes in whole pieces of 1 MiB: one large PNG, more than half of it on disk.
        let spec = CorpusSpec(items: 1, seed: 5, jpegWidths: 640...640, pngWidths: 1800...1800, gifWidths: 100...100,
                              pngShare: 1, gifShare: 0, albumShare: 0)
        let server = GalleryServer(corpus: try await TestCorpus.load(spec), options: ServerOptions())
        try await server.withRunning { url in
            try await TemporaryFolder.with { folder in
                let image = try #require(server.corpus.images.first)
                let whole = Array(image.bytes.readableBytesView)
                try #require(whole.count > 2 << 20, "the PNG is \(whole.count) bytes; aria2c resumes only past 1 MiB")
                try Data(whole[..<(whole.count * 3 / 4)]).write(to: URL(fileURLWithPath: folder + "/" + image.fileName))
                let run = try await Self.tool(aria2c, ["-q", "-c", "-d", folder, "-o", image.fileName, url + "/" + image.fileName])
                #expect(run.status == 0, "\(run.stderr)")
                #expect(Array(try Data(contentsOf: URL(fileURLWithPath: folder + "/" + image.fileName))) == whole)
                #expect(server.stats.rangedRequestCount >= 1, "aria2c asked for the rest with a range")
            }
        }
    }

    @Test("bodies cut short are resumed with Range: every retry asks only for the rest, and every file ends byte-identical")
    func resumeCutBodies() async throws {
        let faults = FaultOptions(truncateRate: 0.5, seed: 3)
        try await TestGallery.with(items: 24, options: ServerOptions(faults: faults)) { url, server in
            try await TemporaryFolder.with { out in
                let links = try await FetchTests.gallerySource(url, limit: 1000).load()
                let policy = DownloadPolicy(retries: 12, backoffMilliseconds: 5, readTimeout: 5, requestTimeout: 30)
                let report = try await ClientThreads.run {
                    try await Fetch(output: out, engine: Engine(.async, workers: 6), policy: policy).run(links)
                }
                #expect(report.failed.isEmpty, "\(report.failed.map { $0.error?.message ?? "" })")
                #expect((server.stats.faultsInjected[.truncate] ?? 0) > 0)
                // A cut that delivered no byte (the connection closed before any arrived, a
                // timeout before the headers) leaves nothing to resume; every other retry must
                // ask for the rest only, and the server must have answered those with 206.
                let resumed = report.items.reduce(0) { $0 + ($1.resumed ?? 0) }
                let restarted = report.items.reduce(0) { $0 + ($1.restarted ?? 0) }
                #expect(resumed > 0)
                #expect(restarted == 0, "bytes that had arrived were fetched again")
                // (A 206 whose headers came too late for the client is counted by the server only.)
                #expect(server.stats.rangedRequestCount >= resumed, "every resume Skein counted was a 206 from the server")
                #expect(server.stats.mediaRequestCount >= links.links.count + resumed)
                for item in report.items {
                    let file = try #require(item.file)
                    let image = try #require(server.corpus.image(fileName: file))
                    #expect(Array(try Data(contentsOf: URL(fileURLWithPath: out + "/" + file))) == Array(image.bytes.readableBytesView))
                }
                let left = try FileManager.default.contentsOfDirectory(atPath: out).filter(StagedFile.isTemporaryName)
                #expect(left.isEmpty, "temporary files left behind: \(left)")
            }
        }
    }
}
