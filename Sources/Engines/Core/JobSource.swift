import Synchronization
import Locking

/// Where a batch's inputs come from: a fixed list, or a channel that another stage fills while
/// the batch runs (the streaming pipeline). Each input is handed out once, with its index.
public protocol JobSource<Input>: Sendable {
    associatedtype Input: Sendable

    /// The next input, waiting for one if need be; nil when there are no more.
    func nextBlocking() -> (index: Int, input: Input)?
    /// The next input without blocking a thread; nil when there are no more (or the task is cancelled).
    func next() async -> (index: Int, input: Input)?
    /// How many inputs there are, once that is known.
    var knownCount: Int? { get }
    /// The batch stopped: wake anyone waiting for input (they get nil).
    func stopWaiting()
}

/// The inputs of a list, in order.
public final class ListSource<Input: Sendable>: JobSource {
    private let inputs: [Input]
    private let cursor = Atomic<Int>(0)
    private let stopped = Atomic<Bool>(false)

    public init(_ inputs: [Input]) { self.inputs = inputs }

    public func nextBlocking() -> (index: Int, input: Input)? {
        guard !stopped.load(ordering: .relaxed) else { return nil }
        let index = cursor.add(1, ordering: .relaxed).oldValue
        return index < inputs.count ? (index, inputs[index]) : nil
    }

    public func next() async -> (index: Int, input: Input)? { nextBlocking() }
    public var knownCount: Int? { inputs.count }
    public func stopWaiting() { stopped.store(true, ordering: .relaxed) }
}

/// The elements of a `BoundedChannel`, numbered in the order they are received. Keeps the
/// elements it handed out, so a caller can tell which input an outcome belongs to.
public final class ChannelSource<Input: Sendable>: JobSource {
    private let channel: BoundedChannel<Input>
    private let received = Locked<[Input]>([])

    public init(_ channel: BoundedChannel<Input>) { self.channel = channel }

    public func nextBlocking() -> (index: Int, input: Input)? {
        guard let input = channel.receiveBlocking() else { return nil }
        return number(input)
    }

    public func next() async -> (index: Int, input: Input)? {
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
    public var knownCount: Int? { channel.sentCountIfClosed }
    public func stopWaiting() { channel.cancel() }

    /// The input handed out with this index.
    public func input(at index: Int) -> Input? {
        received.withLock { index < $0.count ? $0[index] : nil }
    }
}
