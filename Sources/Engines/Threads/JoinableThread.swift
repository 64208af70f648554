import Foundation
import Synchronization

/// A `Foundation.Thread` you can `join()`, as in Python's `threading.Thread`.
///
/// Foundation's `Thread` has no join: this wrapper signals a semaphore when the body returns.
/// `@unchecked Sendable`: its stored properties are constants; `Thread.start()` may be called
/// from any thread, and the semaphore and atomic are thread-safe.
public final class JoinableThread: @unchecked Sendable {
    private final class Completion: Sendable {
        let semaphore = DispatchSemaphore(value: 0)
        let done = Atomic<Bool>(false)
    }
    private let completion = Completion()
    private var finished: DispatchSemaphore { completion.semaphore }
    private let thread: Thread

    /// Creates (but doesn't start) a thread that runs `body`.
    public init(name: String? = nil, stackSize: Int? = nil, _ body: @escaping @Sendable () -> Void) {
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
    public func start() { thread.start() }

    /// Blocks until the thread's body has returned.
    public func join() {
        finished.wait()
        finished.signal() // let later joins through too
    }

    /// True once the body has returned.
    public var isFinished: Bool { completion.done.load(ordering: .acquiring) }

    /// Starts a thread running `body` and returns it.
    @discardableResult
    public static func spawn(name: String? = nil, _ body: @escaping @Sendable () -> Void) -> JoinableThread {
        let thread = JoinableThread(name: name, body)
        thread.start()
        return thread
    }
}

extension DispatchSemaphore {
    /// A semaphore holding `count` permits that may be disposed of whatever its count then:
    /// libdispatch traps when a semaphore dies with a value below its initial one, so this
    /// starts at zero and adds the permits.
    static func permits(_ count: Int) -> DispatchSemaphore {
        let semaphore = DispatchSemaphore(value: 0)
        for _ in 0..<count { semaphore.signal() }
        return semaphore
    }
}
