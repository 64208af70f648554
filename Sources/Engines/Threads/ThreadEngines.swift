import Foundation
import Basics

/// The engines that run blocking jobs on threads. Each really blocks one thread per job in
/// flight (that is what they are here to measure); the caller's task waits without blocking.
/// A coordinator thread takes inputs from the source (which may block, for a channel fed by
/// another stage) and hands them to the workers in each model's own way.
enum ThreadEngines {
    typealias Batch<S: JobSource, W: Workload> = BatchStorage<S, W.Output>

    /// A plain loop on one thread.
    static func sequential<W: Workload, S: JobSource>(_ workload: W, _ batch: Batch<S, W>) async -> [JobOutcome<W.Output>]
        where S.Input == W.Input {
        JoinableThread.spawn(name: "sequential") {
            while let item = batch.take() { batch.run(workload, item, worker: 0) }
        }
        return await batch.finish()
    }

    /// N threads pulling from a shared blocking queue, as the tutorial's `DownloadWorker`s
    /// do; the coordinator fills the queue, closes it at the end and joins the workers.
    static func threads<W: Workload, S: JobSource>(_ workload: W, _ batch: Batch<S, W>, workers: Int) async -> [JobOutcome<W.Output>]
        where S.Input == W.Input {
        JoinableThread.spawn(name: "threads-coordinator") {
            let queue = BlockingQueue<(index: Int, input: W.Input)>(capacity: workers)
            let threads = (0..<workers).map { worker in
                JoinableThread.spawn(name: "DownloadWorker-\(worker)") {
                    while let item = queue.get() {
                        batch.run(workload, item, worker: worker)
                        queue.taskDone()
                    }
                }
            }
            while let item = batch.take() { queue.put(item) }
            queue.close()
            for thread in threads { thread.join() }
        }
        return await batch.finish()
    }

    /// A `ThreadPool`: every input is submitted as it arrives (at most twice the pool's width
    /// waiting), and the futures are awaited in input order against the whole-batch deadline,
    /// as `ThreadPoolExecutor.map(timeout=)` does.
    static func pool<W: Workload, S: JobSource>(_ workload: W, _ batch: Batch<S, W>, workers: Int) async -> [JobOutcome<W.Output>]
        where S.Input == W.Input {
        JoinableThread.spawn(name: "pool-coordinator") {
            let pool = ThreadPool(width: workers)
            let lanes = Lanes(workers)
            let backlog = DispatchSemaphore.permits(workers * 2)
            var futures: [Future<Void>] = []
            while let item = batch.take() {
                backlog.wait()
                futures.append(pool.submit {
                    defer { backlog.signal() }
                    lanes.withLane { batch.run(workload, item, worker: $0) }
                })
            }
            for future in futures { _ = future.wait() }
            pool.shutdown()
        }
        return await batch.finish()
    }

    /// Grand Central Dispatch: `workers` serial queues (lanes) under one `DispatchGroup`; each
    /// job goes to a free lane. Serial queues are "overcommit" in libdispatch (each gets a
    /// thread even when others are blocked), so N lanes really run N blocking jobs at once. A
    /// concurrent queue would not: it shares libdispatch's CPU-sized pool, which blocked jobs
    /// exhaust, starving every other GCD user, Swift's async runtime included (a two-stage
    /// pipeline on it took 15 s instead of 1.5 s).
    static func gcd<W: Workload, S: JobSource>(_ workload: W, _ batch: Batch<S, W>, workers: Int) async -> [JobOutcome<W.Output>]
        where S.Input == W.Input {
        JoinableThread.spawn(name: "gcd-feeder") {
            let lanes = (0..<workers).map { DispatchQueue(label: "skein.gcd.lane-\($0)") }
            let free = Locked(Array((0..<workers).reversed()))
            let slots = DispatchSemaphore.permits(workers)
            let group = DispatchGroup()
            while let item = batch.take() {
                slots.wait()
                let lane = free.withLock { $0.removeLast() }
                lanes[lane].async(group: group) {
                    batch.run(workload, item, worker: lane)
                    free.withLock { $0.append(lane) }
                    slots.signal()
                }
            }
            group.wait()
        }
        return await batch.finish()
    }

    /// An `OperationQueue` with `maxConcurrentOperationCount = workers`; pending operations are
    /// cancelled when the batch stops.
    static func operations<W: Workload, S: JobSource>(_ workload: W, _ batch: Batch<S, W>, workers: Int) async -> [JobOutcome<W.Output>]
        where S.Input == W.Input {
        JoinableThread.spawn(name: "operations-coordinator") {
            let queue = OperationQueue()
            queue.maxConcurrentOperationCount = workers
            queue.name = "skein.operations"
            let lanes = Lanes(workers)
            let backlog = DispatchSemaphore.permits(workers * 2)
            let stopHandler = batch.stop.onStop { _ in queue.cancelAllOperations() }
            while let item = batch.take() {
                backlog.wait()
                let operation = BlockOperation {
                    lanes.withLane { batch.run(workload, item, worker: $0) }
                }
                operation.completionBlock = {
                    // A cancelled operation never runs its block: settle it here (a no-op for
                    // one that ran).
                    batch.settle(item.index, nil)
                    backlog.signal()
                }
                queue.addOperation(operation)
            }
            queue.waitUntilAllOperationsAreFinished()
            batch.stop.removeHandler(stopHandler)
        }
        return await batch.finish()
    }
}

/// Numbers the lanes of a pool: a job takes the lowest free lane number and gives it back
/// when it ends, so reports can say which of the N lanes ran each job.
final class Lanes: Sendable {
    private let free: Locked<[Int]>

    init(_ count: Int) { free = Locked(Array((0..<count).reversed())) }

    func withLane<T>(_ body: (Int) -> T) -> T {
        let lane = free.withLock { $0.popLast() } ?? -1
        defer { if lane >= 0 { free.withLock { $0.append(lane) } } }
        return body(lane)
    }
}
