import Basics
import Engines
import Foundation
import GalleryServer

/// `skein bench --jobs` (`make bench-jobs`): one job of `items` links at `latency` through 1,
/// 2, 4 and 8 `skein job work` processes against one PostgreSQL server on this machine (started
/// here), and the same list through img2dataset's multiprocessing distributor at the same
/// widths, in the same run. Reports items/s, scaling efficiency, the store's cost (claims a
/// second, time in store calls as a share of the workers' time) and peak memory per worker.
package struct JobsBenchRunner: Sendable {
    package var items = 20_000
    package var latency: Duration = .milliseconds(50)
    package var widths = [1, 2, 4, 8]
    /// Downloads in flight per worker (and img2dataset threads per process).
    package var fetchWorkers = 16
    package var shardSize = 500
    package var executable: String
    package var workFolder: String

    package init(executable: String, workFolder: String) {
        self.executable = executable
        self.workFolder = workFolder
    }

    package struct Cell: Sendable, Codable {
        package var tool: String
        package var workers: Int
        package var seconds: Double
        package var itemsPerSecond: Double
        /// items/s over (workers × the same tool's items/s with one worker).
        package var efficiency: Double
        package var done: Int
        /// Time in store calls over the workers' whole time (skein only).
        package var storeShare: Double?
        package var claimsPerSecond: Double?
        /// Store time per shard, seconds (skein only).
        package var storeSecondsPerShard: Double?
        /// A worker's time per shard, from claim to finish (skein only).
        package var shardSeconds: Double?
        package var peakMegabytesPerWorker: Double?
    }

    /// What one `job work --json` wrote.
    private struct Worked: Decodable {
        var shards: Int, done: Int, claims: Int, claimSeconds: Double, seconds: Double, storeSeconds: Double, shardSeconds: Double, peakBytes: Int
    }

    package func run(log: @escaping @Sendable (String) -> Void) async throws -> [Cell] {
        let fm = FileManager.default
        try? fm.removeItem(atPath: workFolder)
        try fm.createDirectory(atPath: workFolder, withIntermediateDirectories: true)
        defer { try? fm.removeItem(atPath: workFolder) }
        let spec = CorpusSpec(items: items, seed: 42, jpegWidths: 24...48, pngWidths: 24...40, gifWidths: 24...32,
                              pngShare: 0.2, gifShare: 0.15, albumShare: 0)
        log("Generating (or loading) a gallery of \(items) tiny images…")
        let corpus = try CorpusCache.corpus(for: spec, diskCache: CorpusCache.defaultDiskCache)
        log("Starting PostgreSQL…")
        return try await PostgresServer.with { pg in
            let server = GalleryServer(corpus: corpus, options: ServerOptions(latency: latency, clientLimit: 1 << 40, userLimit: 1 << 40))
            return try await server.withRunning { url in
                let links = workFolder + "/links.txt"
                try corpus.images.prefix(items).map { url + "/" + $0.fileName }.joined(separator: "\n").appending("\n")
                    .write(toFile: links, atomically: true, encoding: .utf8)
                var cells: [Cell] = []
                for width in widths {
                    let cell = try skein(width: width, links: links, store: pg.url, base: cells.first { $0.tool == "skein" })
                    log(Self.row(cell))
                    cells.append(cell)
                }
                if Self.hasImg2dataset() {
                    for width in widths {
                        let cell = try img2dataset(width: width, links: links, base: cells.first { $0.tool == "img2dataset" })
                        log(Self.row(cell))
                        cells.append(cell)
                    }
                } else {
                    log("img2dataset is not installed (make bench-peers installs it): skein alone")
                }
                return cells
            }
        }
    }

    private func skein(width: Int, links: String, store: String, base: Cell?) throws -> Cell {
        let name = "bench-w\(width)-\(String(UInt32.random(in: 0 ... .max), radix: 36))"
        let out = workFolder + "/" + name
        let created = try ChildRun.run(executable, ["job", "create", name, "--store", store, "--links", links, "--shard-size", String(shardSize)])
        guard created.status == 0 else { throw BenchError("job create exited with \(created.status)") }
        let start = ContinuousClock.now
        var pids: [pid_t] = []
        for n in 0..<width {
            // Each worker's output in a log beside its JSON, for when one fails.
            let log = open(out + "-worker\(n).log", O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
            defer { close(log) }
            pids.append(try ProcessLauncher.spawn(executable: executable, arguments: [
                "job", "work", name, "--store", store, "--out", out, "--fetch-workers", String(fetchWorkers),
                "--json", out + "-worker\(n).json",
            ], descriptors: [0: 0, 1: log, 2: log]))
        }
        for (n, pid) in pids.enumerated() {
            guard let (status, _) = ProcessLauncher.waitWithUsage(pid), status & 0x7F == 0, (status >> 8) & 0xFF == 0 else {
                // Kept outside the work folder (which is removed): the whole log, backtrace and all.
                let kept = NSTemporaryDirectory() + "skein-bench-jobs-worker-\(getpid())-\(width)-\(n).log"
                try? FileManager.default.copyItem(atPath: out + "-worker\(n).log", toPath: kept)
                let tail = ((try? String(contentsOfFile: kept, encoding: .utf8)) ?? "").suffix(1500)
                throw BenchError("job worker \(n) of \(width) failed (its whole log: \(kept)):\n\(tail)")
            }
        }
        let seconds = (ContinuousClock.now - start).seconds
        let worked = try (0..<width).map { n in
            try JSONDecoder().decode(Worked.self, from: Data(contentsOf: URL(fileURLWithPath: out + "-worker\(n).json")))
        }
        let done = worked.reduce(0) { $0 + $1.done }
        let rate = Double(done) / seconds
        let storeSeconds = worked.reduce(0) { $0 + $1.storeSeconds }
        let shards = worked.reduce(0) { $0 + $1.shards }
        try? FileManager.default.removeItem(atPath: out)
        return Cell(tool: "skein", workers: width, seconds: seconds, itemsPerSecond: rate,
                    efficiency: base.map { rate / (Double(width) * $0.itemsPerSecond) } ?? 1, done: done,
                    storeShare: storeSeconds / max(1e-9, worked.reduce(0) { $0 + $1.seconds }),
                    claimsPerSecond: Double(worked.reduce(0) { $0 + $1.claims }) / max(1e-9, worked.reduce(0) { $0 + $1.claimSeconds }),
                    storeSecondsPerShard: storeSeconds / Double(max(1, shards)),
                    shardSeconds: worked.reduce(0) { $0 + $1.shardSeconds } / Double(max(1, shards)),
                    peakMegabytesPerWorker: Double(worked.map(\.peakBytes).max() ?? 0) / 1e6)
    }

    private func img2dataset(width: Int, links: String, base: Cell?) throws -> Cell {
        let out = workFolder + "/img2dataset-w\(width)"
        try? FileManager.default.removeItem(atPath: out)
        let run = try ChildRun.run("/usr/bin/env", [
            "img2dataset", "--url_list", links, "--input_format", "txt", "--output_folder", out, "--output_format", "files",
            "--distributor", "multiprocessing", "--processes_count", String(width), "--thread_count", String(fetchWorkers),
            "--number_sample_per_shard", String(shardSize), "--resize_mode", "no", "--timeout", "30", "--retries", "0",
            "--disable_all_reencoding", "True",
        ])
        guard run.status == 0 else { throw BenchError("img2dataset exited with \(run.status)") }
        let done = Self.count(in: out)
        try? FileManager.default.removeItem(atPath: out)
        let rate = Double(done) / run.wallSeconds
        return Cell(tool: "img2dataset", workers: width, seconds: run.wallSeconds, itemsPerSecond: rate,
                    efficiency: base.map { rate / (Double(width) * $0.itemsPerSecond) } ?? 1, done: done)
    }

    /// Image files img2dataset wrote (`00000/000000123.jpg` and the like, no json/txt sidecars).
    private static func count(in folder: String) -> Int {
        let enumerator = FileManager.default.enumerator(atPath: folder)
        var n = 0
        while let path = enumerator?.nextObject() as? String {
            let ext = (path as NSString).pathExtension.lowercased()
            if ["jpg", "jpeg", "png", "gif", "webp"].contains(ext) { n += 1 }
        }
        return n
    }

    private static func hasImg2dataset() -> Bool {
        (try? ChildRun.run("/usr/bin/env", ["img2dataset", "--help"]))?.status == 0
    }

    static func row(_ cell: Cell) -> String {
        var line = String(format: "%@ %2d workers: %6.1f s  %7.0f items/s  efficiency %4.0f %%  %d done", cell.tool.left(12), cell.workers,
                          cell.seconds, cell.itemsPerSecond, cell.efficiency * 100, cell.done)
        if let share = cell.storeShare, let claims = cell.claimsPerSecond, let perShard = cell.storeSecondsPerShard, let peak = cell.peakMegabytesPerWorker {
            line += String(format: "  store %.2f %% of worker time (%.1f ms a shard), %.0f claims/s, peak %.0f MB a worker",
                           share * 100, perShard * 1000, claims, peak)
        }
        return line
    }

    /// The table, and what the store's cost says about scaling past this machine.
    package static func summary(_ cells: [Cell]) -> [String] {
        var lines = cells.map(row)
        let skein = cells.filter { $0.tool == "skein" }, peer = cells.filter { $0.tool == "img2dataset" }
        for cell in skein {
            if let other = peer.first(where: { $0.workers == cell.workers }) {
                lines.append(String(format: "%d workers: skein %.2fx img2dataset", cell.workers, cell.itemsPerSecond / other.itemsPerSecond))
            }
        }
        // The store's cost where two cores aren't shared by many workers: one worker.
        if let narrow = skein.min(by: { $0.workers < $1.workers }), let perShard = narrow.storeSecondsPerShard, perShard > 0,
           let shardSeconds = narrow.shardSeconds {
            lines.append(String(format: "projection: with %d worker a shard takes %.2f s and %.1f ms of store calls, so a store that did "
                + "every call one at a time would keep up with about %.0f workers (PostgreSQL runs them in parallel)",
                narrow.workers, shardSeconds, perShard * 1000, shardSeconds / perShard))
        }
        return lines
    }
}
