import Engines
import Foundation
import Basics

/// A live progress line on stderr, one part per stage and an ETA:
/// `fetch 120/200 48.2 MB 24.0/s 9.6 MB/s 3 failed · thumbs 80/200 16.0/s · ETA 0:05`.
/// Redrawn at most ten times a second; nothing at all when stderr is not a terminal (or
/// with `--quiet`).
final class ProgressLine: Sendable {
    private struct Stage {
        var label: String
        var progress = BatchProgress(total: 0, finished: 0, failed: 0, bytes: 0)
        var started = ContinuousClock.now
        /// Whether the ETA counts this stage.
        var timed = true
        /// Gets what the stage before it finishes without failing (a run's thumbnails).
        var follows = false
        /// Items done before this process started on it (a job's), left out of its rate.
        var baseline = 0
    }

    private struct State {
        var stages: [Stage]
        var lastDraw: ContinuousClock.Instant?
    }

    private let state: Locked<State>
    private let enabled: Bool

    init(_ labels: String..., enabled: Bool = Console.isTerminal && !OutputOptions.isQuiet) {
        state = Locked(State(stages: labels.map { Stage(label: $0) }))
        self.enabled = enabled
    }

    /// The callback to hand a batch for stage `index`; nil when disabled.
    func handler(_ index: Int = 0) -> (@Sendable (BatchProgress) -> Void)? {
        guard enabled else { return nil }
        return { [self] progress in update(index, progress) }
    }

    /// Stage `index` after one more job ended.
    func update(_ index: Int, _ progress: BatchProgress, force: Bool = false) {
        guard enabled else { return }
        let now = ContinuousClock.now
        let text: String? = state.withLock { state in
            // Jobs end on many threads, and their reports can arrive out of order: an older
            // one (fewer finished) would move the count backwards.
            guard state.stages.indices.contains(index), progress.finished >= state.stages[index].progress.finished else { return nil }
            state.stages[index].progress = progress
            let done = state.stages.indices.allSatisfy { state.stages[$0].progress.finished >= Self.total(state.stages, $0) }
            if !force, !done, let previous = state.lastDraw, now - previous < .milliseconds(100) { return nil }
            state.lastDraw = now
            return Self.line(state.stages, now: now)
        }
        if let text { FileHandle.standardError.write(Data(("\r\u{1B}[2K" + text).utf8)) }
    }

    /// Renames stage `index` and starts it afresh (a job worker's next shard), `baseline`
    /// items done already.
    func restart(_ index: Int, label: String, baseline: Int = 0) {
        state.withLock { state in
            guard state.stages.indices.contains(index) else { return }
            state.stages[index] = Stage(label: label, timed: state.stages[index].timed, baseline: baseline)
        }
    }

    /// Whether the line is drawn at all.
    var isEnabled: Bool { enabled }

    /// Stage `index` gets what the stage before it finishes without failing.
    func follow(_ index: Int) {
        state.withLock { state in if state.stages.indices.contains(index), index > 0 { state.stages[index].follows = true } }
    }

    /// Leaves stage `index` out of the ETA (a shard's part, when the job's is what counts).
    func untimed(_ index: Int) {
        state.withLock { state in if state.stages.indices.contains(index) { state.stages[index].timed = false } }
    }

    /// Clears the line.
    func finish() {
        guard enabled else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[2K".utf8))
    }

    private static func line(_ stages: [Stage], now: ContinuousClock.Instant) -> String {
        var parts: [String] = []
        var eta: Double? = 0
        for (index, stage) in stages.enumerated() {
            let progress = stage.progress
            let total = Self.total(stages, index)
            let seconds = max(0.001, (now - stage.started).seconds)
            // A listing still going has no total yet: the count alone.
            var text = total >= progress.finished && total > 0 ? "\(stage.label) \(progress.finished)/\(total)" : "\(stage.label) \(progress.finished)"
            if progress.bytes > 0 { text += String(format: " %.1f MB", Double(progress.bytes) / 1_000_000) }
            let rate = Double(max(0, progress.finished - stage.baseline)) / seconds
            if progress.finished > 0 { text += String(format: " %.1f/s", rate) }
            if progress.bytes > 0, stage.baseline == 0 { text += String(format: " %.1f MB/s", Double(progress.bytes) / 1_000_000 / seconds) }
            if progress.failed > 0 { text += " \(progress.failed) failed" }
            parts.append(text)
            guard stage.timed else { continue }
            let left = total - progress.finished
            if total < progress.finished || total == 0 { eta = nil; continue }
            if left <= 0 { continue }
            if rate > 0, let sofar = eta { eta = max(sofar, Double(left) / rate) } else { eta = nil }
        }
        return parts.joined(separator: " · ") + " · ETA " + (eta.map(clock) ?? "--:--")
    }

    /// What stage `index` will have done in all, as far as is known.
    private static func total(_ stages: [Stage], _ index: Int) -> Int {
        let stage = stages[index]
        var total = stage.progress.total
        if stage.follows, index > 0 {
            let before = stages[index - 1].progress
            total = max(total, max(before.total, before.finished) - before.failed)
        }
        return total
    }

    /// `0:07`, `12:30`, `1:02:03`.
    static func clock(_ seconds: Double) -> String {
        let whole = Int(seconds.rounded(.up))
        let (hours, minutes, secs) = (whole / 3600, whole / 60 % 60, whole % 60)
        return hours > 0 ? String(format: "%d:%02d:%02d", hours, minutes, secs) : String(format: "%d:%02d", minutes, secs)
    }
}
