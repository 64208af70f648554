import Synchronization
import Basics

/// Why a batch stopped early.
package enum StopReason: String, Sendable, Codable {
    /// The whole-batch deadline passed.
    case timedOut
    /// Somebody cancelled it (Ctrl-C).
    case cancelled
}

/// A one-way switch shared by everything in a batch: once stopped it stays stopped, with the
/// first reason given. Cheap to poll from any thread; handlers run once, outside the lock.
package final class StopSignal: Sendable {
    private struct State {
        var reason: StopReason?
        var nextID = 0
        var handlers: [Int: @Sendable (StopReason) -> Void] = [:]
    }

    private let state = Locked(State())
    private let stopped = Atomic<Bool>(false)

    package init() {}

    /// The reason, once stopped.
    package var reason: StopReason? {
        stopped.load(ordering: .acquiring) ? state.withLock { $0.reason } : nil
    }

    package var isStopped: Bool { stopped.load(ordering: .acquiring) }

    /// Stops, if not stopped already, and runs the handlers. Returns false if it was already stopped.
    @discardableResult
    package func stop(_ reason: StopReason) -> Bool {
        let handlers: [@Sendable (StopReason) -> Void]? = state.withLock { state in
            guard state.reason == nil else { return nil }
            state.reason = reason
            let list = Array(state.handlers.values)
            state.handlers = [:]
            return list
        }
        guard let handlers else { return false }
        stopped.store(true, ordering: .releasing)
        for handler in handlers { handler(reason) }
        return true
    }

    /// Runs `handler` when stopped (at once if already stopped).
    /// - Returns: a token for `removeHandler(_:)`.
    @discardableResult
    package func onStop(_ handler: @escaping @Sendable (StopReason) -> Void) -> Int {
        let outcome: (id: Int, fireNow: StopReason?) = state.withLock { state in
            if let reason = state.reason { return (-1, reason) }
            let id = state.nextID
            state.nextID += 1
            state.handlers[id] = handler
            return (id, nil)
        }
        if let reason = outcome.fireNow { handler(reason) }
        return outcome.id
    }

    package func removeHandler(_ id: Int) {
        _ = state.withLock { $0.handlers.removeValue(forKey: id) }
    }

    /// Stops this signal when `parent` stops.
    /// - Returns: the handler's token on `parent`, for `parent.removeHandler(_:)`.
    @discardableResult
    package func follow(_ parent: StopSignal) -> Int {
        parent.onStop { [weak self] reason in self?.stop(reason) }
    }

    /// Handlers waiting for the stop (for tests: a finished wait leaves none behind).
    package var handlerCount: Int { state.withLock { $0.handlers.count } }

    /// Suspends until stopped, or until the calling task is cancelled.
    /// - Returns: the reason, or nil when the task was cancelled first. A cancelled wait
    ///   leaves the signal as it was: not stopped, with no handler left behind.
    @discardableResult
    package func wait() async -> StopReason? {
        let box = Locked<CheckedContinuation<Void, Never>?>(nil)
        let id = Locked<Int?>(nil)
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                box.withLock { $0 = continuation }
                let token = onStop { _ in box.withLock { $0.take() }?.resume() }
                id.withLock { $0 = token }
                if Task.isCancelled { box.withLock { $0.take() }?.resume() }
            }
        } onCancel: {
            box.withLock { $0.take() }?.resume()
        }
        if let token = id.withLock({ $0 }), token >= 0 { removeHandler(token) }
        return reason
    }
}
