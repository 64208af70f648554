import NIOCore
import NIOHTTP1
import Foundation
import GalleryServer
import Pipeline
import SkeinTesting
import Testing

@Suite("The skein command")
struct CLITests {
    static var baseEnvironment: [String: String] {
        var environment = ProcessInfo.processInfo.environment
        environment.removeValue(forKey: "IMGUR_CLIENT_ID")
        return environment
    }

    @Test("--help lists the subcommands and exits 0")
    func help() async throws {
        let run = try await SkeinExecutable.run(["--help"])
        #expect(run.status == 0)
        for command in ["demo", "serve", "fetch", "thumbs", "job"] { #expect(run.stdout.contains(command)) }
        #expect(!run.stdout.contains("worker"))
    }

    @Test("usage errors exit 2 with a message", arguments: [
        ["fetch", "--workers", "0"], ["thumbs"], ["fetch", "--gallery", "hot/sideways/day", "--links", "x"],
        ["fetch", "--types", "bmp"], ["nonsense"],
    ])
    func usageErrors(arguments: [String]) async throws {
        let run = try await SkeinExecutable.run(arguments, environment: Self.baseEnvironment)
        #expect(run.status == ExitStatus.usage.rawValue, "\(run.stderr)")
        #expect(!run.stderr.isEmpty)
    }

    @Test("out-of-range values are usage errors naming the option, checked before any work", arguments: [
        (["demo", "--fetch-workers", "0"], "--fetch-workers"), (["demo", "--thumb-workers", "-1"], "--thumb-workers"),
        (["serve", "--port", "70000"], "--port"), (["fetch", "--api-base", "notaurl"], "--api-base"),
        (["run", "--timeout", "nan"], "--timeout"), (["fetch", "--retries", "99"], "--retries"),
        (["serve", "--fail-rate", "nan"], "--fail-rate"), (["bench", "--workers", "1,0"], "--workers"),
        (["lab", "race", "--threads", "0"], "--threads"), (["thumbs", "x", "--max-pixels", "0"], "--max-pixels"),
    ])
    func rangeErrors(arguments: [String], option: String) async throws {
        let run = try await SkeinExecutable.run(arguments, environment: Self.baseEnvironment)
        #expect(run.status == ExitStatus.usage.rawValue, "\(arguments): \(run.stderr)")
        #expect(run.stderr.contains(option), "\(arguments): \(run.stderr)")
        #expect(!run.stderr.contains("Fatal error"), "a usage error, not a crash")
    }

    @Test("fetch without a Client-ID exits 2 and says what to do")
    func noClientID() async throws {
        try await TestGallery.with { url, _ in
            let run = try await SkeinExecutable.run(["fetch", "--api-base", url, "--out", "/tmp/skein-never"], environment: Self.baseEnvironment)
            #expect(run.status == ExitStatus.usage.rawValue)
            #expect(run.stderr.contains("IMGUR_CLIENT_ID"))
        }
    }

    @Test("fetch, then thumbs, through the real binary; the Client-ID never appears anywhere")
    func fetchAndThumbs() async throws {
        let secret = "cl13nt-s3cr3t-\(UUID().uuidString.prefix(6))"
        try await TestGallery.with(items: 12) { url, server in
            try await TemporaryFolder.with { folder in
                var environment = Self.baseEnvironment
                environment["IMGUR_CLIENT_ID"] = secret
                let fetch = try await SkeinExecutable.run(["fetch", "--api-base", url, "--limit", "100", "--out", folder + "/img",
                                                     "--json", folder + "/fetch.json", "--workers", "4"], environment: environment)
                #expect(fetch.status == 0, "\(fetch.stderr)")
                #expect(fetch.stdout.contains("Fetched \(server.corpus.images.count) images"))
                let thumbs = try await SkeinExecutable.run(["thumbs", folder + "/img", "--json", folder + "/thumbs.json"], environment: environment)
                #expect(thumbs.status == 0, "\(thumbs.stderr)")
                #expect(thumbs.stdout.contains("Thumbnails: \(server.corpus.images.count)"))
                let report = try RunReport.read(from: folder + "/fetch.json")
                #expect(report.items.count == server.corpus.images.count)
                let everything = [fetch.stdout, fetch.stderr, thumbs.stdout, thumbs.stderr,
                                  try String(contentsOfFile: folder + "/fetch.json", encoding: .utf8),
                                  try String(contentsOfFile: folder + "/thumbs.json", encoding: .utf8)].joined()
                #expect(!everything.contains(secret))
            }
        }
    }

    @Test("thumbs with a corrupt file exits 1 and names it")
    func thumbsFailureExit() async throws {
        try await TemporaryFolder.with { folder in
            _ = FileManager.default.createFile(atPath: folder + "/broken.jpg", contents: Data("not a jpeg".utf8))
            let run = try await SkeinExecutable.run(["thumbs", folder])
            #expect(run.status == ExitStatus.someFailed.rawValue)
            #expect(run.stdout.contains("broken.jpg"))
            #expect(run.stdout.contains("not an image"))
        }
    }

    @Test("demo runs end to end, offline")
    func demo() async throws {
        try await TemporaryFolder.with { folder in
            let run = try await SkeinExecutable.run(["demo", "--items", "10", "--small", "--out", folder + "/images"])
            #expect(run.status == 0, "\(run.stderr)")
            // Ten images and the GIF over 20 MB; the animated ones as their mp4, whose
            // thumbnails are JPEGs of their first frames.
            let files = TemporaryFolder.files(in: folder + "/images").filter { !$0.hasPrefix(".") }
            let videos = files.filter { $0.hasSuffix(".mp4") }
            #expect(!videos.isEmpty)
            #expect(run.stdout.contains("Fetched 11 files") && run.stdout.contains("(\(videos.count) of them video"), "\(run.stdout)")
            #expect(run.stdout.contains("Thumbnails: 11 "))
            #expect(files.filter { $0.contains("_thumbnail") }.count == 11)
            #expect(videos.allSatisfy { files.contains(String($0.dropLast(4)) + "_thumbnail.jpg") })
        }
    }
}
