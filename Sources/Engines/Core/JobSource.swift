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

/// The elements of a `BoundedChannel`, numbered in the order they are received. Keeps each
/// element it handed out until the caller takes it back (`take(at:)`, when its outcome
/// arrives), so a caller can tell which input an outcome belongs to without the source
/// growing with the batch: what it holds is what is in flight.
package final class ChannelSource<Input: Sendable>: JobSource {
    private let channel: BoundedChannel<Input>
    private struct Handed {
        var count = 0
        var inFlight: [Int: Input] = [:]
    }
    private let handed = Locked(Handed())
    /// What the channel still held when the batch stopped.
    private let dropped = Locked<[Input]>([])

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
        handed.withLock { handed in
            let index = handed.count
            handed.count += 1
            handed.inFlight[index] = input
            return (index, input)
        }
    }

    /// Known once the producer has closed the channel.
    package var knownCount: Int? { channel.sentCountIfClosed }
    package func stopWaiting() {
        let left = channel.cancel()
        dropped.withLock { $0 += left }
    }

    /// The input handed out with this index, given back once: the source forgets it.
    package func take(at index: Int) -> Input? {
        handed.withLock { $0.inFlight.removeValue(forKey: index) }
    }

    /// Inputs that never got an outcome: handed out and not taken back, then the ones still
    /// in the channel when the batch stopped.
    package func notTaken() -> [Input] {
        handed.withLock { $0.inFlight.sorted { $0.key < $1.key }.map(\.value) } + dropped.withLock { $0 }
    }
}
