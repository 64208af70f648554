import Basics
import Foundation
import GalleryServer
import Pipeline
import SafeFiles

/// `skein bench --scale` (`make bench-scale`): peak memory of `fetch` and `run` as the job
/// grows (1,000, 10,000, 50,000 items by default), with faults on (2 % of each kind, and a
/// rate limit), the real binary as a child process against the embedded gallery served from
/// here. The target: the peak at the largest size within 15 % of the peak at the smallest,
/// every item accounted for, nothing partial left in the folder.
package struct ScaleRunner: Sendable {
    package var sizes: [Int]
    package var executable: String
    package var workFolder: String
    package var seed: UInt64 = 42
    /// Requests a second over the whole server before it answers 429.
    package var rateLimit: Double = 4_000

    package init(sizes: [Int], executable: String, workFolder: String) {
        self.sizes = sizes
        self.executable = executable
        self.workFolder = workFolder
    }

    /// One measurement.
    package struct Point: Sendable, Codable {
        package var command: String
        package var items: Int
        package var peakMegabytes: Double
        package var seconds: Double
        package var succeeded: Int
        package var failed: Int
        package var skipped: Int
        /// Items listed that the report doesn't account for (must be 0).
        package var unaccounted: Int
        /// Temporary files left in the output folder (must be 0).
        package var leftovers: Int
    }

    package func run(log: @escaping @Sendable (String) -> Void) async throws -> [Point] {
        let fm = FileManager.default
        try? fm.removeItem(atPath: workFolder)
        try fm.createDirectory(atPath: workFolder, withIntermediateDirectories: true)
        defer { try? fm.removeItem(atPath: workFolder) } // also when a step throws
        let largest = sizes.max() ?? 1_000
        // Tiny images: the job's length is what is measured, not the decoders.
        let spec = CorpusSpec(items: largest, seed: seed, jpegWidths: 24...48, pngWidths: 24...40, gifWidths: 24...32,
                              pngShare: 0.2, gifShare: 0.15, albumShare: 0.1)
        log("Generating (or loading) a gallery of \(largest) tiny images…")
        let corpus = try CorpusCache.corpus(for: spec, diskCache: CorpusCache.defaultDiskCache)
        let faults = FaultOptions(failRate: 0.02, truncateRate: 0.02, stallRate: 0.02, wrongTypeRate: 0.02, removedRate: 0.02,
                                  cutImageRate: 0.02, bombRate: 0.02, rateLimitPerSecond: rateLimit, stallSeconds: 2, seed: seed)
        let server = GalleryServer(corpus: corpus, options: ServerOptions(clientLimit: 1 << 40, userLimit: 1 << 40, faults: faults))
        return try await server.withRunning { url in
            var points: [Point] = []
            for command in ["fetch", "run"] {
                for size in sizes.sorted() {
                    let point = try measure(command, items: size, url: url)
                    log(String(format: "%@ %6d items: peak %6.1f MB  %6.1f s  %d ok, %d failed, %d skipped%@%@", command.left(6), size,
                               point.peakMegabytes, point.seconds, point.succeeded, point.failed, point.skipped,
                               point.unaccounted > 0 ? ", \(point.unaccounted) UNACCOUNTED" : "",
                               point.leftovers > 0 ? ", \(point.leftovers) TEMPORARY FILES LEFT" : ""))
                    points.append(point)
                }
            }
            return points
        }
    }

    private func measure(_ command: String, items: Int, url: String) throws -> Point {
        let out = workFolder + "/\(command)-\(items)"
        let json = out + ".json"
        try? FileManager.default.removeItem(atPath: out)
        var arguments = [command, "--api-base", url, "--limit", String(items), "--out", out, "--json", json,
                         "--read-timeout", "1", "--client-id-file", try clientIDFile()]
        if command == "run" { arguments += ["--thumbs-out", out + "/thumbs"] }
        let child = try ChildRun.run(executable, arguments)
        guard child.status <= 1 else { throw BenchError("\(command) of \(items) items exited with \(child.status)") }
        let report = try RunReport.read(from: json)
        let downloads = report.stages?.first ?? report
        // The gallery lists at least `items` images: each must have its report item.
        let leftovers = ((try? FileManager.default.contentsOfDirectory(atPath: out)) ?? []).filter(StagedFile.isTemporaryName).count
        return Point(command: command, items: items, peakMegabytes: Double(report.peakMemoryBytes ?? child.peakBytes) / 1e6,
                     seconds: child.wallSeconds, succeeded: downloads.succeeded, failed: downloads.failedCount,
                     skipped: downloads.skipped.count, unaccounted: max(0, items - downloads.itemCount),
                     leftovers: leftovers)
    }

    private func clientIDFile() throws -> String {
        let path = workFolder + "/client-id"
        if !FileManager.default.fileExists(atPath: path) { try "bench-scale\n".write(toFile: path, atomically: true, encoding: .utf8) }
        return path
    }

    /// The curve, and each command's largest peak against its smallest.
    package static func table(_ points: [Point]) -> [String] {
        var lines = ["command   items   peak MB   vs smallest   seconds   ok / failed / skipped"]
        for command in ["fetch", "run"] {
            let mine = points.filter { $0.command == command }.sorted { $0.items < $1.items }
            guard let base = mine.first else { continue }
            for point in mine {
                lines.append(String(format: "%@ %7d %9.1f %12.2fx %9.1f   %d / %d / %d", command.left(7), point.items, point.peakMegabytes,
                                    point.peakMegabytes / base.peakMegabytes, point.seconds, point.succeeded, point.failed, point.skipped))
            }
            if let top = mine.last, mine.count > 1 {
                let growth = (top.peakMegabytes / base.peakMegabytes - 1) * 100
                lines.append(String(format: "%@: %d items peak %.1f MB, %+.1f %% against %d items (target: within 15 %%) %@", command,
                                    top.items, top.peakMegabytes, growth, base.items, growth <= 15 ? "MET" : "NOT MET"))
            }
        }
        return lines
    }
}

struct BenchError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
