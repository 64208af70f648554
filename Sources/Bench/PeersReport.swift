import Engines
import Foundation
import Basics

/// What `skein bench --peers` measured.
package struct PeersReport: Sendable, Codable {
    package struct Tool: Sendable, Codable {
        package var name: String
        var stage: PeerTools.Stage
        package var version: String
        package var samples: [PeerSample]

        package var stageName: String { stage.rawValue }
        package var medianSeconds: Double { samples.map(\.seconds).median }
        package var medianPeakBytes: Double { samples.map { Double($0.peakBytes) }.median }
        package var allVerified: Bool { samples.allSatisfy(\.ok) }
    }

    package var date: Date
    package var items: Int
    package var latencyMilliseconds: Int
    package var connections: Int
    package var rounds: Int
    package var corpusBytes: Int
    package var tools: [Tool]
    package var helpStartupSeconds: Double
    package var loopbackBytesPerSecond: Double = 0

    func tool(_ name: String) -> Tool? { tools.first { $0.name == name } }

    /// The printed table: each tool's median time, rate, peak memory, check, and its time over
    /// Skein's for the same stage (above 1: Skein is faster).
    package var table: [String] {
        var lines = ["stage".left(9) + " " + "tool".left(28) + " " + "seconds".right(8) + " " + "items/s".right(9) + " "
                     + "peak MB".right(8) + " " + "vs skein".right(9) + "  check"]
        for stage in ["fetch", "thumbs", "pipeline"] {
            let skein = tools.first { $0.stageName == stage && $0.name.hasPrefix("skein") }
            for tool in tools where tool.stageName == stage {
                let ratio = skein.map { tool.medianSeconds / $0.medianSeconds } ?? 0
                lines.append(tool.stageName.left(9) + " " + tool.name.left(28) + " "
                             + String(format: "%.3f", tool.medianSeconds).right(8) + " "
                             + String(format: "%.1f", Double(items) / tool.medianSeconds).right(9) + " "
                             + String(format: "%.1f", tool.medianPeakBytes / 1e6).right(8) + " "
                             + String(format: "%.2fx", ratio).right(9) + "  "
                             + (tool.samples.last?.verified ?? "") + (tool.allVerified ? "" : "  FAILED CHECK"))
            }
        }
        if let backToBack = bestPeersBackToBack, let run = tool("skein run") {
            lines.append("pipeline".left(9) + " " + "best fetch + best thumbs".left(28) + " "
                         + String(format: "%.3f", backToBack).right(8) + " "
                         + String(format: "%.1f", Double(items) / backToBack).right(9) + " " + "".right(8) + " "
                         + String(format: "%.2fx", backToBack / run.medianSeconds).right(9) + "  (sum of the two medians)")
        }
        return lines
    }

    /// The best fetch peer's time plus the best thumbnail peer's.
    package var bestPeersBackToBack: Double? {
        let fetch = tools.filter { $0.stageName == "fetch" && !$0.name.hasPrefix("skein") }.map(\.medianSeconds).min()
        let thumbs = tools.filter { $0.stageName == "thumbs" && !$0.name.hasPrefix("skein") }.map(\.medianSeconds).min()
        guard let fetch, let thumbs else { return nil }
        return fetch + thumbs
    }

    /// The targets, met or not, with the numbers.
    package var targets: [String] {
        var lines: [String] = []
        func line(_ met: Bool, _ text: String) { lines.append((met ? "met     " : "NOT MET ") + text) }
        if let fetch = tool("skein fetch") {
            let rounds = (Double(items) / Double(connections)).rounded(.up)
            let floor = rounds * Double(latencyMilliseconds) / 1000 + Double(corpusBytes) / max(1, loopbackBytesPerSecond)
            line(fetch.medianSeconds <= 1.2 * floor, String(format: "fetch ≤ 1.2x the floor: %.2fx (%.3f s vs %.3f s)",
                                                           fetch.medianSeconds / floor, fetch.medianSeconds, floor))
            if let best = tools.filter({ $0.stageName == "fetch" && !$0.name.hasPrefix("skein") }).min(by: { $0.medianSeconds < $1.medianSeconds }) {
                let speedup = best.medianSeconds / fetch.medianSeconds
                line(speedup >= 2, String(format: "fetch ≥ 2x faster than the best of curl and aria2c: %.2fx (%@ %.3f s)",
                                          speedup, best.name, best.medianSeconds))
            }
            line(fetch.medianPeakBytes <= 60e6, String(format: "peak memory of the %d-image fetch ≤ 60 MB: %.1f MB", items, fetch.medianPeakBytes / 1e6))
        }
        if let thumbs = tool("skein thumbs") {
            let rate = Double(items) / thumbs.medianSeconds
            line(rate >= 400, String(format: "thumbnails ≥ 400/s: %.1f/s", rate))
            if let pillow = tool("Pillow thumbnail() ×2 proc") {
                let speedup = pillow.medianSeconds / thumbs.medianSeconds
                line(speedup >= 1.6, String(format: "thumbnails ≥ 1.6x Pillow: %.2fx", speedup))
            }
        }
        if let run = tool("skein run"), let fetch = tool("skein fetch"), let thumbs = tool("skein thumbs") {
            let slower = max(fetch.medianSeconds, thumbs.medianSeconds)
            line(run.medianSeconds <= 1.15 * slower, String(format: "pipeline ≤ 1.15x max(fetch alone, thumbnails alone): %.2fx", run.medianSeconds / slower))
            if let other = tool("img2dataset") {
                line(run.medianSeconds < other.medianSeconds, String(format: "pipeline faster than img2dataset: %.2fx", other.medianSeconds / run.medianSeconds))
            }
        }
        line(helpStartupSeconds <= 0.05, String(format: "skein --help starts in ≤ 50 ms: %.0f ms", helpStartupSeconds * 1000))
        return lines
    }
}
