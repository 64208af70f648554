import Foundation
import Engines
import ImgurAPI

/// The report of a run (`--json FILE`): what ran, how, and every item's outcome.
///
/// The items live in `ItemLog`s (one per stage), which keep the totals in memory and the
/// items themselves on disk past a few thousand: a 50,000-item run reports them all without
/// holding them. `items` reads them back (small runs, tests); the summary uses the totals.
package struct RunReport: Sendable, Codable {
    package var command: String
    package var engine: String
    package var workers: Int
    /// Where links or files came from.
    package var source: String
    package var output: String
    package var startedAt: Date
    package var seconds: Double
    /// The items' logs: one, or (a run's combined report) one per stage.
    package var logs: [ItemLog]
    package var skipped: [SkippedItem]
    /// Set when the run was stopped early (`timedOut` or `cancelled` in the JSON).
    package var stopped: StopReason?
    package var rateLimit: RateLimitStatus?
    /// For pipelines: the reports of the stages.
    package var stages: [RunReport]?
    /// Peak resident memory of the run, worker processes included (set by the command).
    package var peakMemoryBytes: Int?
    /// Seconds every download was held back because the server said its rate limit was reached.
    package var rateLimitWaitSeconds: Double?
    /// The contact sheet written (`--html`).
    package var contactSheet: String?

    package init(command: String, engine: String, workers: Int, source: String, output: String, startedAt: Date,
                 seconds: Double, log: ItemLog, skipped: [SkippedItem], stopped: StopReason?, rateLimit: RateLimitStatus?,
                 stages: [RunReport]?) {
        self.command = command
        self.engine = engine
        self.workers = workers
        self.source = source
        self.output = output
        self.startedAt = startedAt
        self.seconds = seconds
        self.logs = [log]
        self.skipped = skipped
        self.stopped = stopped
        self.rateLimit = rateLimit
        self.stages = stages
    }

    package init(command: String, engine: String, workers: Int, source: String, output: String, startedAt: Date,
                 seconds: Double, items: [ItemReport], skipped: [SkippedItem], stopped: StopReason?, rateLimit: RateLimitStatus?,
                 stages: [RunReport]?) {
        self.init(command: command, engine: engine, workers: workers, source: source, output: output, startedAt: startedAt,
                  seconds: seconds, log: ItemLog(items), skipped: skipped, stopped: stopped, rateLimit: rateLimit, stages: stages)
    }

    /// Every item, read back from the logs.
    package var items: [ItemReport] {
        get { logs.flatMap(\.all) }
        set { logs = [ItemLog(newValue)] }
    }

    /// The logs' totals, added up.
    package var totals: ItemLog.Totals {
        logs.map(\.totals).reduce(into: ItemLog.Totals()) { sum, part in
            sum.count += part.count
            sum.bytes += part.bytes
            sum.notes += part.notes
            sum.unfinished += part.unfinished
            sum.videos += part.videos
            for (status, count) in part.byStatus { sum.byStatus[status, default: 0] += count }
            for (cause, count) in part.failuresByCause { sum.failuresByCause[cause, default: 0] += count }
            sum.firstFailures += part.firstFailures.prefix(ItemLog.kept - sum.firstFailures.count)
            sum.firstNotes += part.firstNotes.prefix(ItemLog.kept - sum.firstNotes.count)
        }
    }

    package var itemCount: Int { totals.count }
    package var succeeded: Int { totals.succeeded }
    package var failedCount: Int { totals.failed }
    /// The failed items, read back (tests; the summary uses `totals.firstFailures`).
    package var failed: [ItemReport] { items.filter { $0.status == .failed } }
    package var bytes: Int { totals.bytes }

    /// Failures counted by cause, most frequent first: `[("http-status", 3), …]`.
    package var failuresByCause: [(code: String, count: Int)] {
        totals.failuresByCause.map { ($0.key, $0.value) }.sorted { $0.1 != $1.1 ? $0.1 > $1.1 : $0.0 < $1.0 }
    }

    /// The exit status this run deserves.
    package var exitStatus: ExitStatus {
        if stopped == .cancelled { return .interrupted }
        // A listing left unfinished (credits kept, a source unreadable) is not a success either.
        let unfinished = skipped.contains { $0.cause == .creditBudget || $0.cause == .sourceUnavailable }
        return failedCount == 0 && stopped == nil && !unfinished ? .success : .someFailed
    }

    // MARK: JSON

    private enum CodingKeys: String, CodingKey {
        case command, engine, workers, source, output, startedAt, seconds, items, skipped, stopped, rateLimit, stages,
             peakMemoryBytes, rateLimitWaitSeconds, contactSheet
    }

    package init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(command: try c.decode(String.self, forKey: .command), engine: try c.decode(String.self, forKey: .engine),
                  workers: try c.decode(Int.self, forKey: .workers), source: try c.decode(String.self, forKey: .source),
                  output: try c.decode(String.self, forKey: .output), startedAt: try c.decode(Date.self, forKey: .startedAt),
                  seconds: try c.decode(Double.self, forKey: .seconds), items: try c.decode([ItemReport].self, forKey: .items),
                  skipped: try c.decode([SkippedItem].self, forKey: .skipped),
                  stopped: try c.decodeIfPresent(StopReason.self, forKey: .stopped),
                  rateLimit: try c.decodeIfPresent(RateLimitStatus.self, forKey: .rateLimit),
                  stages: try c.decodeIfPresent([RunReport].self, forKey: .stages))
        peakMemoryBytes = try c.decodeIfPresent(Int.self, forKey: .peakMemoryBytes)
        rateLimitWaitSeconds = try c.decodeIfPresent(Double.self, forKey: .rateLimitWaitSeconds)
        contactSheet = try c.decodeIfPresent(String.self, forKey: .contactSheet)
    }

    /// Everything but the items (and the stages, written after them by `write(to:)`).
    package func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(command, forKey: .command)
        try c.encode(engine, forKey: .engine)
        try c.encode(workers, forKey: .workers)
        try c.encode(source, forKey: .source)
        try c.encode(output, forKey: .output)
        try c.encode(startedAt, forKey: .startedAt)
        try c.encode(seconds, forKey: .seconds)
        if encoder.userInfo[Self.headerOnly] == nil {
            try c.encode(items, forKey: .items)
            try c.encodeIfPresent(stages, forKey: .stages)
        }
        try c.encode(skipped, forKey: .skipped)
        try c.encodeIfPresent(stopped, forKey: .stopped)
        try c.encodeIfPresent(rateLimit, forKey: .rateLimit)
        try c.encodeIfPresent(peakMemoryBytes, forKey: .peakMemoryBytes)
        try c.encodeIfPresent(rateLimitWaitSeconds, forKey: .rateLimitWaitSeconds)
        try c.encodeIfPresent(contactSheet, forKey: .contactSheet)
    }

    static let headerOnly = CodingUserInfoKey(rawValue: "skein.report.headerOnly")!
}
