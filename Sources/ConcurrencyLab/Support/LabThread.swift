import Engines
import Foundation
import Basics

/// A thread with Python's `daemon` flag.
///
/// Swift has no non-daemon threads: a process ends when `main` returns, whatever its other
/// threads are doing. Python's interpreter instead joins every non-daemon thread before it
/// exits. `LabThread` brings that back: non-daemon threads are counted, and
/// `LabThread.exitProcess(_:)` waits for them before ending the process, while daemon threads
/// are simply cut off by the exit.
package final class LabThread: Sendable {
    package let name: String
    package let isDaemon: Bool
    private let thread: JoinableThread

    private static let running = Locked<Int>(0)
    private static let allDone = NSCondition()

    package init(name: String, isDaemon: Bool = false, _ target: @escaping @Sendable () -> Void) {
        self.name = name
        self.isDaemon = isDaemon
        thread = JoinableThread(name: name) {
            Thread.current.threadDictionary[LabTrace.laneKey] = name
            target()
            if !isDaemon { LabThread.finished() }
        }
    }

    package func start() {
        if !isDaemon { Self.running.withLock { $0 += 1 } }
        thread.start()
    }

    /// Blocks until the thread's target has returned.
    package func join() { thread.join() }

    private static func finished() {
        allDone.lock()
        running.withLock { $0 -= 1 }
        allDone.broadcast()
        allDone.unlock()
    }

    /// Waits for every started non-daemon thread, as Python does at interpreter exit.
    package static func waitForNonDaemonThreads() {
        allDone.lock()
        while running.withLock({ $0 }) > 0 { allDone.wait() }
        allDone.unlock()
    }

    /// Ends the process the Python way: non-daemon threads are waited for, daemon threads die.
    package static func exitProcess(_ status: Int32 = 0) -> Never {
        waitForNonDaemonThreads()
        exit(status)
    }
}
