import Foundation
import Basics

/// A fixed set of worker threads that run submitted closures, like Python's
/// `concurrent.futures.ThreadPoolExecutor`: `submit` returns a `Future`, `map` runs a function
/// over inputs and returns results in input order, with one deadline for the whole batch.
///
/// Call `shutdown()` when done (it joins the threads), as a `with` block does in Python.
package final class ThreadPool: Sendable {
    private let queue = BlockingQueue<@Sendable () -> Void>()
    private let threads: [JoinableThread]
    /// The number of worker threads.
    package let width: Int

    /// Starts `width` worker threads named `<name>_0`, `<name>_1`…
    package init(width: Int, name: String = "ThreadPoolExecutor") {
        precondition(width > 0, "a pool needs at least one thread")
        self.width = width
        let queue = self.queue
        threads = (0..<width).map { index in
            JoinableThread.spawn(name: "\(name)_\(index)") {
                while let work = queue.get() {
                    work()
                    queue.taskDone()
                }
            }
        }
    }

    /// Schedules `body` on a pool thread.
    package func submit<T: Sendable>(_ body: @escaping @Sendable () throws -> T) -> Future<T> {
        let future = Future<T>()
        let accepted = queue.put {
            guard future.markRunning() else { return } // cancelled before it ran
            future.complete(Result { try body() }.mapError { $0 as any Error })
        }
        if !accepted { future.cancel() }
        return future
    }

    /// Runs `body` over `inputs` on the pool; results come back in input order. With a
    /// `timeout`, results not ready when the whole batch's deadline passes are
    /// `.failure(ThreadPool.TimeoutError)` and their pending calls are cancelled.
    package func map<Input: Sendable, T: Sendable>(
        _ inputs: [Input], timeout: Duration? = nil,
        _ body: @escaping @Sendable (Input) throws -> T
    ) -> [Result<T, any Error>] {
        let futures = inputs.map { input in submit { try body(input) } }
        let deadline = timeout.map { ContinuousClock.now + $0 }
        return futures.map { future in
            let result = future.wait(until: deadline)
            if case .failure(let error) = result, error is TimeoutError { future.cancel() }
            return result
        }
    }

    /// Stops accepting work, lets queued work finish, and joins every thread.
    package func shutdown() {
        queue.close()
        for thread in threads { thread.join() }
    }

    /// The error of a result that wasn't ready by the deadline.
    package struct TimeoutError: Error, CustomStringConvertible {
        package var description: String { "timed out" }
    }
    /// The error of a call cancelled before it started.
    package struct CancelledError: Error, CustomStringConvertible {
        package var description: String { "cancelled before it started" }
    }
}

/// The eventual result of a call submitted to a `ThreadPool`.
package final class Future<T: Sendable>: Sendable {
    private enum State { case pending, running, done(Result<T, any Error>) }
    private let state = Locked<State>(.pending)
    private let ready = DispatchSemaphore(value: 0)

    /// Blocks until the result is ready, or the deadline passes (then `TimeoutError`).
    package func wait(until deadline: ContinuousClock.Instant? = nil) -> Result<T, any Error> {
        if let deadline {
            let nanos = max(0, (deadline - .now).components.seconds * 1_000_000_000
                                + (deadline - .now).components.attoseconds / 1_000_000_000)
            if ready.wait(timeout: .now() + .nanoseconds(Int(clamping: nanos))) == .timedOut {
                return .failure(ThreadPool.TimeoutError())
            }
        } else {
            ready.wait()
        }
        ready.signal()
        return state.withLock { state in
            if case .done(let result) = state { return result }
            return .failure(ThreadPool.CancelledError())
        }
    }

    /// True if it hadn't started; it will then never run.
    @discardableResult
    package func cancel() -> Bool {
        let cancelled = state.withLock { state -> Bool in
            guard case .pending = state else { return false }
            state = .done(.failure(ThreadPool.CancelledError()))
            return true
        }
        if cancelled { ready.signal() }
        return cancelled
    }

    fileprivate func markRunning() -> Bool {
        state.withLock { state in
            guard case .pending = state else { return false }
            state = .running
            return true
        }
    }

    fileprivate func complete(_ result: Result<T, any Error>) {
        state.withLock { $0 = .done(result) }
        ready.signal()
    }
}
