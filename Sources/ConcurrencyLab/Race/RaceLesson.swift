import Engines
import Foundation

/// `skein lab race`: threads doing an unsynchronised read-modify-write on a shared counter
/// lose updates.
///
/// Swift 6 refuses the naive version (`var counter` captured by threads does not compile), so
/// the counter lives in a box that is explicitly, deliberately unsafe. The increment is kept
/// out of line and split into a load and a store: inlined, the optimiser folds the whole loop
/// into one addition and the race disappears from sight (while staying undefined behaviour).
package enum RaceLesson {
    package struct Result: Sendable {
        package var threads: Int
        package var iterations: Int
        package var expected: Int
        package var got: Int
        package var lost: Int { expected - got }
    }

    package static func run(threads: Int, iterations: Int) -> Result {
        let counter = UnsafeCounter()
        // All threads start counting together, so they really overlap.
        let go = DispatchSemaphore(value: 0)
        let workers = (0..<threads).map { _ in
            JoinableThread(name: "racer") {
                go.wait()
                for _ in 0..<iterations { unsafeIncrement(counter) }
            }
        }
        workers.forEach { $0.start() }
        for _ in workers { go.signal() }
        workers.forEach { $0.join() }
        return Result(threads: threads, iterations: iterations, expected: threads * iterations, got: counter.value)
    }

    /// Reads, then writes: another thread's write in between is lost.
    @inline(never)
    static func unsafeIncrement(_ counter: UnsafeCounter) {
        let value = counter.value
        counter.value = value + 1
    }
}

/// A counter with no protection at all, which the compiler is told to trust.
/// `@unchecked Sendable` is a lie here, on purpose: this is the race the lesson shows, and
/// `make tsan` shows ThreadSanitizer catching it.
final class UnsafeCounter: @unchecked Sendable {
    var value = 0
}
