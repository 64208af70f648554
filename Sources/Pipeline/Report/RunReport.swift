import Foundation
import Engines
import ImgurAPI

/// The report of a run (`--json FILE`): what ran, how, and every item's outcome.
public struct RunReport: Sendable, Codable {
    public var command: String
    public var engine: String
    public var workers: Int
    /// Where links or files came from.
    public var source: String
    public var output: String
    public var startedAt: Date
    public var seconds: Double
    public var items: [ItemReport]
    public var skipped: [SkippedItem]
    /// Set when the run was stopped early: `timedOut` or `cancelled`.
    public var stopped: String?
    public var rateLimit: RateLimitStatus?
    /// For pipelines: the reports of the stages.
    public var stages: [RunReport]?
    /// Peak resident memory of the run, worker processes included (set by the command).
    public var peakMemoryBytes: Int?
    /// Seconds every download was held back because the server said its rate limit was reached.
    public var rateLimitWaitSeconds: Double?

    public var succeeded: Int { items.filter { $0.status != .failed }.count }
    public var failed: [ItemReport] { items.filter { $0.status == .failed } }
    public var bytes: Int { items.reduce(0) { $0 + ($1.status == .failed ? 0 : $1.bytes) } }

    /// Failures counted by cause, most frequent first: `[("http-status", 3), …]`.
    public var failuresByCause: [(code: String, count: Int)] {
        Dictionary(grouping: failed, by: { $0.error?.code ?? "error" })
            .map { ($0.key, $0.value.count) }
            .sorted { $0.1 != $1.1 ? $0.1 > $1.1 : $0.0 < $1.0 }
    }

    /// `stopped` for a run whose jobs ended with these failures: "timedOut" or "cancelled"
    /// when any job was stopped, else nil.
    static func stopReason(_ failures: [JobFailure]) -> String? {
        failures.first(where: \.isStop).map { $0.code == JobFailure.timedOutCode ? "timedOut" : "cancelled" }
    }

    /// The exit status this run deserves.
    public var exitStatus: Int32 {
        if stopped == "cancelled" { return ExitStatus.interrupted }
        return failed.isEmpty && stopped == nil ? ExitStatus.success : ExitStatus.someFailed
    }

    /// Writes the report as pretty JSON, atomically.
    public func write(to path: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        try encoder.encode(self).write(to: URL(fileURLWithPath: path), options: .atomic)
    }

    public static func read(from path: String) throws -> RunReport {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return try decoder.decode(RunReport.self, from: Data(contentsOf: URL(fileURLWithPath: path)))
    }
}
