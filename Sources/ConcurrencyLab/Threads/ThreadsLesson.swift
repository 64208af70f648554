import Foundation
import Basics

/// `skein lab threads` and `skein lab daemon`: a thread started and never joined.
///
/// Main logs, starts a thread that sleeps, and finishes ("all done") long before the thread
/// does. With a non-daemon thread the process still waits for it: "Thread 1: finishing" comes
/// after "Main: all done". With a daemon thread the process ends without it: that line never
/// appears. (Which one happened is decided when the caller ends the process with
/// `LabThread.exitProcess()`.)
package enum ThreadsLesson {
    package static func run(log: LabLog, daemon: Bool, sleep: Duration = .seconds(2)) {
        log.info("Main    : before creating thread")
        let thread = LabThread(name: "Thread 1", isDaemon: daemon) {
            threadFunction(1, log: log, sleep: sleep)
        }
        log.info("Main    : before running thread")
        thread.start()
        log.info("Main    : wait for the thread to finish")
        // thread.join()  <- the point of the lesson: no join.
        log.info("Main    : all done")
    }

    /// The tutorial's `thread_function`.
    static func threadFunction(_ name: Int, log: LabLog, sleep: Duration) {
        log.info("Thread \(name): starting")
        Thread.sleep(forTimeInterval: sleep.seconds)
        log.info("Thread \(name): finishing")
    }
}
