import Dispatch
import Basics

/// Runs async code from a thread that must block until it is done (the blocking form of a
/// workload, on a thread-based engine).
///
/// The obvious bridge, `Task { … }` plus a semaphore, starves: on Linux the Swift runtime's
/// global executor is libdispatch's pool, and the `gcd` and `operations` engines fill that same
/// pool with threads blocked on those semaphores, so the tasks they wait for get no thread
/// until libdispatch slowly adds some (200 downloads took 15 s instead of 0.2 s). Here the task
/// prefers a small executor with threads of its own, which blocked callers can never occupy.
package enum BlockingBridge {
    /// Runs `body` to completion and returns its result, blocking the calling thread.
    /// `stop` cancels the task when the batch stops.
    package static func run<T: Sendable>(stop: StopSignal? = nil,
                                        _ body: @escaping @Sendable () async throws -> T) throws -> T {
        let done = DispatchSemaphore(value: 0)
        let outcome = Locked<Result<T, any Error>?>(nil)
        // Unstructured on purpose: this is the bridge from a blocking thread into async code.
        let task = Task(executorPreference: BridgeExecutor.shared) {
            let result: Result<T, any Error>
            do { result = .success(try await body()) } catch { result = .failure(error) }
            outcome.withLock { $0 = result }
            done.signal()
        }
        let handler = stop?.onStop { _ in task.cancel() }
        done.wait()
        if let handler { stop?.removeHandler(handler) }
        return try outcome.withLock { $0! }.get()
    }
}

/// The bridge's executor: two threads of its own. Bridged tasks mostly wait on network I/O
/// (done on NIO's event loops); these threads only run the short steps in between.
enum BridgeExecutor {
    static let shared = ThreadExecutor(name: "skein-bridge", threads: 2)
}
