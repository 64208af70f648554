import Foundation
import Synchronization

/// The engines that run blocking jobs on threads. Each really blocks one thread per job in
/// flight (that is what they are here to measure); the caller's task waits without blocking.
enum ThreadEngines {
    /// A plain loop on one thread.
    static func sequential<W: Workload>(_ workload: W, _ inputs: [W.Input],
                                        _ options: BatchOptions) async -> [JobOutcome<W.Output>] {
        let collector = OutcomeCollector<W.Output>(count: inputs.count, options: options)
        JoinableThread.spawn(name: "sequential") {
            for (index, input) in inputs.enumerated() {
                guard collector.begin() else { break }
                collector.run(workload, input, index: index, worker: 0)
            }
        }
        return await collector.finish()
    }

    /// N threads pulling job numbers from a shared blocking queue; a coordinator thread feeds
    /// the queue, closes it and joins the workers.
    static func threads<W: Workload>(_ workload: W, _ inputs: [W.Input], workers: Int,
                                     _ options: BatchOptions) async -> [JobOutcome<W.Output>] {
        let collector = OutcomeCollector<W.Output>(count: inputs.count, options: options)
        JoinableThread.spawn(name: "threads-coordinator") {
            let queue = BlockingQueue<Int>()
            let threads = (0..<min(workers, inputs.count)).map { worker in
                JoinableThread.spawn(name: "DownloadWorker-\(worker)") {
                    while let index = queue.get() {
                        defer { queue.taskDone() }
                        guard collector.begin() else { continue }
                        collector.run(workload, inputs[index], index: index, worker: worker)
                    }
                }
            }
            for index in inputs.indices { queue.put(index) }
            queue.close()
            for thread in threads { thread.join() }
        }
        return await collector.finish()
    }

    /// A `ThreadPool` and its ordered `map` with the whole-batch timeout.
    static func pool<W: Workload>(_ workload: W, _ inputs: [W.Input], workers: Int,
                                  _ options: BatchOptions) async -> [JobOutcome<W.Output>] {
        let collector = OutcomeCollector<W.Output>(count: inputs.count, options: options)
        JoinableThread.spawn(name: "pool-coordinator") {
            let pool = ThreadPool(width: min(workers, inputs.count))
            let lanes = Lanes(workers)
            // The deadline is the collector's: map just waits for each result in order.
            _ = pool.map(Array(inputs.indices)) { index in
                guard collector.begin() else { return }
                lanes.withLane { collector.run(workload, inputs[index], index: index, worker: $0) }
            }
            pool.shutdown()
        }
        return await collector.finish()
    }

    /// A concurrent dispatch queue; a semaphore keeps at most `workers` blocks running.
    static func gcd<W: Workload>(_ workload: W, _ inputs: [W.Input], workers: Int,
                                 _ options: BatchOptions) async -> [JobOutcome<W.Output>] {
        let collector = OutcomeCollector<W.Output>(count: inputs.count, options: options)
        JoinableThread.spawn(name: "gcd-feeder") {
            let queue = DispatchQueue(label: "skein.gcd", attributes: .concurrent)
            let slots = DispatchSemaphore(value: workers)
            let group = DispatchGroup()
            let lanes = Lanes(workers)
            for index in inputs.indices {
                slots.wait()
                guard collector.begin() else { slots.signal(); break }
                queue.async(group: group) {
                    lanes.withLane { collector.run(workload, inputs[index], index: index, worker: $0) }
                    slots.signal()
                }
            }
            group.wait()
        }
        return await collector.finish()
    }

    /// An `OperationQueue` with `maxConcurrentOperationCount = workers`.
    static func operations<W: Workload>(_ workload: W, _ inputs: [W.Input], workers: Int,
                                        _ options: BatchOptions) async -> [JobOutcome<W.Output>] {
        let collector = OutcomeCollector<W.Output>(count: inputs.count, options: options)
        JoinableThread.spawn(name: "operations-coordinator") {
            let queue = OperationQueue()
            queue.maxConcurrentOperationCount = workers
            queue.name = "skein.operations"
            let lanes = Lanes(workers)
            let stopHandler = collector.stop.onStop { _ in queue.cancelAllOperations() }
            for index in inputs.indices {
                queue.addOperation {
                    guard collector.begin() else { return }
                    lanes.withLane { collector.run(workload, inputs[index], index: index, worker: $0) }
                }
            }
            queue.waitUntilAllOperationsAreFinished()
            collector.stop.removeHandler(stopHandler)
        }
        return await collector.finish()
    }
}

/// Numbers the lanes of a pool: a job takes the lowest free lane number and gives it back
/// when it ends, so reports can say which of the N lanes ran each job.
final class Lanes: Sendable {
    private let free: Mutex<[Int]>

    init(_ count: Int) { free = Mutex(Array((0..<count).reversed())) }

    func withLane<T>(_ body: (Int) -> T) -> T {
        let lane = free.withLock { $0.popLast() } ?? -1
        defer { if lane >= 0 { free.withLock { $0.append(lane) } } }
        return body(lane)
    }
}
