import Dispatch
import Basics
import Engines
import Foundation
import Synchronization

/// `skein lab lock`: the classic 2 threads × 100,000 locked increments, 10 times, always
/// 200,000; then the same count made safe five other ways, with the time each takes.
package enum LockLesson {
    /// The tutorial's loop: `lock.acquire(); increment(); lock.release()`.
    package static func classic(log: LabLog, iterations: Int = 10, increments: Int = 100_000) -> [Int] {
        (0..<iterations).map { iteration in
            let x = LockedCounter()
            let t1 = JoinableThread { for _ in 0..<increments { x.increment() } }
            let t2 = JoinableThread { for _ in 0..<increments { x.increment() } }
            t1.start(); t2.start()
            t1.join(); t2.join()
            log.info("Iteration \(iteration): x = \(x.value)")
            return x.value
        }
    }

    /// One way of making the increment safe, and what it cost.
    package struct Measurement: Sendable {
        package var name: String
        package var total: Int
        package var expected: Int
        package var nanosecondsPerIncrement: Double
    }

    /// Two threads (or tasks) × `increments` each, for every mechanism.
    package static func compare(increments: Int = 1_000_000) async -> [Measurement] {
        var results: [Measurement] = []
        results.append(measure("NSLock", increments) { n in
            let lock = NSLock(); let box = Box()
            return (box, { for _ in 0..<n { lock.lock(); box.value += 1; lock.unlock() } })
        })
        results.append(measure("Mutex", increments) { n in
            let box = MutexBox()
            return (box, { for _ in 0..<n { box.increment() } })
        })
        results.append(measure("Atomic", increments) { n in
            let box = AtomicBox()
            return (box, { for _ in 0..<n { box.increment() } })
        })
        results.append(measure("serial DispatchQueue", increments) { n in
            let queue = DispatchQueue(label: "counter"); let box = Box()
            return (box, { for _ in 0..<n { queue.sync { box.value += 1 } } })
        })
        // The actor: two tasks awaiting it.
        let actor = CounterActor()
        let start = ContinuousClock.now
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<2 { group.addTask { for _ in 0..<increments { await actor.increment() } } }
        }
        let elapsed = ContinuousClock.now - start
        results.append(Measurement(name: "actor", total: await actor.value, expected: 2 * increments,
                                   nanosecondsPerIncrement: elapsed.seconds * 1e9 / Double(2 * increments)))
        return results
    }

    private static func measure(_ name: String, _ increments: Int,
                                _ make: (Int) -> (any CountHolder, @Sendable () -> Void)) -> Measurement {
        let (box, body) = make(increments)
        let threads = (0..<2).map { _ in JoinableThread(body) }
        let start = ContinuousClock.now
        threads.forEach { $0.start() }
        threads.forEach { $0.join() }
        let elapsed = ContinuousClock.now - start
        return Measurement(name: name, total: box.count, expected: 2 * increments,
                           nanosecondsPerIncrement: elapsed.seconds * 1e9 / Double(2 * increments))
    }
}

protocol CountHolder: Sendable { var count: Int { get } }

/// A counter guarded by an `NSLock`, like the tutorial's `threading.Lock`.
final class LockedCounter: Sendable {
    private let lock = NSLock()
    private nonisolated(unsafe) var x = 0 // guarded by `lock`
    func increment() { lock.lock(); x += 1; lock.unlock() }
    var value: Int { lock.lock(); defer { lock.unlock() }; return x }
}

/// A plain box whose safety is up to the code using it (the lock or the queue around it).
final class Box: @unchecked Sendable, CountHolder {
    var value = 0
    var count: Int { value }
}

final class MutexBox: Sendable, CountHolder {
    let mutex = Mutex(0)
    func increment() { mutex.withLock { $0 += 1 } }
    var count: Int { mutex.withLock { $0 } }
}

final class AtomicBox: Sendable, CountHolder {
    let atomic = Atomic<Int>(0)
    func increment() { atomic.add(1, ordering: .relaxed) }
    var count: Int { atomic.load(ordering: .relaxed) }
}

actor CounterActor {
    var value = 0
    func increment() { value += 1 }
}
