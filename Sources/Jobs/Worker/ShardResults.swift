import Basics
import Engines
import ImgurAPI
import Pipeline

/// The results of one shard's items as they finish, until the flusher takes them. Reports are
/// matched to items by URL (a shard's URLs are distinct but for hostile listings; a second
/// item with the same URL takes the next report). A run stopped before an item finished
/// leaves it pending: it is not a failure of the item.
final class ShardResults: Sendable {
    private struct State {
        var seqs: [String: [Int]] = [:]
        var ready: [ItemResult] = []
        var done = 0, failed = 0, bytes = 0
    }
    private let state: Locked<State>

    init(_ claim: ShardClaim) {
        var seqs: [String: [Int]] = [:]
        for item in claim.items { seqs[item.link.url, default: []].append(item.seq) }
        state = Locked(State(seqs: seqs))
    }

    func add(_ report: ItemReport) {
        if let failure = report.error, JobFailure(code: failure.code, message: failure.message).isStop { return }
        state.withLock { state in
            guard var seqs = state.seqs[report.item], !seqs.isEmpty else { return }
            let seq = seqs.removeFirst()
            state.seqs[report.item] = seqs.isEmpty ? nil : seqs
            if report.status == .failed {
                state.failed += 1
                state.ready.append(.failed(seq, cause: report.error?.code ?? "error", message: report.error?.message ?? "failed"))
            } else {
                state.done += 1
                state.bytes += report.bytes
                state.ready.append(.done(seq, bytes: report.bytes, file: report.file ?? ""))
            }
        }
    }

    /// Results a write failed to record, to be written with the next batch.
    func putBack(_ results: [ItemResult]) {
        state.withLock { $0.ready = results + $0.ready }
    }

    func take() -> [ItemResult] {
        state.withLock { state in
            defer { state.ready.removeAll() }
            return state.ready
        }
    }

    var counts: (done: Int, failed: Int, bytes: Int) { state.withLock { ($0.done, $0.failed, $0.bytes) } }
}
