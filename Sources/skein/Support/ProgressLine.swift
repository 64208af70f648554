import Engines
import Foundation
import Basics

/// A live progress line on stderr (`fetch 120/200, 48.2 MB, 3 failed`), redrawn at most ten
/// times a second; nothing at all when stderr is not a terminal.
final class ProgressLine: Sendable {
    private let label: String
    private let last = Locked<ContinuousClock.Instant?>(nil)
    private let enabled: Bool

    init(_ label: String, enabled: Bool = Console.isTerminal) {
        self.label = label
        self.enabled = enabled
    }

    /// The callback to hand a batch; nil when disabled.
    var handler: (@Sendable (BatchProgress) -> Void)? {
        guard enabled else { return nil }
        return { [self] progress in update(progress) }
    }

    private func update(_ progress: BatchProgress) {
        let now = ContinuousClock.now
        let draw = last.withLock { last -> Bool in
            if progress.finished < progress.total, let previous = last, now - previous < .milliseconds(100) { return false }
            last = now
            return true
        }
        guard draw else { return }
        var text = "\r\u{1B}[2K\(label) \(progress.finished)/\(progress.total)"
        if progress.bytes > 0 { text += String(format: ", %.1f MB", Double(progress.bytes) / 1_000_000) }
        if progress.failed > 0 { text += ", \(progress.failed) failed" }
        FileHandle.standardError.write(Data(text.utf8))
    }

    /// Clears the line.
    func finish() {
        guard enabled else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[2K".utf8))
    }
}
