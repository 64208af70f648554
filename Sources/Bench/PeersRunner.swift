import Engines
import Foundation
import GalleryServer
import Basics
import NIOCore
import Thumbnailer

/// `skein bench --peers`: Skein against the tools people use instead, in one run, on the same
/// gallery: curl and aria2c for fetching, Pillow (the tutorial's own code) and vipsthumbnail
/// for thumbnails, img2dataset for both at once. Rounds alternate the order of the tools; the
/// median is kept. Every tool's output is checked (counts, bytes, thumbnail sizes) before its
/// time counts.
package struct PeersRunner: Sendable {
    package var items: Int
    package var latencyMilliseconds: Int
    package var rounds: Int
    package var connections: Int
    package var thumbWorkers: Int
    package var seed: UInt64
    package var executable: String
    /// Where `scripts/peers/pillow_thumbs.py` is.
    package var scripts: String
    package var workFolder: String

    package init(items: Int = 500, latencyMilliseconds: Int = 50, rounds: Int = 3, connections: Int = 64,
                thumbWorkers: Int = ProcessInfo.processInfo.activeProcessorCount, seed: UInt64 = 42, executable: String, scripts: String, workFolder: String) {
        self.items = items
        self.latencyMilliseconds = latencyMilliseconds
        self.rounds = rounds
        self.connections = connections
        self.thumbWorkers = thumbWorkers
        self.seed = seed
        self.executable = executable
        self.scripts = scripts
        self.workFolder = workFolder
    }

    package func run(log: @escaping @Sendable (String) -> Void) async throws -> PeersReport {
        let fm = FileManager.default
        try? fm.removeItem(atPath: workFolder)
        try fm.createDirectory(atPath: workFolder, withIntermediateDirectories: true)
        defer { try? fm.removeItem(atPath: workFolder) } // also when a step throws
        let corpus = try CorpusCache.corpus(for: .realistic(items: items, seed: seed), diskCache: CorpusCache.defaultDiskCache)
        let source = workFolder + "/source"
        try corpus.images.write(to: source)
        log(String(format: "Corpus: %d images, %.1f MB (%.0f KB on average); %d ms latency; %d rounds; tools write to %@",
                   corpus.images.count, Double(corpus.totalBytes) / 1e6, Double(corpus.totalBytes) / Double(corpus.images.count) / 1e3,
                   latencyMilliseconds, rounds, workFolder))
        let server = GalleryServer(corpus: corpus, options: ServerOptions(latency: .milliseconds(Int64(latencyMilliseconds))))
        let tools = PeerTools(runner: self, corpus: corpus, source: source)
        let samples = Locked<[String: [PeerSample]]>([:])
        try await server.withRunning { url in
            try tools.writeLinks(url)
            for round in 0..<rounds {
                for task in tools.tasks.rotated(by: round) {
                    let sample = try task.measure()
                    log(String(format: "round %d  %-9@ %-28@ %7.2f s  %6.1f MB  %@", round + 1, task.stage.rawValue,
                               task.name, sample.seconds, Double(sample.peakBytes) / 1e6, sample.verified))
                    samples.withLock { $0[task.name, default: []].append(sample) }
                }
            }
        }
        let help = try tools.helpStartup()
        var report = PeersReport(date: Date(), items: items, latencyMilliseconds: latencyMilliseconds, connections: connections,
                           rounds: rounds, corpusBytes: corpus.totalBytes,
                           tools: tools.tasks.map { task in
                               PeersReport.Tool(name: task.name, stage: task.stage, version: task.version(),
                                                samples: samples.withLock { $0[task.name] ?? [] })
                           },
                           helpStartupSeconds: help)
        report.loopbackBytesPerSecond = Loopback.bandwidth()
        return report
    }
}
