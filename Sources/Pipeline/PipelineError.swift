/// A failure of a whole run (not of one item): a bad option, an unreadable source, an output
/// folder that can't be written. The CLI prints the message and exits with `exitStatus`.
package struct PipelineError: Error, Sendable, CustomStringConvertible {
    package struct Code: Hashable, Sendable {
        let rawValue: String
        /// A usage or configuration problem (exit 2).
        package static let configuration = Code(rawValue: "configuration")
        /// The source of links failed (exit 1).
        package static let source = Code(rawValue: "source")
        /// The report could not be written (exit 1).
        package static let report = Code(rawValue: "report")
    }

    package let code: Code
    package let message: String

    package init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    package var description: String { message }
    package var exitStatus: ExitStatus { code == .configuration ? .usage : .someFailed }
}

/// The exit codes every command uses.
package enum ExitStatus: Int32, Sendable {
    /// Everything succeeded.
    case success = 0
    /// Some items failed; the rest are fine.
    case someFailed = 1
    /// Usage or configuration error.
    case usage = 2
    /// Interrupted (Ctrl-C).
    case interrupted = 130
}
