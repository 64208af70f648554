import Dispatch
import Basics

/// A first-in first-out buffer of limited capacity between two stages, usable from threads
/// (blocking calls) and from tasks (async calls) alike: a full buffer makes senders wait
/// (back-pressure), an empty one makes receivers wait.
///
/// `close()` means no more sends: receivers drain what is left, then get nil. `cancel()` drops
/// everything: every waiting and later call returns at once (false or nil).
///
/// The state sits under one lock; waiters are woken outside it and check again.
package final class BoundedChannel<Element: Sendable>: Sendable {
    private enum Waiter {
        case thread(DispatchSemaphore)
        /// Resumes a suspended task, which then tries again.
        case task(@Sendable () -> Void)

        func wake() {
            switch self {
            case .thread(let semaphore): semaphore.signal()
            case .task(let resume): resume()
            }
        }
    }

    private enum Attempt<T: Sendable>: Sendable { case finished(T), retry }

    private struct State {
        var buffer: [Element] = []
        var head = 0
        var closed = false
        var cancelled = false
        var sent = 0
        var waiters: [Int: Waiter] = [:]
        var nextWaiter = 0

        var count: Int { buffer.count - head }

        /// Registers a waiter to wake on the next change.
        mutating func park(_ waiter: Waiter) -> Step<Never> {
            let id = nextWaiter
            nextWaiter += 1
            waiters[id] = waiter
            return .wait(id)
        }

        mutating func takeWaiters() -> [Waiter] {
            defer { waiters = [:] }
            return Array(waiters.values)
        }

        mutating func pop() -> Element {
            let element = buffer[head]
            head += 1
            if head > 64, head * 2 > buffer.count {
                buffer.removeFirst(head)
                head = 0
            }
            return element
        }
    }

    /// What a send or receive attempt decided under the lock.
    private enum Step<T> {
        case done(T, wake: [Waiter]), wait(Int)

        init(_ parked: Step<Never>) {
            guard case .wait(let id) = parked else { fatalError("a parked attempt always waits") }
            self = .wait(id)
        }
    }

    private let state = Locked(State())
    package let capacity: Int

    package init(capacity: Int) {
        precondition(capacity > 0, "capacity must be positive")
        self.capacity = capacity
    }

    // MARK: sending

    /// Adds an element, waiting while the buffer is full. False when closed or cancelled.
    @discardableResult
    package func sendBlocking(_ element: Element) -> Bool {
        blocking { trySend(element, waiter: $0) }
    }

    /// Adds an element, suspending while the buffer is full. False when closed or cancelled,
    /// or when the calling task is cancelled (then the element is not added).
    @discardableResult
    package func send(_ element: Element) async -> Bool {
        await suspending(cancelled: false) { trySend(element, waiter: $0) }
    }

    private func trySend(_ element: Element, waiter: Waiter) -> Step<Bool> {
        state.withLock { state in
            if state.closed || state.cancelled { return .done(false, wake: []) }
            if state.count < capacity {
                state.buffer.append(element)
                state.sent += 1
                return .done(true, wake: state.takeWaiters())
            }
            return Step(state.park(waiter))
        }
    }

    // MARK: receiving

    /// Takes the oldest element, waiting for one; nil once closed and drained, or cancelled.
    package func receiveBlocking() -> Element? {
        blocking { tryReceive(waiter: $0) }
    }

    /// Takes the oldest element, suspending until there is one; nil once closed and drained,
    /// when the channel is cancelled, or when the calling task is cancelled.
    package func receive() async -> Element? {
        await suspending(cancelled: nil) { tryReceive(waiter: $0) }
    }

    /// Takes the oldest elements, up to `limit`, suspending until there is at least one: a
    /// consumer that handles a batch at once gets all that is waiting. Nil as `receive()` is.
    package func receive(upTo limit: Int) async -> [Element]? {
        await suspending(cancelled: nil) { tryReceive(upTo: max(1, limit), waiter: $0) }
    }

    private func tryReceive(upTo limit: Int, waiter: Waiter) -> Step<[Element]?> {
        state.withLock { state in
            if state.cancelled { return .done(nil, wake: []) }
            if state.count > 0 {
                let batch = (0..<min(limit, state.count)).map { _ in state.pop() }
                return .done(batch, wake: state.takeWaiters())
            }
            if state.closed { return .done(nil, wake: []) }
            return Step(state.park(waiter))
        }
    }

    private func tryReceive(waiter: Waiter) -> Step<Element?> {
        state.withLock { state in
            if state.cancelled { return .done(nil, wake: []) }
            if state.count > 0 { return .done(state.pop(), wake: state.takeWaiters()) }
            if state.closed { return .done(nil, wake: []) }
            return Step(state.park(waiter))
        }
    }

    // MARK: waiting

    /// Tries `attempt` until it is done, blocking this thread while it waits.
    private func blocking<T>(_ attempt: (Waiter) -> Step<T>) -> T {
        while true {
            let semaphore = DispatchSemaphore(value: 0)
            switch attempt(.thread(semaphore)) {
            case .done(let value, let wake): wake.forEach { $0.wake() }; return value
            case .wait: semaphore.wait()
            }
        }
    }

    /// Tries `attempt` until it is done, suspending this task while it waits. A task cancelled
    /// while it waits (or before) stops waiting and gets `cancelled`.
    private func suspending<T: Sendable>(cancelled: T, _ attempt: (Waiter) -> Step<T>) async -> T {
        while !Task.isCancelled {
            let parked = Locked<Int?>(nil)
            let outcome = await withTaskCancellationHandler {
                await withCheckedContinuation { (continuation: CheckedContinuation<Attempt<T>, Never>) in
                    switch attempt(.task({ continuation.resume(returning: .retry) })) {
                    case .done(let value, let wake):
                        wake.forEach { $0.wake() }
                        continuation.resume(returning: .finished(value))
                    case .wait(let id):
                        parked.withLock { $0 = id }
                        if Task.isCancelled { unpark(id) }
                    }
                }
            } onCancel: {
                if let id = parked.withLock({ $0 }) { unpark(id) }
            }
            if case .finished(let value) = outcome { return value }
        }
        return cancelled
    }

    /// Wakes one parked waiter, if it is still parked (whoever removes it wakes it, once).
    private func unpark(_ id: Int) {
        state.withLock { $0.waiters.removeValue(forKey: id) }?.wake()
    }

    // MARK: ending

    /// No more sends; receivers get what is buffered, then nil.
    package func close() {
        state.withLock { state in
            state.closed = true
            return state.takeWaiters()
        }.forEach { $0.wake() }
    }

    /// Drops everything; all waiting and later calls return at once. Returns what was
    /// dropped, so that nothing goes without a word.
    @discardableResult
    package func cancel() -> [Element] {
        let (dropped, waiters) = state.withLock { state in
            state.cancelled = true
            let dropped = Array(state.buffer[state.head...])
            state.buffer = []
            state.head = 0
            return (dropped, state.takeWaiters())
        }
        waiters.forEach { $0.wake() }
        return dropped
    }

    /// How many elements were sent, once the channel is closed.
    package var sentCountIfClosed: Int? {
        state.withLock { $0.closed ? $0.sent : nil }
    }

    /// Elements waiting in the buffer.
    package var count: Int { state.withLock { $0.count } }
}
