import Foundation

/// Output: results on stdout, diagnostics and progress on stderr.
enum Console {
    static func out(_ line: String) {
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }

    static func error(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }

    /// True when stderr is a terminal (then a live progress line is shown).
    static var isTerminal: Bool { isatty(2) == 1 }
}
