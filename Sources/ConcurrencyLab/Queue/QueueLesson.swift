import Engines
import Foundation
import Synchronization

/// `skein lab queue`: a worker thread on a queue with `task_done` / `join`, as in the
/// tutorial; then a fast producer and a slow consumer joined two ways: an `AsyncStream` with a
/// bounded buffer (it drops what doesn't fit: no back-pressure), and a `BoundedChannel` (the
/// producer waits for room: back-pressure, nothing lost).
package enum QueueLesson {
    /// The tutorial's 30 items through one daemon worker.
    package static func taskQueue(log: LabLog, items: Int = 30) {
        let queue = BlockingQueue<Int>()
        LabThread(name: "worker", isDaemon: true) {
            while let item = queue.get() {
                log.info("Working on \(item)")
                log.info("Finished \(item)")
                queue.taskDone()
            }
        }.start()
        for item in 0..<items { queue.put(item) }
        log.info("All task requests sent")
        queue.join()
        log.info("All work completed")
    }

    package struct Flow: Sendable {
        package var name: String
        package var produced: Int
        package var consumed: Int
        package var dropped: Int
        package var maxBuffered: Int
        /// How often the producer had to wait for room.
        package var producerWaits: Int
    }

    /// AsyncStream with `.bufferingOldest(capacity)`: `yield` never waits, it drops.
    package static func asyncStream(items: Int, capacity: Int, consumerDelay: Duration) async -> Flow {
        let (stream, continuation) = AsyncStream.makeStream(of: Int.self, bufferingPolicy: .bufferingOldest(capacity))
        let dropped = Atomic<Int>(0)
        let maxBuffered = Atomic<Int>(0)
        async let consumed: Int = {
            var count = 0
            for await _ in stream {
                count += 1
                try? await Task.sleep(for: consumerDelay)
            }
            return count
        }()
        for item in 0..<items {
            switch continuation.yield(item) {
            case .dropped: dropped.add(1, ordering: .relaxed)
            case .enqueued(let remaining): maxBuffered.max(capacity - remaining)
            default: break
            }
            await Task.yield()
        }
        continuation.finish()
        return Flow(name: "AsyncStream(.bufferingOldest(\(capacity)))", produced: items, consumed: await consumed,
                    dropped: dropped.load(ordering: .relaxed), maxBuffered: maxBuffered.load(ordering: .relaxed), producerWaits: 0)
    }

    /// BoundedChannel: `send` suspends while the buffer is full.
    package static func boundedChannel(items: Int, capacity: Int, consumerDelay: Duration) async -> Flow {
        let channel = BoundedChannel<Int>(capacity: capacity)
        let maxBuffered = Atomic<Int>(0)
        let waits = Atomic<Int>(0)
        async let consumed: Int = {
            var count = 0
            while await channel.receive() != nil {
                count += 1
                try? await Task.sleep(for: consumerDelay)
            }
            return count
        }()
        for item in 0..<items {
            if channel.count >= capacity { waits.add(1, ordering: .relaxed) }
            await channel.send(item)
            maxBuffered.max(channel.count)
        }
        channel.close()
        return Flow(name: "BoundedChannel(capacity: \(capacity))", produced: items, consumed: await consumed, dropped: 0,
                    maxBuffered: maxBuffered.load(ordering: .relaxed), producerWaits: waits.load(ordering: .relaxed))
    }
}
