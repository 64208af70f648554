import Testing
import Engines

/// Cancellation as the documentation promises it.
@Suite("Cancellation")
struct CancellationTests {
    @Test("a task waiting on an empty channel gets nil as soon as it is cancelled; the channel still works")
    func channelReceive() async {
        let channel = BoundedChannel<Int>(capacity: 2)
        let waiter = Task { await channel.receive() }
        try? await Task.sleep(for: .milliseconds(50)) // let it park; the test holds without this too
        waiter.cancel()
        #expect(await waiter.value == nil)
        #expect(channel.sendBlocking(1))
        #expect(await channel.receive() == 1, "a cancelled waiter leaves nothing behind")
    }

    @Test("a task waiting for room in a full channel gets false when cancelled, and its element is not added")
    func channelSend() async {
        let channel = BoundedChannel<Int>(capacity: 1)
        #expect(await channel.send(1))
        let sender = Task { await channel.send(2) }
        try? await Task.sleep(for: .milliseconds(50))
        sender.cancel()
        #expect(await sender.value == false)
        #expect(channel.count == 1)
        #expect(await channel.receive() == 1)
    }

    @Test("receive(upTo:) waits for one element, then takes all that wait up to the limit, frees room for senders, and is nil once closed and drained")
    func channelBatch() async {
        let channel = BoundedChannel<Int>(capacity: 5)
        let first = Task { await channel.receive(upTo: 3) }
        #expect(await channel.send(1))
        #expect(await first.value == [1])
        for n in 2...6 { #expect(await channel.send(n)) }
        let full = Task { await channel.send(7) } // no room until a batch is taken
        let batch = await channel.receive(upTo: 3)
        #expect(batch == [2, 3, 4])
        #expect(await full.value)
        channel.close()
        var rest: [Int] = []
        while let more = await channel.receive(upTo: 3) { rest += more }
        #expect((batch ?? []) + rest == Array(2...7), "every element once, in order")
        #expect(await channel.receive(upTo: 3) == nil)
    }

    @Test("a task cancelled before it receives returns at once")
    func cancelledFirst() async {
        let channel = BoundedChannel<Int>(capacity: 1)
        let task = Task {
            withUnsafeCurrentTask { $0?.cancel() }
            return await channel.receive()
        }
        #expect(await task.value == nil)
    }

    @Test("a ChannelSource's next() returns nil when its task is cancelled")
    func sourceNext() async {
        let source = ChannelSource(BoundedChannel<String>(capacity: 1))
        let task = Task { await source.next() }
        task.cancel()
        #expect(await task.value == nil)
    }

    @Test("a cancelled wait on a stop signal returns nil and leaves it unstopped, with no handler behind")
    func stopSignalWait() async {
        let signal = StopSignal()
        let waiter = Task { await signal.wait() }
        try? await Task.sleep(for: .milliseconds(50))
        waiter.cancel()
        #expect(await waiter.value == nil)
        #expect(!signal.isStopped && signal.reason == nil)
        #expect(signal.handlerCount == 0)
        // It still works afterwards.
        let second = Task { await signal.wait() }
        try? await Task.sleep(for: .milliseconds(20))
        signal.stop(.timedOut)
        #expect(await second.value == .timedOut)
        #expect(signal.handlerCount == 0)
    }

    @Test("an async batch over a channel nobody feeds ends promptly when the task running it is cancelled")
    func batchCancelled() async {
        let source = ChannelSource(BoundedChannel<ProbeWorkload.Action>(capacity: 4))
        let task = Task { await Engine(.async, workers: 2).run(ProbeWorkload(), from: source) }
        try? await Task.sleep(for: .milliseconds(50))
        task.cancel()
        let outcomes = await task.value
        #expect(outcomes.isEmpty)
    }

    @Test("a batch that follows a parent stop signal leaves no handler on it when it ends")
    func batchLeavesNoHandler() async {
        let parent = StopSignal()
        for kind in [EngineKind.threads, .async] {
            let outcomes = await Engine(kind, workers: 2).run(ProbeWorkload(), [.spin(iterations: 10), .spin(iterations: 20)],
                                                             options: BatchOptions(stop: parent))
            #expect(outcomes.allSatisfy { $0.output != nil })
        }
        #expect(parent.handlerCount == 0)
    }
}
