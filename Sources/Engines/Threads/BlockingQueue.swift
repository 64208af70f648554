import Foundation

/// A first-in first-out queue that threads block on, like Python's `queue.Queue`: `get()`
/// waits for an item, `put()` waits for room when the queue is bounded, and `taskDone()` with
/// `join()` let a producer wait until every item it put has been processed.
///
/// `close()` wakes every waiting `get()` with nil once the queue is drained, which is how
/// worker threads learn there is no more work.
package final class BlockingQueue<Element: Sendable>: @unchecked Sendable {
    // @unchecked: every stored property below is read and written only while `condition`
    // is locked.
    private let condition = NSCondition()
    private var items: [Element] = []
    private var head = 0
    private var unfinished = 0
    private var closed = false
    /// The most items it holds before `put` blocks; nil for unbounded.
    package let capacity: Int?

    package init(capacity: Int? = nil) {
        precondition(capacity.map { $0 > 0 } ?? true, "capacity must be positive")
        self.capacity = capacity
    }

    /// Adds an item, waiting for room if the queue is full. Returns false if the queue is closed.
    @discardableResult
    package func put(_ item: Element) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while let capacity, items.count - head >= capacity, !closed { condition.wait() }
        guard !closed else { return false }
        items.append(item)
        unfinished += 1
        condition.broadcast()
        return true
    }

    /// Takes the oldest item, waiting for one; nil when the queue is closed and empty.
    package func get() -> Element? {
        condition.lock()
        defer { condition.unlock() }
        while items.count == head, !closed { condition.wait() }
        guard items.count > head else { return nil }
        let item = items[head]
        head += 1
        if head > 1024, head * 2 > items.count {
            items.removeFirst(head)
            head = 0
        }
        condition.broadcast()
        return item
    }

    /// Marks one item taken with `get()` as processed.
    package func taskDone() {
        condition.lock()
        defer { condition.unlock() }
        precondition(unfinished > 0, "taskDone() called more times than there were items")
        unfinished -= 1
        if unfinished == 0 { condition.broadcast() }
    }

    /// Blocks until every item put has been marked done.
    package func join() {
        condition.lock()
        defer { condition.unlock() }
        while unfinished > 0 { condition.wait() }
    }

    /// No more items will be put; waiting `get()`s return nil once the queue is empty.
    package func close() {
        condition.lock()
        closed = true
        condition.broadcast()
        condition.unlock()
    }

    /// Items waiting to be taken.
    package var count: Int {
        condition.lock()
        defer { condition.unlock() }
        return items.count - head
    }
}
