/// A failure of a whole run (not of one item): a bad option, an unreadable source, an output
/// folder that can't be written. The CLI prints the message and exits with `exitCode`.
public struct PipelineError: Error, Sendable, CustomStringConvertible {
    public struct Code: Hashable, Sendable {
        let rawValue: String
        /// A usage or configuration problem (exit 2).
        public static let configuration = Code(rawValue: "configuration")
        /// The source of links failed (exit 1).
        public static let source = Code(rawValue: "source")
    }

    public let code: Code
    public let message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
    public var exitCode: Int32 { code == .configuration ? ExitStatus.usage : ExitStatus.someFailed }
}

/// The exit codes every command uses.
public enum ExitStatus {
    /// Everything succeeded.
    public static let success: Int32 = 0
    /// Some items failed; the rest are fine.
    public static let someFailed: Int32 = 1
    /// Usage or configuration error.
    public static let usage: Int32 = 2
    /// Interrupted (Ctrl-C).
    public static let interrupted: Int32 = 130
}
