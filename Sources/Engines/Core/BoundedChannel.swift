import Dispatch
import Locking

/// A first-in first-out buffer of limited capacity between two stages, usable from threads
/// (blocking calls) and from tasks (async calls) alike: a full buffer makes senders wait
/// (back-pressure), an empty one makes receivers wait.
///
/// `close()` means no more sends: receivers drain what is left, then get nil. `cancel()` drops
/// everything: every waiting and later call returns at once (false or nil).
///
/// The state sits under one lock; waiters are woken outside it and check again.
public final class BoundedChannel<Element: Sendable>: Sendable {
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
    private enum Step<T> { case done(T, wake: [Waiter]), wait(Int) }

    private let state = Locked(State())
    public let capacity: Int

    public init(capacity: Int) {
        precondition(capacity > 0, "capacity must be positive")
        self.capacity = capacity
    }

    // MARK: sending

    /// Adds an element, waiting while the buffer is full. False when closed or cancelled.
    @discardableResult
    public func sendBlocking(_ element: Element) -> Bool {
        while true {
            let semaphore = DispatchSemaphore(value: 0)
            switch trySend(element, waiter: .thread(semaphore)) {
            case .done(let accepted, let wake): wake.forEach { $0.wake() }; return accepted
            case .wait: semaphore.wait()
            }
        }
    }

    /// Adds an element, suspending while the buffer is full. False when closed or cancelled.
    /// A waiting call returns when there is room or the channel is closed or cancelled.
    @discardableResult
    public func send(_ element: Element) async -> Bool {
        while true {
            let attempt = await withCheckedContinuation { (continuation: CheckedContinuation<Attempt<Bool>, Never>) in
                switch trySend(element, waiter: .task({ continuation.resume(returning: .retry) })) {
                case .done(let accepted, let wake):
                    wake.forEach { $0.wake() }
                    continuation.resume(returning: .finished(accepted))
                case .wait:
                    break
                }
            }
            if case .finished(let accepted) = attempt { return accepted }
        }
    }

    private func trySend(_ element: Element, waiter: Waiter) -> Step<Bool> {
        state.withLock { state in
            if state.closed || state.cancelled { return .done(false, wake: []) }
            if state.count < capacity {
                state.buffer.append(element)
                state.sent += 1
                return .done(true, wake: state.takeWaiters())
            }
            let id = state.nextWaiter
            state.nextWaiter += 1
            state.waiters[id] = waiter
            return .wait(id)
        }
    }

    // MARK: receiving

    /// Takes the oldest element, waiting for one; nil once closed and drained, or cancelled.
    public func receiveBlocking() -> Element? {
        while true {
            let semaphore = DispatchSemaphore(value: 0)
            switch tryReceive(waiter: .thread(semaphore)) {
            case .done(let element, let wake): wake.forEach { $0.wake() }; return element
            case .wait: semaphore.wait()
            }
        }
    }

    /// Takes the oldest element, suspending until there is one; nil once closed and drained,
    /// or cancelled.
    public func receive() async -> Element? {
        while true {
            let attempt = await withCheckedContinuation { (continuation: CheckedContinuation<Attempt<Element?>, Never>) in
                switch tryReceive(waiter: .task({ continuation.resume(returning: .retry) })) {
                case .done(let element, let wake):
                    wake.forEach { $0.wake() }
                    continuation.resume(returning: .finished(element))
                case .wait:
                    break
                }
            }
            if case .finished(let element) = attempt { return element }
        }
    }

    private func tryReceive(waiter: Waiter) -> Step<Element?> {
        state.withLock { state in
            if state.cancelled { return .done(nil, wake: []) }
            if state.count > 0 { return .done(state.pop(), wake: state.takeWaiters()) }
            if state.closed { return .done(nil, wake: []) }
            let id = state.nextWaiter
            state.nextWaiter += 1
            state.waiters[id] = waiter
            return .wait(id)
        }
    }

    // MARK: ending

    /// No more sends; receivers get what is buffered, then nil.
    public func close() {
        state.withLock { state in
            state.closed = true
            return state.takeWaiters()
        }.forEach { $0.wake() }
    }

    /// Drops everything; all waiting and later calls return at once.
    public func cancel() {
        state.withLock { state in
            state.cancelled = true
            state.buffer = []
            state.head = 0
            return state.takeWaiters()
        }.forEach { $0.wake() }
    }

    /// How many elements were sent, once the channel is closed.
    public var sentCountIfClosed: Int? {
        state.withLock { $0.closed ? $0.sent : nil }
    }

    /// Elements waiting in the buffer.
    public var count: Int { state.withLock { $0.count } }
}
