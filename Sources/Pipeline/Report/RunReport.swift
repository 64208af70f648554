import Foundation
import Engines
import ImgurAPI

/// The report of a run (`--json FILE`): what ran, how, and every item's outcome.
package struct RunReport: Sendable, Codable {
    package var command: String
    package var engine: String
    package var workers: Int
    /// Where links or files came from.
    package var source: String
    package var output: String
    package var startedAt: Date
    package var seconds: Double
    package var items: [ItemReport]
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

    package var succeeded: Int { items.filter { $0.status != .failed }.count }
    package var failed: [ItemReport] { items.filter { $0.status == .failed } }
    package var bytes: Int { items.reduce(0) { $0 + ($1.status == .failed ? 0 : $1.bytes) } }

    /// Failures counted by cause, most frequent first: `[("http-status", 3), …]`.
    package var failuresByCause: [(code: String, count: Int)] {
        Dictionary(grouping: failed, by: { $0.error?.code ?? "error" })
            .map { ($0.key, $0.value.count) }
            .sorted { $0.1 != $1.1 ? $0.1 > $1.1 : $0.0 < $1.0 }
    }

    /// The exit status this run deserves.
    package var exitStatus: ExitStatus {
        if stopped == .cancelled { return .interrupted }
        return failed.isEmpty && stopped == nil ? .success : .someFailed
    }

    /// Writes the report as pretty JSON, atomically.
    package func write(to path: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        try encoder.encode(self).write(to: URL(fileURLWithPath: path), options: .atomic)
    }

    package static func read(from path: String) throws -> RunReport {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return try decoder.decode(RunReport.self, from: Data(contentsOf: URL(fileURLWithPath: path)))
    }
}
