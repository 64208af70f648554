import ArgumentParser
import Foundation
import Pipeline
import Pages
import SafeFiles

/// `skein trace FILE`: what a trace (`--trace`) holds, and its timeline as a page.
struct TraceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "trace",
        abstract: "Summarize a trace written by --trace, or draw it as a self-contained timeline page.",
        discussion: """
            The trace is Chrome trace-event JSON (Perfetto and chrome://tracing open it too). \
            The summary gives each process row (a stage and its engine), its lanes (threads, task \
            lanes, worker processes), its jobs and how busy the lanes were. --html draws the \
            lanes down and time across, the stages coloured, retries, pauses and waits for a \
            full buffer marked: skein trace run.json --html run.html
            """
    )

    @Argument(help: ArgumentHelp("A trace file (from --trace).", valueName: "file"))
    var file: String

    @Option(help: ArgumentHelp("Write the timeline page here (default FILE with .html).", valueName: "page"))
    var html: String?

    func validate() throws {
        try Validate.path(file, "the trace file")
        if let html, html != PageOption.defaultPage { try Validate.path(html, "--html") }
    }

    func run() throws {
        guard let data = FileManager.default.contents(atPath: file) else {
            Console.error("error: cannot read the trace \(file)")
            throw ExitCode(.usage)
        }
        let trace: TraceFile
        do { trace = try TraceFile(data: data) } catch {
            Console.error("error: \(file): \(error)")
            throw ExitCode(.usage)
        }
        for line in Self.summary(trace) { Console.out(line) }
        guard let html else { return }
        let path = html == PageOption.defaultPage ? ((file as NSString).deletingPathExtension + ".html") : html
        let page = TimelinePage(trace: trace, title: (file as NSString).lastPathComponent).html()
        do { try StagedFile.replacing(path, with: Array(page.utf8)) } catch {
            Console.error("error: cannot write the timeline: \(error)")
            throw ExitCode(.usage)
        }
        Console.out("timeline: \(path)")
    }

    /// One line for the trace, one for each process row.
    static func summary(_ trace: TraceFile) -> [String] {
        let timed = trace.events.filter { $0.ph != "M" }
        guard let first = timed.map(\.ts).min() else { return ["no events"] }
        let last = timed.map { $0.ts + ($0.dur ?? 0) }.max() ?? first
        var lines = [String(format: "%d events over %.2f s", timed.count, (last - first) / 1e6)]
        let names = trace.processNames
        for pid in Set(timed.map(\.pid)).sorted() {
            let events = timed.filter { $0.pid == pid }
            // Spans: jobs of a stage, shards, a lesson's threads; waits and pauses are counted apart.
            let isJob = { (event: TraceEvent) in event.ph == "X" && !["buffer", "pause", "wait"].contains(event.cat ?? "") }
            let jobs = events.filter(isJob)
            let lanes = Set(jobs.map(\.tid))
            let busy = jobs.reduce(0.0) { $0 + ($1.dur ?? 0) } / 1e6
            let word = jobs.allSatisfy { ["download", "thumbnail", "shard"].contains($0.cat ?? "") } ? "jobs" : "spans"
            var line = "  \(names[pid] ?? "process \(pid)"): \(jobs.count) \(jobs.count == 1 ? String(word.dropLast()) : word) on \(lanes.count) lane\(lanes.count == 1 ? "" : "s")"
            if !lanes.isEmpty { line += String(format: ", lanes busy %.0f%%", 100 * busy / max(1e-9, Double(lanes.count) * (last - first) / 1e6)) }
            var others: [String: Int] = [:]
            for event in events where !isJob(event) { others[event.cat ?? event.name, default: 0] += 1 }
            if !others.isEmpty { line += "; " + others.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: ", ") }
            lines.append(line)
        }
        return lines
    }
}
