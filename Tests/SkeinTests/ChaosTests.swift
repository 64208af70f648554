import Downloader
import Engines
import Foundation
import GalleryServer
import ImgurAPI
import NIOCore
import Pipeline
import SafeFiles
import SkeinTesting
import Testing

/// Fetch against a gallery that fails the way real servers do. Every fault is a function of the
/// seed, the file and the attempt, so each test knows which items can succeed and why the
/// others must fail, and checks exactly that.
@Suite("Chaos: faults, retries, resume")
struct ChaosTests {
    static let retries = 3
    static let policy = DownloadPolicy(retries: retries, backoffMilliseconds: 5, readTimeout: 2, requestTimeout: 30)

    /// What `faults` make of `file` over the attempts the client makes (the retries, then as
    /// many again in the second pass that items with transient failures get): the code it
    /// must fail with, or nil when an attempt gets through.
    static func expectedFailure(_ faults: FaultOptions, file: String) -> String? {
        let attempts = 2 * (retries + 1)
        for attempt in 1...attempts {
            switch faults.fault(for: file, attempt: attempt) {
            case .none: return nil
            case .removed: return "deleted"
            case .wrongType: return "not-an-image"
            case .cutImage: return "corrupt-image"
            case .bomb: return "too-many-pixels"
            case .fail, .truncate, .stall:
                if attempt == attempts {
                    switch faults.fault(for: file, attempt: attempt) {
                    case .fail: return "http-status"
                    case .truncate: return "truncated"
                    default: return "timeout"
                    }
                }
            }
        }
        return nil
    }

    static let scenarios: [(String, FaultOptions)] = [
        ("fail", FaultOptions(failRate: 0.2, seed: 11)),
        ("truncate", FaultOptions(truncateRate: 0.2, seed: 12)),
        ("stall", FaultOptions(stallRate: 0.2, seed: 13)),
        ("wrong type", FaultOptions(wrongTypeRate: 0.2, seed: 14)),
        ("removed", FaultOptions(removedRate: 0.2, seed: 15)),
        ("cut image", FaultOptions(cutImageRate: 0.2, seed: 17)),
        ("bomb", FaultOptions(bombRate: 0.2, seed: 18)),
        ("all at once", FaultOptions(failRate: 0.2, truncateRate: 0.2, stallRate: 0.2, wrongTypeRate: 0.2, removedRate: 0.2, seed: 16)),
    ]

    @Test("each fault at 20%, and all at once: what can arrive arrives intact, the rest fail with the right cause",
          arguments: scenarios.indices)
    func chaos(scenario: Int) async throws {
        let (name, faults) = Self.scenarios[scenario]
        try await TestGallery.with(items: 40, options: ServerOptions(faults: faults)) { url, server in
            try await TemporaryFolder.with { out in
                let links = try await FetchTests.gallerySource(url, limit: 100).load()
                #expect(links.links.count == server.corpus.images.count)
                let fetch = Fetch(output: out, engine: Engine(.async, workers: 8), policy: Self.policy,
                                  batch: BatchOptions(timeout: .seconds(120)))
                // A clean attempt must never time out: the 2 s read timeout is the stalls'.
                let report = try await ClientThreads.run { try await fetch.run(links) }
                #expect(report.stopped == nil, "\(name): the run hit its deadline")
                var expectedFailures = 0
                for item in report.items {
                    let image = try #require(server.corpus.image(id: item.id ?? ""))
                    if let code = Self.expectedFailure(faults, file: image.fileName) {
                        expectedFailures += 1
                        #expect(item.status == .failed, "\(name): \(image.fileName) should fail with \(code)")
                        #expect(item.error?.code == code, "\(name): \(image.fileName): \(item.error?.message ?? "no error")")
                        #expect(item.error?.message.contains(image.fileName) == true)
                        #expect(!FileManager.default.fileExists(atPath: out + "/" + image.fileName))
                    } else {
                        #expect(item.status == .downloaded, "\(name): \(image.fileName): \(item.error?.message ?? "")")
                        let same = bytes(of: out + "/" + image.fileName) == Array(image.bytes.readableBytesView)
                        #expect(same, "\(name): \(image.fileName) differs from the served file")
                    }
                }
                #expect(report.failed.count == expectedFailures)
                #expect(TemporaryFiles.list(in: out).isEmpty)
                #expect(!server.stats.faultsInjected.isEmpty, "\(name): no fault was injected")
            }
        }
    }

    @Test("a rate limit pauses every worker until the reset, and nothing fails")
    func rateLimit() async throws {
        // 5 a second: slower than even a sanitized build fetches, so the limit is always hit.
        let faults = FaultOptions(rateLimitPerSecond: 5, seed: 1)
        try await TestGallery.with(items: 30, options: ServerOptions(faults: faults)) { url, server in
            try await TemporaryFolder.with { out in
                let links = try await FetchTests.gallerySource(url, limit: 100).load()
                let report = try await Fetch(output: out, engine: Engine(.threads, workers: 8), policy: Self.policy).run(links)
                #expect(report.failed.isEmpty, "\(report.failed.map { $0.error?.message ?? "" })")
                #expect(server.stats.rateLimitedCount > 0)
                #expect((report.rateLimitWaitSeconds ?? 0) > 0)
                #expect(Summary.fetchLine(report).contains("waited"))
            }
        }
    }

    @Test("a rerun skips intact files without a request, and repairs a damaged one")
    func resumeAndRepair() async throws {
        try await TestGallery.with(items: 12) { url, server in
            try await TemporaryFolder.with { out in
                let links = try await FetchTests.gallerySource(url, limit: 100).load()
                let first = try await Fetch(output: out, engine: Engine(.async, workers: 4), policy: Self.policy).run(links)
                #expect(first.failed.isEmpty)
                let victim = try #require(first.items.first?.file)
                try Data("scribbled over".utf8).write(to: URL(fileURLWithPath: out + "/" + victim))
                let requestsBefore = server.stats.requestsPerFile
                let second = try await Fetch(output: out, engine: Engine(.threads, workers: 4), policy: Self.policy).run(links)
                let requestsAfter = server.stats.requestsPerFile
                // Items are reported as they finish: the intact ones at once, the repaired one last.
                #expect(second.items.count == first.items.count)
                #expect(second.items.filter { $0.file == victim }.map(\.status) == [.repaired])
                #expect(second.items.filter { $0.file != victim }.allSatisfy { $0.status == .alreadyPresent })
                for (file, count) in requestsAfter {
                    #expect(count == (requestsBefore[file] ?? 0) + (file == victim ? 1 : 0), "\(file) was requested again")
                }
                let image = try #require(server.corpus.image(fileName: victim))
                #expect(bytes(of: out + "/" + victim) == Array(image.bytes.readableBytesView))
            }
        }
    }

    @Test("kill -9 mid-run: no incomplete file under a final name; the rerun finishes without refetching")
    func killAndResume() async throws {
        try await TestGallery.with(items: 40, options: ServerOptions(latency: .milliseconds(100))) { url, server in
            try await TemporaryFolder.with { folder in
                let out = folder + "/img"
                var environment = ProcessInfo.processInfo.environment
                environment["IMGUR_CLIENT_ID"] = "t"
                let process = Process()
                process.executableURL = URL(fileURLWithPath: SkeinExecutable.path)
                process.arguments = ["fetch", "--api-base", url, "--limit", "100", "--workers", "3", "--out", out]
                process.environment = environment
                process.standardOutput = FileHandle.nullDevice
                process.standardError = FileHandle.nullDevice
                try process.run()
                let deadline = ContinuousClock.now + .seconds(60)
                while server.stats.mediaRequestCount < 10, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(5)) }
                kill(process.processIdentifier, SIGKILL)
                _ = await SkeinExecutable.finish(process, stdout: nil)
                #expect(process.terminationReason == .uncaughtSignal)

                // Every file under a final name is complete.
                let completed = Manifest(folder: out).load()
                for name in TemporaryFolder.files(in: out) where !name.hasPrefix(".") {
                    let image = try #require(server.corpus.image(fileName: name))
                    #expect(bytes(of: out + "/" + name) == Array(image.bytes.readableBytesView), "\(name) is incomplete")
                }
                #expect(!completed.isEmpty && completed.count < server.corpus.images.count)

                let before = server.stats.requestsPerFile
                let rerun = try await SkeinExecutable.run(["fetch", "--api-base", url, "--limit", "100", "--workers", "8", "--out", out],
                                                    environment: environment)
                #expect(rerun.status == 0, "\(rerun.stdout)\(rerun.stderr)")
                let after = server.stats.requestsPerFile
                for entry in completed.values {
                    #expect(after[entry.file] == before[entry.file], "\(entry.file) was downloaded again")
                }
                for image in server.corpus.images {
                    #expect(bytes(of: out + "/" + image.fileName) == Array(image.bytes.readableBytesView), "\(image.fileName)")
                }
                #expect(TemporaryFiles.list(in: out).isEmpty)
            }
        }
    }

    @Test("a full disk fails the items that don't fit, with the cause, and leaves no partial file")
    func diskFull() async throws {
        try await TestGallery.with(items: 12) { url, server in
            try await TemporaryFolder.with { folder in
                let out = folder + "/img"
                // A 20 KB file-size limit: small images fit, bigger ones hit EFBIG.
                let command = "ulimit -f 20; exec '\(SkeinExecutable.path)' fetch --api-base \(url) --limit 100 --out \(out) --retries 0"
                var environment = ProcessInfo.processInfo.environment
                environment["IMGUR_CLIENT_ID"] = "t"
                let process = Process()
                process.executableURL = URL(fileURLWithPath: "/bin/bash")
                process.arguments = ["-c", command]
                process.environment = environment
                let pipe = Pipe()
                process.standardOutput = pipe
                process.standardError = FileHandle.nullDevice
                try process.run()
                let (output, _) = await SkeinExecutable.finish(process, stdout: pipe)
                let big = server.corpus.images.filter { $0.bytes.readableBytes > 20 * 1024 }
                #expect(!big.isEmpty)
                #expect(process.terminationStatus == ExitStatus.someFailed.rawValue)
                #expect(output.contains("disk-full"))
                for image in big { #expect(!FileManager.default.fileExists(atPath: out + "/" + image.fileName)) }
                #expect(TemporaryFiles.list(in: out).isEmpty)
            }
        }
    }

    @Test("an output folder that can't be created is a configuration error (exit 2)")
    func unwritableFolder() async throws {
        try await TestGallery.with { url, _ in
            var environment = ProcessInfo.processInfo.environment
            environment["IMGUR_CLIENT_ID"] = "t"
            let run = try await SkeinExecutable.run(["fetch", "--api-base", url, "--out", "/dev/null/images"], environment: environment)
            #expect(run.status == ExitStatus.usage.rawValue)
            #expect(run.stderr.contains("/dev/null/images"))
        }
    }

    @Test("a rejected Client-ID is a configuration error, and the ID appears nowhere")
    func rejectedClientID() async throws {
        try await TestGallery.with(options: ServerOptions(acceptedClientID: "the-right-one")) { url, _ in
            var environment = ProcessInfo.processInfo.environment
            environment["IMGUR_CLIENT_ID"] = "w4ong-s3cret-id"
            let run = try await SkeinExecutable.run(["fetch", "--api-base", url, "--out", "/tmp/skein-never"], environment: environment)
            #expect(run.status == ExitStatus.usage.rawValue)
            #expect(run.stderr.contains("403") && run.stderr.contains("rejected"))
            #expect(!(run.stdout + run.stderr).contains("w4ong-s3cret-id"))
        }
    }

    @Test("a flaky server (20% answered 500, 20% cut short: about 36% of attempts fail) ends with every image")
    func flakyServer() async throws {
        let faults = FaultOptions(failRate: 0.2, truncateRate: 0.2, seed: 21)
        try await TestGallery.with(items: 300, options: ServerOptions(faults: faults)) { url, server in
            try await TemporaryFolder.with { out in
                let links = try await FetchTests.gallerySource(url, limit: 1000).load()
                let policy = DownloadPolicy(backoffMilliseconds: 5, readTimeout: 2, requestTimeout: 30) // default budget
                let report = try await ClientThreads.run {
                    try await Fetch(output: out, engine: Engine(.async, workers: 16), policy: policy).run(links)
                }
                #expect(report.items.count == server.corpus.images.count)
                #expect(report.failed.isEmpty, "\(report.failed.map { $0.error?.message ?? "" })")
                let failing = Double((server.stats.faultsInjected[.fail] ?? 0) + (server.stats.faultsInjected[.truncate] ?? 0))
                #expect(failing / Double(server.stats.mediaRequestCount) > 0.2, "the server really was flaky")
            }
        }
    }

    @Test("a dead server: the run ends within its deadline and names every item")
    func deadServer() async throws {
        try await TemporaryFolder.with { out in
            // A port nothing listens on: bound, then closed.
            let port = try await TestGallery.with { url, _ in url }.split(separator: ":").last.map(String.init) ?? "9"
            let list = out + "/links.txt"
            let urls = (0..<20).map { "http://127.0.0.1:\(port)/dead\($0).jpg" }
            try urls.joined(separator: "\n").write(toFile: list, atomically: true, encoding: .utf8)
            let links = try await LinkSource.file(path: list, limit: nil).load()
            let report = try await Fetch(output: out + "/got", engine: Engine(.async, workers: 4),
                                         batch: BatchOptions(timeout: .seconds(3))).run(links)
            #expect(report.stopped == .timedOut, "retrying a dead server outlasts a 3 s deadline, and the deadline ends it")
            #expect(report.items.count == urls.count)
            #expect(report.failed.count == urls.count)
            #expect(Set(report.items.map(\.item)) == Set(urls))
            for item in report.items {
                #expect(["network", "timed-out"].contains(item.error?.code ?? ""), "\(item.error?.message ?? "")")
                #expect(item.error?.message.contains(item.item) == true)
            }
        }
    }
}
