import Basics
import Foundation
import GalleryServer
import Pages
import Pipeline
import SkeinTesting
import Testing

/// What a run tells people and machines: JSON log lines, the progress line on a terminal, and
/// the trace of every job.
@Suite("Logs, progress and traces")
struct ObservabilityTests {
    static func environment(clientID: String? = nil) -> [String: String] {
        var environment = ProcessInfo.processInfo.environment
        environment.removeValue(forKey: "IMGUR_CLIENT_ID")
        if let clientID { environment["IMGUR_CLIENT_ID"] = clientID }
        return environment
    }

    @Test("--log-file: one JSON object a line, a line per request, retry, pause and item outcome, and never the Client-ID")
    func logFile() async throws {
        let secret = "l0g-s3cr3t-\(UUID().uuidString.prefix(6))"
        var options = ServerOptions()
        options.faults.failRate = 0.3
        // A bucket of two, refilled at two a second, against four workers: some requests get 429
        // however fast or slowly the fetch runs.
        options.faults.rateLimitPerSecond = 2
        try await TestGallery.with(items: 12, options: options) { url, server in
            try await TemporaryFolder.with("skein-log") { folder in
                let log = folder + "/run.log"
                let run = try await SkeinExecutable.run(["fetch", "--api-base", url, "--limit", "100", "--out", folder + "/out", "--workers", "4",
                                                         "--log-file", log], environment: Self.environment(clientID: secret))
                #expect(run.status == 0, "\(run.stdout)\(run.stderr)")
                let text = try String(contentsOfFile: log, encoding: .utf8)
                #expect(!text.contains(secret) && !run.stdout.contains(secret) && !run.stderr.contains(secret))
                var events: [String: Int] = [:]
                for line in text.split(separator: "\n") {
                    let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
                    #expect(object?["time"] is String && object?["level"] is String, "\(line)")
                    if let event = object?["event"] as? String { events[event, default: 0] += 1 }
                }
                #expect(events["item"] == server.corpus.images.count, "\(events)")
                #expect((events["request"] ?? 0) >= server.corpus.images.count, "\(events)")
                #expect((events["retry"] ?? 0) > 0, "\(events)")
                #expect(server.stats.rateLimitedCount > 0 && (events["rate-limited"] ?? 0) > 0 && (events["pause"] ?? 0) > 0, "\(events)")
                #expect((events["api-request"] ?? 0) > 0, "\(events)")
            }
        }
    }

    @Test("the progress line: items, MB, rates and an ETA on a terminal (a pseudo-terminal from script), both stages for run; nothing without one")
    func progressLine() async throws {
        try await TestGallery.with(items: 12, options: ServerOptions(latency: .milliseconds(30))) { url, server in
            try await TemporaryFolder.with("skein-progress") { folder in
                try server.corpus.images.map { url + "/" + $0.fileName }.joined(separator: "\n").write(toFile: folder + "/links.txt", atomically: true, encoding: .utf8)
                let command = [SkeinExecutable.path, "run", "--links", folder + "/links.txt", "--out", folder + "/out", "--fetch-workers", "2"]
                    .map { "'\($0)'" }.joined(separator: " ")
                let tty = try await SkeinExecutable.run(tool: "/usr/bin/script", ["-qefc", command, "/dev/null"], environment: SkeinExecutable.isolated(nil))
                #expect(tty.status == 0, "\(tty.stdout)\(tty.stderr)")
                #expect(tty.stdout.contains("\r\u{1B}[2K"), "no redrawn line: \(tty.stdout)")
                #expect(tty.stdout.contains("fetch "), "\(tty.stdout)")
                #expect(tty.stdout.contains(" · thumbs "), "\(tty.stdout)")
                #expect(tty.stdout.contains("ETA "), "\(tty.stdout)")
                #expect(tty.stdout.range(of: #"\d+\.\d/s"#, options: .regularExpression) != nil, "\(tty.stdout)")
                let piped = try await SkeinExecutable.run(["run", "--links", folder + "/links.txt", "--out", folder + "/out2"])
                #expect(piped.status == 0, "\(piped.stderr)")
                #expect(!piped.stderr.contains("ETA") && !piped.stderr.contains("\u{1B}"), "\(piped.stderr)")
            }
        }
    }

    @Test("--trace: valid trace-event JSON, one complete event per job per stage, on no more lanes than workers", arguments: ["threads", "async", "processes"])
    func trace(engine: String) async throws {
        try await TestGallery.with(items: 12) { url, server in
            try await TemporaryFolder.with("skein-trace") { folder in
                let count = server.corpus.images.count
                try server.corpus.images.map { url + "/" + $0.fileName }.joined(separator: "\n").write(toFile: folder + "/links.txt", atomically: true, encoding: .utf8)
                let file = folder + "/trace.json"
                let run = try await SkeinExecutable.run(["run", "--links", folder + "/links.txt", "--out", folder + "/out", "--fetch-engine", engine,
                                                         "--fetch-workers", "3", "--thumb-engine", engine, "--thumb-workers", "2", "--trace", file])
                #expect(run.status == 0, "\(run.stdout)\(run.stderr)")
                let data = try Data(contentsOf: URL(fileURLWithPath: file))
                #expect(try JSONSerialization.jsonObject(with: data) is [String: Any])
                let trace = try TraceFile(data: data)
                let downloads = trace.events.filter { $0.ph == "X" && $0.cat == "download" }
                let thumbnails = trace.events.filter { $0.ph == "X" && $0.cat == "thumbnail" }
                #expect(downloads.count == count && thumbnails.count == count, "\(downloads.count) \(thumbnails.count)")
                #expect(Set(downloads.map(\.tid)).count <= 3 && Set(thumbnails.map(\.tid)).count <= 2)
                #expect(Set(downloads.map(\.pid)).count == 1 && Set(thumbnails.map(\.pid)).count == 1)
                #expect(downloads.allSatisfy { ($0.dur ?? -1) >= 0 && $0.args?["outcome"] == .string("downloaded") })
                #expect(trace.processNames.values.contains { $0.contains("download · \(engine) × 3") }, "\(trace.processNames)")
                // Every thumbnail starts after its download ended (the run streams one into the other).
                let firstDownloadEnd = downloads.map { $0.ts + ($0.dur ?? 0) }.min() ?? 0
                #expect(thumbnails.allSatisfy { $0.ts >= firstDownloadEnd - 1000 })
                let page = folder + "/timeline.html"
                let drawn = try await SkeinExecutable.run(["trace", file, "--html", page])
                #expect(drawn.status == 0, "\(drawn.stderr)")
                #expect(drawn.stdout.contains("\(count) jobs on"), "\(drawn.stdout)")
                let html = try String(contentsOfFile: page, encoding: .utf8)
                #expect(html.contains("<svg") && html.contains("download"))
            }
        }
    }

    @Test("--trace marks retries and rate-limit pauses as their own events")
    func traceEvents() async throws {
        var options = ServerOptions()
        options.faults.failRate = 0.4
        options.faults.rateLimitPerSecond = 2 // as in the log test: 429s whatever the speed
        try await TestGallery.with(items: 12, options: options) { url, server in
            try await TemporaryFolder.with("skein-trace") { folder in
                try server.corpus.images.map { url + "/" + $0.fileName }.joined(separator: "\n").write(toFile: folder + "/links.txt", atomically: true, encoding: .utf8)
                let file = folder + "/trace.json"
                let run = try await SkeinExecutable.run(["fetch", "--links", folder + "/links.txt", "--out", folder + "/out", "--workers", "4", "--trace", file])
                #expect(run.status == 0, "\(run.stdout)\(run.stderr)")
                let trace = try TraceFile(data: Data(contentsOf: URL(fileURLWithPath: file)))
                #expect(trace.events.contains { $0.cat == "retry" && ($0.ph == "i" || $0.ph == "I") })
                #expect(server.stats.rateLimitedCount > 0)
                #expect(trace.events.contains { $0.cat == "pause" && $0.ph == "X" })
            }
        }
    }

    @Test("skein trace refuses what isn't a trace with one line, exit 2")
    func badTrace() async throws {
        try await TemporaryFolder.with("skein-trace") { folder in
            try "{\"traceEvents\": [{\"ph\": \"X\"}]}".write(toFile: folder + "/bad.json", atomically: true, encoding: .utf8)
            let run = try await SkeinExecutable.run(["trace", folder + "/bad.json"])
            #expect(run.status == 2)
            #expect(run.stderr.split(separator: "\n").count == 1 && run.stderr.contains("bad.json"), "\(run.stderr)")
        }
    }
}

/// Passwords in links (`user:password@host`) never reach a log line, on stderr or in the file.
@Suite("Secrets in logs")
struct LogSecretTests {
    @Test("Redact.passwords masks every URL's password and leaves the rest", arguments: [
        ("http://u:p4ss@h/x.jpg", "http://u:***@h/x.jpg"),
        ("a https://u:p@h:80/x and postgres://s:pw@db/jobs", "a https://u:***@h:80/x and postgres://s:***@db/jobs"),
        ("http://h/a@b.jpg", "http://h/a@b.jpg"),
        ("http://user@h/x", "http://user@h/x"),
        ("no url at all", "no url at all"),
    ])
    func redact(text: String, expected: String) {
        #expect(Redact.passwords(in: text) == expected)
    }

    @Test("a link with a password: the file and -v's stderr say the link without it")
    func linkPassword() async throws {
        try await TestGallery.with(items: 12) { url, server in
            try await TemporaryFolder.with("skein-log") { folder in
                let password = "pw-\(UUID().uuidString.prefix(8))"
                let links = server.corpus.images.map { url.replacingOccurrences(of: "http://", with: "http://someone:\(password)@") + "/" + $0.fileName }
                try links.joined(separator: "\n").write(toFile: folder + "/links.txt", atomically: true, encoding: .utf8)
                let run = try await SkeinExecutable.run(["fetch", "--links", folder + "/links.txt", "--out", folder + "/out", "-v",
                                                         "--log-file", folder + "/run.log"])
                #expect(run.status == 0, "\(run.stderr)")
                let log = try String(contentsOfFile: folder + "/run.log", encoding: .utf8)
                #expect(log.contains("someone:***@"), "\(log.prefix(400))")
                #expect(!log.contains(password) && !run.stderr.contains(password))
                #expect(run.stderr.contains("debug skein.download: request"), "-v says each request: \(run.stderr.prefix(400))")
            }
        }
    }
}
