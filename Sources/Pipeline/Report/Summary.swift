import Engines
import Foundation

/// The lines a person reads at the end of a run.
package enum Summary {
    /// `Fetched 200 images (84.1 MB) in 1.42 s, 140.8 images/s, 0 failed → ./images`
    package static func fetchLine(_ report: RunReport) -> String {
        let totals = report.totals
        let done = totals.succeeded
        let present = totals.byStatus[.alreadyPresent] ?? 0
        // "files" once some are videos.
        let noun = totals.videos > 0 ? "file" : "image"
        var line = "Fetched \(done) \(noun)\(done == 1 ? "" : "s") (\(megabytes(report.bytes))) in \(seconds(report.seconds)), "
            + "\(rate(done, report.seconds)) \(noun)s/s, \(failed(totals)) → \(report.output)"
        if totals.videos > 0 { line += " (\(totals.videos) of them video\(totals.videos == 1 ? "" : "s"))" }
        if present > 0 { line += " (\(present) already there)" }
        let repaired = totals.byStatus[.repaired] ?? 0
        if repaired > 0 { line += " (\(repaired) damaged files repaired)" }
        if let wait = report.rateLimitWaitSeconds, wait > 0 { line += String(format: "; waited %.1f s for rate limits", wait) }
        return line
    }

    /// `Thumbnails: 200 in 0.91 s (219.8/s), 0 failed → ./images/*_thumbnail.*`
    package static func thumbsLine(_ report: RunReport) -> String {
        "Thumbnails: \(report.succeeded) in \(seconds(report.seconds)) (\(rate(report.succeeded, report.seconds))/s), "
            + "\(failed(report.totals)) → \(report.output)"
    }

    /// `3 failed`, and `, 8 not finished` when the run stopped before some items were done.
    package static func failed(_ totals: ItemLog.Totals) -> String {
        "\(totals.failedOnTheirOwn) failed" + (totals.unfinished > 0 ? ", \(totals.unfinished) not finished" : "")
    }

    /// One line per item that failed on its own, then the count per cause; nothing when all
    /// went well. Items a stop left unfinished are counted in `stoppedLine`, not listed.
    package static func failureLines(_ report: RunReport, limit: Int = 20) -> [String] {
        let totals = report.totals
        let failed = totals.failedOnTheirOwn
        guard failed > 0 else { return [] }
        var lines = totals.firstFailures.prefix(limit).map { "  failed: \($0.error?.message ?? $0.item)" }
        if failed > lines.count { lines.append("  … and \(failed - lines.count) more (see --json)") }
        lines.append("  failures by cause: " + report.failuresByCause.map { "\($0.code) \($0.count)" }.joined(separator: ", "))
        return lines
    }

    /// One line per item decoded through a benign oddity (`note`), so that nothing taken in
    /// spite of a warning goes unsaid; nothing when there was none.
    package static func noteLines(_ report: RunReport, limit: Int = 10) -> [String] {
        let totals = report.totals
        var lines = totals.firstNotes.prefix(limit).map { "  note: \($0.item): \($0.note ?? "")" }
        if totals.notes > lines.count { lines.append("  … and \(totals.notes - lines.count) more notes (see --json)") }
        return lines
    }

    package static func megabytes(_ bytes: Int) -> String { String(format: "%.1f MB", Double(bytes) / 1_000_000) }
    package static func seconds(_ value: Double) -> String { String(format: "%.2f s", value) }
    package static func rate(_ count: Int, _ seconds: Double) -> String {
        String(format: "%.1f", seconds > 0 ? Double(count) / seconds : 0)
    }
}

extension Summary {
    /// The two lines of a streaming run, then its total.
    package static func runLines(_ report: RunReport) -> [String] {
        guard let stages = report.stages, stages.count == 2 else { return [fetchLine(report)] }
        let fetched = stages[0], thumbs = stages[1]
        return [
            "Fetched \(fetched.succeeded) \(fetched.totals.videos > 0 ? "file" : "image")\(fetched.succeeded == 1 ? "" : "s") (\(megabytes(fetched.bytes))), \(failed(fetched.totals)) → \(fetched.output)"
                + (fetched.totals.videos > 0 ? " (\(fetched.totals.videos) of them video\(fetched.totals.videos == 1 ? "" : "s"))" : ""),
            "Thumbnails: \(thumbs.succeeded), \(failed(thumbs.totals)) → \(thumbs.output)",
            "Pipeline (\(report.engine)): \(seconds(report.seconds)), \(rate(fetched.succeeded, report.seconds)) images/s end to end",
        ]
    }
}

extension Summary {
    /// Why the run ended early and what it left: `stopped: interrupted; 8 items not finished
    /// (the same command again finishes them)`. Nil when it ran to the end.
    package static func stoppedLine(_ report: RunReport) -> String? {
        guard let stopped = report.stopped else { return nil }
        let why = stopped == .timedOut ? "the --timeout deadline passed" : "interrupted"
        let unfinished = (report.stages ?? [report]).reduce(0) { $0 + $1.totals.unfinished }
        guard unfinished > 0 else { return "stopped: \(why)" }
        return "stopped: \(why); \(unfinished) item\(unfinished == 1 ? "" : "s") not finished (the same command again finishes them)"
    }
}
