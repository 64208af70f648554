import Foundation
import Basics

/// The log of a lesson, in the classic tutorial's format: `HH:MM:SS: message`. Every line is
/// written to stdout at once (so the order on screen is the order of events) and kept, so tests
/// can check the order.
package final class LabLog: Sendable {
    private let kept = Locked<[String]>([])
    private let echo: Bool
    private let timestamps: Bool

    /// - Parameters:
    ///   - echo: print each line to stdout as it is logged.
    ///   - timestamps: prefix `HH:MM:SS: ` as Python's `logging` with `datefmt="%H:%M:%S"` does.
    package init(echo: Bool = true, timestamps: Bool = true) {
        self.echo = echo
        self.timestamps = timestamps
    }

    /// Logs one line.
    package func info(_ message: String) {
        let line = timestamps ? "\(Self.clock()): \(message)" : message
        LabTrace.logged(message)
        kept.withLock { kept in
            kept.append(line)
            // Written under the lock, so lines from different threads never interleave.
            if echo { FileHandle.standardOutput.write(Data((line + "\n").utf8)) }
        }
    }

    /// Every line logged so far, in order.
    package var lines: [String] { kept.withLock { $0 } }

    /// The lines without their timestamps.
    package var messages: [String] {
        lines.map { line in
            guard timestamps, line.count > 10, line[line.index(line.startIndex, offsetBy: 8)] == ":" else { return line }
            return String(line.dropFirst(10))
        }
    }

    static func clock() -> String {
        var now = time(nil)
        var parts = tm()
        localtime_r(&now, &parts)
        return String(format: "%02d:%02d:%02d", parts.tm_hour, parts.tm_min, parts.tm_sec)
    }
}
