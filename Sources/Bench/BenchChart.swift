import Engines
import Foundation
import Basics

/// Pictures of a bench report: an SVG (three panels, items per second against workers, one
/// line per engine) and a self-contained HTML page with the SVG and the table.
package enum BenchChart {
    static let colors: [EngineKind: String] = [
        .sequential: "#555555", .threads: "#1f77b4", .pool: "#17becf", .gcd: "#2ca02c",
        .operations: "#bcbd22", .async: "#d62728", .processes: "#9467bd",
    ]

    package static func svg(_ report: BenchReport) -> String {
        let panelWidth = 380.0, panelHeight = 260.0, left = 56.0, top = 40.0, bottom = 40.0, right = 16.0
        let workloads = report.plan.workloads
        let width = Double(workloads.count) * panelWidth + 150
        var svg = """
        <svg xmlns="http://www.w3.org/2000/svg" width="\(Int(width))" height="\(Int(panelHeight + 40))" font-family="sans-serif" font-size="11">
        <rect width="100%" height="100%" fill="white"/>

        """
        let widths = report.plan.workerCounts.sorted()
        for (panel, workload) in workloads.enumerated() {
            let x0 = Double(panel) * panelWidth
            let rows = report.results.filter { $0.cell.workload == workload }
            let maxRate = max(1, rows.map(\.itemsPerSecond).max() ?? 1) * 1.1
            let plotWidth = panelWidth - left - right, plotHeight = panelHeight - top - bottom
            func x(_ workers: Int) -> Double {
                let index = Double(widths.firstIndex(of: workers) ?? 0)
                return x0 + left + plotWidth * index / Double(max(1, widths.count - 1))
            }
            func y(_ rate: Double) -> Double { top + plotHeight * (1 - rate / maxRate) }
            let title = switch workload {
            case .io: "I/O: fetch \(report.plan.fetchItems) images, \(report.plan.latencyMilliseconds) ms latency"
            case .cpu: "CPU: \(report.plan.thumbItems) thumbnails"
            case .pipeline: "Pipeline: fetch + thumbnails"
            }
            svg += "<text x=\"\(x0 + left)\" y=\"20\" font-size=\"13\" font-weight=\"bold\">\(title)</text>\n"
            svg += "<line x1=\"\(x0 + left)\" y1=\"\(top + plotHeight)\" x2=\"\(x0 + left + plotWidth)\" y2=\"\(top + plotHeight)\" stroke=\"#999\"/>\n"
            svg += "<line x1=\"\(x0 + left)\" y1=\"\(top)\" x2=\"\(x0 + left)\" y2=\"\(top + plotHeight)\" stroke=\"#999\"/>\n"
            for step in 0...4 {
                let rate = maxRate * Double(step) / 4
                svg += "<text x=\"\(x0 + left - 6)\" y=\"\(y(rate) + 4)\" text-anchor=\"end\" fill=\"#555\">\(Int(rate))</text>\n"
                svg += "<line x1=\"\(x0 + left)\" y1=\"\(y(rate))\" x2=\"\(x0 + left + plotWidth)\" y2=\"\(y(rate))\" stroke=\"#eee\"/>\n"
            }
            for workers in widths {
                svg += "<text x=\"\(x(workers))\" y=\"\(top + plotHeight + 16)\" text-anchor=\"middle\" fill=\"#555\">\(workers)</text>\n"
            }
            svg += "<text x=\"\(x0 + left + plotWidth / 2)\" y=\"\(top + plotHeight + 32)\" text-anchor=\"middle\">workers</text>\n"
            svg += "<text x=\"\(x0 + 14)\" y=\"\(top + plotHeight / 2)\" transform=\"rotate(-90 \(x0 + 14) \(top + plotHeight / 2))\" text-anchor=\"middle\">items/s</text>\n"
            for engine in report.plan.engines {
                let points = rows.filter { $0.cell.engine == engine }.sorted { $0.cell.workers < $1.cell.workers }
                let color = colors[engine] ?? "#000"
                if engine == .sequential, let only = points.first {
                    svg += "<line x1=\"\(x0 + left)\" y1=\"\(y(only.itemsPerSecond))\" x2=\"\(x0 + left + plotWidth)\" y2=\"\(y(only.itemsPerSecond))\" stroke=\"\(color)\" stroke-dasharray=\"4 3\"/>\n"
                    continue
                }
                let path = points.map { String(format: "%.1f,%.1f", x($0.cell.workers), y($0.itemsPerSecond)) }.joined(separator: " ")
                svg += "<polyline points=\"\(path)\" fill=\"none\" stroke=\"\(color)\" stroke-width=\"2\"/>\n"
                for point in points {
                    svg += "<circle cx=\"\(x(point.cell.workers))\" cy=\"\(y(point.itemsPerSecond))\" r=\"2.5\" fill=\"\(color)\"/>\n"
                }
            }
        }
        let legendX = Double(workloads.count) * panelWidth + 10
        for (index, engine) in report.plan.engines.enumerated() {
            let y = 50 + Double(index) * 18
            svg += "<rect x=\"\(legendX)\" y=\"\(y - 9)\" width=\"12\" height=\"12\" fill=\"\(colors[engine] ?? "#000")\"/>"
            svg += "<text x=\"\(legendX + 18)\" y=\"\(y + 1)\">\(engine.rawValue)\(engine == .sequential ? " (dashed)" : "")</text>\n"
        }
        svg += "<text x=\"\(legendX)\" y=\"\(60 + Double(report.plan.engines.count) * 18)\" fill=\"#555\">\(report.cores) cores</text>\n"
        return svg + "</svg>\n"
    }

    package static func html(_ report: BenchReport) -> String {
        var rows = ""
        for result in report.results {
            rows += String(format: "<tr><td>%@</td><td>%@</td><td>%d</td><td>%.3f</td><td>%.1f</td><td>%.0f%%</td><td>%.1f</td><td>%@</td></tr>\n",
                           result.cell.workload.rawValue, result.cell.engine.rawValue, result.cell.workers, result.seconds,
                           result.itemsPerSecond, result.cpuPercent, result.peakMegabytes,
                           result.speedup.map { String(format: "%.2fx", $0) } ?? "")
        }
        let targets = report.targets.map {
            "<li>\($0.met ? "✔" : "✘") \($0.name): <b>\(String(format: "%.2f", $0.measured))</b> (goal \($0.goal)) — \($0.detail)</li>"
        }.joined(separator: "\n")
        return """
        <!doctype html><html><head><meta charset="utf-8"><title>skein bench</title>
        <style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}td,th{padding:2px 10px;border-bottom:1px solid #ddd;text-align:right}td:nth-child(-n+2){text-align:left}</style>
        </head><body><h1>skein bench</h1>
        <p>\(report.cores) cores, \(report.date). Loopback \(Int(report.loopbackBytesPerSecond / 1e6)) MB/s.</p>
        \(svg(report))
        <h2>Targets</h2><ul>\(targets)</ul>
        <h2>All measurements</h2>
        <table><tr><th>workload</th><th>engine</th><th>workers</th><th>seconds</th><th>items/s</th><th>CPU</th><th>peak MB</th><th>vs sequential</th></tr>
        \(rows)</table></body></html>
        """
    }

    /// The table printed at the end of a run.
    package static func table(_ report: BenchReport) -> [String] {
        var lines = ["workload".left(9) + " " + "engine".left(11) + " " + "workers".right(7) + " " + "seconds".right(9) + " " + "items/s".right(10) + " " + "CPU".right(6) + " " + "peak MB".right(8) + " " + "speedup".right(9)]
        for result in report.results {
            lines.append(String(format: "%@ %@ %7d %9.3f %10.1f %5.0f%% %8.1f %@", result.cell.workload.rawValue.left(9),
                                result.cell.engine.rawValue.left(11), result.cell.workers, result.seconds, result.itemsPerSecond,
                                result.cpuPercent, result.peakMegabytes, (result.speedup.map { String(format: "%.2fx", $0) } ?? "-").right(9)))
        }
        lines.append("")
        lines.append("Targets:")
        for target in report.targets {
            lines.append(String(format: "  %@ %@: %.2f (goal %@) — %@", target.met ? "met    " : "NOT MET", target.name,
                                target.measured, target.goal, target.detail))
        }
        return lines
    }
}
