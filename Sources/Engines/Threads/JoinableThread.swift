import Foundation
import Synchronization

/// A `Foundation.Thread` you can `join()`, as in Python's `threading.Thread`.
///
/// Foundation's `Thread` has no join: this wrapper signals a semaphore when the body returns.
/// `@unchecked Sendable`: its stored properties are constants; `Thread.start()` may be called
/// from any thread, and the semaphore and atomic are thread-safe.
package final class JoinableThread: @unchecked Sendable {
    private final class Completion: Sendable {
        let semaphore = DispatchSemaphore(value: 0)
        let done = Atomic<Bool>(false)
    }
    private let completion = Completion()
    private var finished: DispatchSemaphore { completion.semaphore }
    private let thread: Thread

    /// Creates (but doesn't start) a thread that runs `body`.
    package init(name: String? = nil, stackSize: Int? = nil, _ body: @escaping @Sendable () -> Void) {
        let completion = self.completion
        thread = Thread {
            body()
            completion.done.store(true, ordering: .releasing)
            completion.semaphore.signal()
        }
        if let name { thread.name = name }
        if let stackSize { thread.stackSize = stackSize }
    }

    /// Starts the thread.
    package func start() { thread.start() }

    /// Blocks until the thread's body has returned.
    package func join() {
        finished.wait()
        finished.signal() // let later joins through too
    }

    /// True once the body has returned.
    package var isFinished: Bool { completion.done.load(ordering: .acquiring) }

    /// Starts a thread running `body` and returns it.
    @discardableResult
    package static func spawn(name: String? = nil, _ body: @escaping @Sendable () -> Void) -> JoinableThread {
        let thread = JoinableThread(name: name, body)
        thread.start()
        return thread
    }
}
