import Synchronization
import Basics

/// Where a batch's inputs come from: a fixed list, or a channel that another stage fills while
/// the batch runs (the streaming pipeline). Each input is handed out once, with its index.
package protocol JobSource<Input>: Sendable {
    associatedtype Input: Sendable

    /// The next input, waiting for one if need be; nil when there are no more.
    func nextBlocking() -> (index: Int, input: Input)?
    /// The next input without blocking a thread; nil when there are no more. A source that has
    /// to wait for its input stops waiting and returns nil when the calling task is cancelled.
    func next() async -> (index: Int, input: Input)?
    /// How many inputs there are, once that is known.
    var knownCount: Int? { get }
    /// The batch stopped: wake anyone waiting for input (they get nil).
    func stopWaiting()
}

/// The inputs of a list, in order.
package final class ListSource<Input: Sendable>: JobSource {
    private let inputs: [Input]
    private let cursor = Atomic<Int>(0)
    private let stopped = Atomic<Bool>(false)

    package init(_ inputs: [Input]) { self.inputs = inputs }

    package func nextBlocking() -> (index: Int, input: Input)? {
        guard !stopped.load(ordering: .relaxed) else { return nil }
        let index = cursor.add(1, ordering: .relaxed).oldValue
        return index < inputs.count ? (index, inputs[index]) : nil
    }

    package func next() async -> (index: Int, input: Input)? { nextBlocking() }
    package var knownCount: Int? { inputs.count }
    package func stopWaiting() { stopped.store(true, ordering: .relaxed) }
}

/// The elements of a `BoundedChannel`, numbered in the order they are received. Keeps the
/// elements it handed out, so a caller can tell which input an outcome belongs to.
package final class ChannelSource<Input: Sendable>: JobSource {
    private let channel: BoundedChannel<Input>
    private let received = Locked<[Input]>([])

    package init(_ channel: BoundedChannel<Input>) { self.channel = channel }

    package func nextBlocking() -> (index: Int, input: Input)? {
        guard let input = channel.receiveBlocking() else { return nil }
        return number(input)
    }

    package func next() async -> (index: Int, input: Input)? {
        guard let input = await channel.receive() else { return nil }
        return number(input)
    }

    private func number(_ input: Input) -> (index: Int, input: Input) {
        received.withLock { received in
            received.append(input)
            return (received.count - 1, input)
        }
    }

    /// Known once the producer has closed the channel.
    package var knownCount: Int? { channel.sentCountIfClosed }
    package func stopWaiting() { channel.cancel() }

    /// The input handed out with this index.
    package func input(at index: Int) -> Input? {
        received.withLock { index < $0.count ? $0[index] : nil }
    }
}
