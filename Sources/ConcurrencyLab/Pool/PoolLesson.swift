import Engines
import Foundation

/// `skein lab pool`: `ThreadPoolExecutor(max_workers=3).map(thread_function, range(3))`, on the
/// thread pool the `pool` engine uses: three threads, started and joined by the pool itself.
package enum PoolLesson {
    package static func run(log: LabLog, sleep: Duration = .seconds(2)) {
        let pool = ThreadPool(width: 3)
        _ = pool.map(Array(0..<3)) { index in
            ThreadsLesson.threadFunction(index, log: log, sleep: sleep)
        }
        pool.shutdown() // what leaving Python's `with` block does
    }
}
