import Engines
import Foundation
import Basics

/// `skein lab join`: three threads started, then joined in order. Each sleeps a different
/// (seeded) time, so they finish in an order that varies with the seed, and the log shows it;
/// every join line still comes after its own thread's "finishing" line.
package enum JoinLesson {
    /// - Returns: the order in which the threads finished.
    @discardableResult
    package static func run(log: LabLog, seed: UInt64, sleep: Duration = .seconds(2)) -> [Int] {
        var random = SeededRandom(seed: seed, stream: "join")
        // Sleeps between half and one and a half times `sleep`, distinct enough to order them.
        let sleeps = (0..<3).map { _ in sleep * Double.random(in: 0.5...1.5, using: &random) }
        let order = Locked<[Int]>([])
        var threads: [LabThread] = []
        for index in 0..<3 {
            log.info("Main    : create and start thread \(index).")
            let thread = LabThread(name: "Thread \(index)") {
                log.info("Thread \(index): starting")
                Thread.sleep(forTimeInterval: sleeps[index].seconds)
                order.withLock { $0.append(index) }
                log.info("Thread \(index): finishing")
            }
            threads.append(thread)
            thread.start()
        }
        for (index, thread) in threads.enumerated() {
            log.info("Main    : before joining thread \(index).")
            thread.join()
            log.info("Main    : thread \(index) done")
        }
        return order.withLock { $0 }
    }
}

