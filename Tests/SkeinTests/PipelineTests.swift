import Engines
import Foundation
import GalleryServer
import ImgurAPI
import Pipeline
import SafeFiles
import SkeinTesting
import Synchronization
import Testing
import Thumbnailer
import Basics

@Suite("Streaming pipeline and the channel between its stages")
struct PipelineTests {
    @Test("a bounded channel keeps order, never holds more than its capacity, and drains on close")
    func channelOrderAndCapacity() async throws {
        let channel = BoundedChannel<Int>(capacity: 3)
        let producer = JoinableThread.spawn {
            for i in 0..<200 { channel.sendBlocking(i) }
            channel.close()
        }
        var received: [Int] = []
        while let value = await channel.receive() {
            #expect(channel.count <= 3)
            received.append(value)
        }
        producer.join()
        #expect(received == Array(0..<200))
        #expect(channel.sentCountIfClosed == 200)
        #expect(!channel.sendBlocking(1)) // closed
    }

    @Test("cancelling a channel releases a blocked sender and receivers")
    func channelCancel() async throws {
        let channel = BoundedChannel<Int>(capacity: 1)
        #expect(channel.sendBlocking(1))
        let result = Locked<Bool?>(nil)
        let sender = JoinableThread.spawn { result.withLock { $0 = channel.sendBlocking(2) } } // blocks: full
        channel.cancel()
        sender.join()
        #expect(result.withLock { $0 } == false)
        #expect(await channel.receive() == nil)
        #expect(channel.receiveBlocking() == nil)
    }

    @Test("fetch and thumbnails stream through separate engines", arguments: [
        (EngineKind.async, EngineKind.threads), (.threads, .processes), (.gcd, .async), (.processes, .gcd),
    ])
    func streaming(fetch: EngineKind, thumbs: EngineKind) async throws {
        try await TestGallery.with(items: 20) { url, server in
            try await TemporaryFolder.with { out in
                let links = try await FetchTests.gallerySource(url, limit: 100).load()
                let config = ProcessPoolConfiguration(executable: SkeinExecutable.path)
                let thumbsSeen = Locked<Int>(0)
                let pipeline = StreamingRun(output: out, fetchEngine: Engine(fetch, workers: 4, processes: config),
                                            thumbEngine: Engine(thumbs, workers: 2, processes: config),
                                            thumbnailer: Thumbnailer(spec: ThumbnailSpec(width: 32, height: 32)),
                                            bufferCapacity: 2, thumbProgress: { _ in thumbsSeen.withLock { $0 += 1 } })
                let report = try await pipeline.run(links)
                let stages = try #require(report.stages)
                #expect(stages[0].items.count == server.corpus.images.count)
                #expect(stages[0].failed.isEmpty && stages[1].failed.isEmpty)
                #expect(stages[1].items.count == server.corpus.images.count)
                #expect(thumbsSeen.withLock { $0 } == server.corpus.images.count)
                for image in server.corpus.images {
                    let thumbnail = out + "/" + Thumbnailer.thumbnailName(for: image.fileName)
                    let probe = try ImageProbe(path: thumbnail)
                    #expect(probe.width <= 32 && probe.height <= 32)
                }
                #expect(TemporaryFiles.list(in: out).isEmpty)
            }
        }
    }

    @Test("Ctrl-C: stops new work, cleans temporary files, prints the summary with what is unfinished, exits 130")
    func interrupt() async throws {
        let options = ServerOptions(latency: .milliseconds(250))
        try await TestGallery.with(items: 40, options: options) { url, server in
            try await TemporaryFolder.with { folder in
                let process = Process()
                process.executableURL = URL(fileURLWithPath: SkeinExecutable.path)
                process.arguments = ["fetch", "--api-base", url, "--limit", "100", "--workers", "2", "--out", folder + "/img",
                                     "--json", folder + "/report.json"]
                var environment = ProcessInfo.processInfo.environment
                environment["IMGUR_CLIENT_ID"] = "t"
                process.environment = environment
                let out = Pipe()
                process.standardOutput = out
                process.standardError = FileHandle.nullDevice
                try process.run()
                // Wait until downloads are under way (the server has been asked for media).
                let deadline = ContinuousClock.now + .seconds(60)
                while server.stats.mediaRequestCount < 2, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(5)) }
                kill(process.processIdentifier, SIGINT)
                let (output, _) = await SkeinExecutable.finish(process, stdout: out)
                #expect(process.terminationStatus == ExitStatus.interrupted.rawValue)
                #expect(output.contains("Fetched"))
                // What the stop left is counted once, not listed as failures one by one.
                let report = try RunReport.read(from: folder + "/report.json")
                let unfinished = report.items.filter { $0.status == .failed }
                #expect(!unfinished.isEmpty)
                #expect(unfinished.allSatisfy { $0.error?.code == JobFailure.cancelledCode }, "\(unfinished.map { $0.error?.message ?? "" })")
                #expect(unfinished.contains { $0.error?.message.hasSuffix("cancelled before it started") == true },
                        "listed items the stop kept from starting say so")
                #expect(output.contains("0 failed, \(unfinished.count) not finished"), "\(output)")
                #expect(output.contains("stopped: interrupted; \(unfinished.count) item\(unfinished.count == 1 ? "" : "s") not finished (the same command again finishes them)"))
                #expect(!output.contains("failed: "))
                #expect(TemporaryFiles.list(in: folder + "/img").isEmpty)
                #expect(server.stats.mediaRequestCount < server.corpus.images.count)
            }
        }
    }
}
