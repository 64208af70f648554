import Basics
import Engines
import Foundation

/// A stage's part of the trace (`--trace`): its process row named for its engine, one lane
/// per worker, one complete event per job with its bytes and outcome. Does nothing when no
/// trace was asked for.
struct StageTrace: Sendable {
    let recorder: TraceRecorder?
    let row: TraceRecorder.Row
    let engine: Engine

    init(_ row: TraceRecorder.Row, engine: Engine) {
        recorder = TraceRecorder.current
        self.row = row
        self.engine = engine
        recorder?.name(row.rawValue, "\(row == .download ? "download" : "thumbnail") · \(engine.kind.rawValue) × \(engine.workers)")
        recorder?.name(TraceRecorder.eventsLane(row), row == .download ? "rate-limit pauses" : "events")
    }

    /// The lane of the worker that ran a job (the worker number, or a process's pid).
    func lane(_ worker: Int?) -> TraceRecorder.Lane {
        let lane = TraceRecorder.Lane(process: row.rawValue, thread: worker ?? 0)
        if let recorder {
            let kind: String = switch engine.kind {
            case .async: "task"
            case .processes: "process"
            case .sequential: "loop"
            case .gcd: "gcd slot"
            case .operations: "operation slot"
            default: "thread"
            }
            recorder.name(lane, "\(kind) \(worker ?? 0)")
        }
        return lane
    }

    /// A job that just ended: `report` says what became of it.
    func job<Output>(_ outcome: JobOutcome<Output>, _ report: ItemReport) {
        guard let recorder else { return }
        var args: [String: TraceArgument] = ["outcome": .text(report.error?.code ?? report.status.rawValue), "bytes": .number(Double(report.bytes))]
        if let attempts = report.attempts, attempts > 1 { args["attempts"] = .number(Double(attempts)) }
        if let file = report.file { args["file"] = .text(file) }
        let name = report.id ?? (report.item as NSString).lastPathComponent
        recorder.job(name, category: row == .download ? "download" : "thumbnail", lane: lane(outcome.worker), seconds: outcome.seconds, args: args)
    }

    /// A finished download waited `since` for room in the buffer before the thumbnails.
    func waited(since start: ContinuousClock.Instant, worker: Int?) {
        guard let recorder, ContinuousClock.now - start > .microseconds(500) else { return }
        recorder.complete("buffer full", category: "buffer", lane: lane(worker), start: start)
    }
}
