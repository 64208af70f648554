import Foundation
import GalleryServer
import Jobs
import NIOCore
import SkeinTesting
import Testing

/// Running `skein job …` as child processes against a gallery and a store, and checking what
/// a job left: every item exactly once, byte-identical to what the gallery served.
enum JobRig {
    static let environment: [String: String] = {
        var environment = ProcessInfo.processInfo.environment
        environment["IMGUR_CLIENT_ID"] = "test-client"
        environment.removeValue(forKey: "SKEIN_STORE")
        return SkeinExecutable.isolated(environment)
    }()

    static func skein(_ arguments: [String]) async throws -> SkeinExecutable.Run {
        try await SkeinExecutable.run(arguments, environment: environment)
    }

    /// `fetch --archive STORE`: a first fetch of 5 items, then all of a gallery of 40 into
    /// another folder, which must skip exactly the 5 (asked of the store in batches, mixed with
    /// items it doesn't have) and fetch the rest; a third fetch skips them all.
    static func expectArchiveSkips(store: String, folder: String, sourceLocation: SourceLocation = #_sourceLocation) async throws {
        try await TestGallery.with(items: 40) { url, server in
            let base = ["fetch", "--api-base", url, "--gallery", "hot/viral/day", "--archive", store]
            let args = base + ["--limit", "1000"]
            let first = try await skein(base + ["--limit", "5", "--out", folder + "/a"])
            #expect(first.status == 0, "\(first.stderr)", sourceLocation: sourceLocation)
            let early = Set(files(in: folder + "/a"))
            #expect(early.count == 5, sourceLocation: sourceLocation)
            let second = try await skein(args + ["--out", folder + "/b"])
            #expect(second.status == 0, "\(second.stderr)", sourceLocation: sourceLocation)
            let rest = Set(files(in: folder + "/b"))
            #expect(second.stdout.contains("in-archive 5"), "\(second.stdout)", sourceLocation: sourceLocation)
            #expect(rest.isDisjoint(with: early) && rest.count + early.count == server.corpus.images.count,
                    "\(early.count) + \(rest.count) of \(server.corpus.images.count)", sourceLocation: sourceLocation)
            let third = try await skein(args + ["--out", folder + "/c"])
            #expect(third.status == 0 && files(in: folder + "/c").isEmpty, "\(third.stdout)", sourceLocation: sourceLocation)
            #expect(third.stdout.contains("in-archive \(server.corpus.images.count)"), "\(third.stdout)", sourceLocation: sourceLocation)
        }
    }

    /// `job create NAME` over the gallery at `url`.
    static func create(_ name: String, store: String, gallery url: String, shardSize: Int, extra: [String] = []) async throws -> SkeinExecutable.Run {
        try await skein(["job", "create", name, "--store", store, "--api-base", url, "--gallery", "hot/viral/day", "--limit", "1000",
                         "--shard-size", String(shardSize)] + extra)
    }

    /// A worker started (not waited for): its process and its output pipes.
    final class Worker: @unchecked Sendable {
        let process = Process()
        let out = Pipe(), err = Pipe()

        /// `prefix` runs it elsewhere (`ip netns exec NS`: on another "host").
        init(_ name: String, store: String, out folder: String, lease: Double = 30, extra: [String] = [], prefix: [String] = []) throws {
            let command = prefix + [SkeinExecutable.path, "job", "work", name, "--store", store, "--out", folder, "--lease", String(lease)] + extra
            process.executableURL = URL(fileURLWithPath: command[0])
            process.arguments = Array(command.dropFirst())
            process.environment = JobRig.environment
            process.standardOutput = out
            process.standardError = err
            try process.run()
        }

        var pid: Int32 { process.processIdentifier }

        func finish() async -> SkeinExecutable.Run {
            let (stdout, stderr) = await SkeinExecutable.finish(process, stdout: out, stderr: err)
            return SkeinExecutable.Run(status: process.terminationStatus, stdout: stdout, stderr: stderr)
        }
    }

    static func status(_ name: String, store: String) async throws -> JobStatus {
        let run = try await skein(["job", "status", name, "--store", store, "--json"])
        return try JSONDecoder().decode(JobStatus.self, from: Data(run.stdout.utf8))
    }

    /// Waits (up to `seconds`) until `condition` holds of the job's status.
    static func waitFor(_ name: String, store: String, seconds: Double = 60, _ condition: (JobStatus) -> Bool) async throws -> JobStatus {
        let deadline = Date().addingTimeInterval(seconds)
        while true {
            let status = try await status(name, store: store)
            if condition(status) || Date() > deadline { return status }
            try await Task.sleep(for: .milliseconds(100))
        }
    }

    /// The media files in `folder` (no manifest, no temporary files).
    static func files(in folder: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).filter { !$0.hasPrefix(".") }.sorted()
    }

    /// Every item of the job done exactly once: one final row each, one file each, each file
    /// the bytes the gallery served, nothing left over in the folder, and the status adding up.
    static func expectExactlyOnce(_ status: JobStatus, items: Int, folder: String, server: GalleryServer,
                                  sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(status.items.total == items, sourceLocation: sourceLocation)
        #expect(status.items.done == items, "failed: \(status.items.failedByCause)", sourceLocation: sourceLocation)
        #expect(status.items.pending == 0 && status.items.failed == 0, sourceLocation: sourceLocation)
        #expect(status.shards.done == status.shards.total && status.shards.ready == 0 && status.shards.leased == 0,
                sourceLocation: sourceLocation)
        let files = files(in: folder)
        let bytes = files.reduce(0) { $0 + ((try? FileManager.default.attributesOfItem(atPath: folder + "/" + $1)[.size] as? Int) ?? 0) }
        #expect(status.items.bytes == bytes, "the status counts \(status.items.bytes) bytes, the folder holds \(bytes)", sourceLocation: sourceLocation)
        #expect(files.count == items, "files: \(files.count) for \(items) items", sourceLocation: sourceLocation)
        var mismatched: [String] = []
        for file in files {
            guard let served = server.corpus.media(fileName: file), let kept = FileManager.default.contents(atPath: folder + "/" + file),
                  Array(kept) == Array(served.bytes.readableBytesView) else {
                mismatched.append(file)
                continue
            }
        }
        #expect(mismatched.isEmpty, "not what the gallery served: \(mismatched.prefix(5))", sourceLocation: sourceLocation)
    }
}
