/// Why one job failed: a short machine-readable code and a one-line message naming the item.
/// Codable, so a failure in a worker process reaches the parent intact.
package struct JobFailure: Error, Sendable, Codable, Hashable, CustomStringConvertible {
    /// A kebab-case cause (`timed-out`, `cancelled`, `worker-crashed`, `http-404`…).
    package var code: String
    package var message: String
    /// The cause may pass (a server error, a connection cut): trying again later may succeed.
    package var transient: Bool

    package init(code: String, message: String, transient: Bool = false) {
        self.code = code
        self.message = message
        self.transient = transient
    }

    private enum CodingKeys: String, CodingKey { case code, message, transient }

    package init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        code = try container.decode(String.self, forKey: .code)
        message = try container.decode(String.self, forKey: .message)
        transient = try container.decodeIfPresent(Bool.self, forKey: .transient) ?? false
    }

    package var description: String { message }

    package static let timedOutCode = "timed-out"
    package static let cancelledCode = "cancelled"
    package static let workerCrashedCode = "worker-crashed"

    /// The failure of a job that a stopped batch didn't finish, or (`started: false`) never
    /// began.
    package static func stopped(_ reason: StopReason, started: Bool = true) -> JobFailure {
        let end = started ? "finished" : "started"
        return switch reason {
        case .timedOut: JobFailure(code: timedOutCode, message: "timed out: the batch deadline passed before it \(end)")
        case .cancelled: JobFailure(code: cancelledCode, message: "cancelled before it \(end)")
        }
    }

    /// Why the batch stopped, when this failure means the job was stopped rather than failing
    /// on its own.
    package var stopReason: StopReason? {
        switch code {
        case Self.timedOutCode: .timedOut
        case Self.cancelledCode: .cancelled
        default: nil
        }
    }

    /// Whether this failure means the job was stopped rather than failing on its own.
    package var isStop: Bool { Self.isStop(code: code) }

    /// Whether a failure with `code` means its job was stopped (the code as a report keeps it).
    package static func isStop(code: String) -> Bool { code == timedOutCode || code == cancelledCode }

    /// Wraps any error: failures keep their code, errors that describe themselves keep theirs,
    /// anything else becomes `error` with its description.
    package init(_ error: any Error) {
        switch error {
        case let failure as JobFailure: self = failure
        case let described as any DescribedFailure:
            self.init(code: described.failureCode, message: described.failureMessage)
        case is CancellationError:
            self = .stopped(.cancelled)
        default:
            self.init(code: "error", message: String(describing: error))
        }
    }
}

/// An error that knows its failure code and one-line message.
package protocol DescribedFailure: Error {
    var failureCode: String { get }
    var failureMessage: String { get }
}
