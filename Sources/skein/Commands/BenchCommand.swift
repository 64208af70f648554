import ArgumentParser
import Bench
import Engines
import Foundation
import Basics

/// `skein bench`: every engine on every workload at every width, side by side.
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure every engine on I/O, CPU and pipeline workloads; print a table, write JSON and a chart.",
        discussion: """
            Each cell runs the real skein binary as a child process against the embedded gallery \
            (served by this process); the kernel's accounting gives its CPU time and peak memory. \
            Results go to --results (bench.json, bench.svg, bench.html).
            """
    )

    @Option(help: "Engines, comma separated.")
    var engines = EngineKind.allCases.map(\.rawValue).joined(separator: ",")
    @Option(help: "Workloads, comma separated: io, cpu, pipeline.")
    var workloads = "io,cpu,pipeline"
    @Option(help: "Worker counts, comma separated.")
    var workers = "1,2,4,8,16,64"
    @Option(help: "Images fetched by the io and pipeline workloads.")
    var items = 200
    @Option(help: "Server latency in milliseconds for io and pipeline.")
    var latencyMs = 20
    @Option(help: "Images thumbnailed by the cpu workload.")
    var thumbItems = 200
    @Option(help: "Rounds per cell (the median is kept).")
    var rounds = 1
    @Option(help: "Folder for bench.json, bench.svg and bench.html.")
    var results = "./bench-results"
    @Flag(help: "A small matrix (60 images, widths 1, 2, 8, 64) to try it quickly.")
    var quick = false

    @Flag(help: "Compare Skein with curl, aria2c, Pillow, vipsthumbnail and img2dataset instead (make bench-peers installs them).")
    var peers = false
    @Option(help: "With --peers: images in the gallery.")
    var peerItems = 500
    @Option(help: "With --peers: server latency in milliseconds.")
    var peerLatencyMs = 50
    @Option(help: "With --peers: rounds (tools alternate; the median is kept).")
    var peerRounds = 3
    @Flag(help: "Run one durable job through 1, 2, 4 and 8 job workers against a PostgreSQL server started here, and img2dataset's multiprocessing distributor on the same list (make bench-jobs).")
    var jobs = false
    @Option(help: "With --jobs: items in the job.")
    var jobItems = 20_000
    @Option(help: "With --jobs: server latency in milliseconds.")
    var jobLatency = 50
    @Option(help: "With --jobs: worker processes to measure, comma separated.")
    var jobWidths = "1,2,4,8"
    @Flag(help: "Measure peak memory of fetch and run as the job grows (make bench-scale), with faults on.")
    var scale = false
    @Option(help: "With --scale: job sizes, comma separated.")
    var scaleItems = "1000,10000,50000"
    @Option(help: "Where the measured commands write: a folder of the bench's own is made in it and removed after (default: one in /dev/shm when it is there, so the disk's state doesn't time them).")
    var workFolder: String?
    @Option(help: ArgumentHelp("Write each cell's timeline (its last round) into this folder: CELL.json, Chrome trace-event JSON (skein trace draws it).",
                               valueName: "folder"))
    var trace: String?

    func validate() throws {
        try Validate.path(trace, "--trace")
        try Validate.range(items, "--items", 1...100_000)
        try Validate.range(latencyMs, "--latency-ms", 0...60_000)
        try Validate.range(thumbItems, "--thumb-items", 1...100_000)
        try Validate.range(rounds, "--rounds", 1...100)
        try Validate.range(peerItems, "--peer-items", 1...100_000)
        try Validate.range(peerLatencyMs, "--peer-latency-ms", 0...60_000)
        try Validate.range(peerRounds, "--peer-rounds", 1...100)
        try Validate.path(results, "--results")
        try Validate.path(workFolder, "--work-folder")
        for count in try list(workers, "--workers", Int.init) { try Validate.range(count, "--workers", 1...1024) }
        _ = try list(engines, "--engines", EngineKind.init)
        _ = try list(workloads, "--workloads", BenchPlan.Workload.init)
        for size in try list(scaleItems, "--scale-items", Int.init) { try Validate.range(size, "--scale-items", 10...1_000_000) }
        try Validate.range(jobItems, "--job-items", 100...1_000_000)
        try Validate.range(jobLatency, "--job-latency", 0...10_000)
        for width in try list(jobWidths, "--job-widths", Int.init) { try Validate.range(width, "--job-widths", 1...64) }
    }

    mutating func run() async throws {
        if peers { return try await runPeers() }
        if scale { return try await runScale() }
        if jobs { return try await runJobs() }
        var plan = BenchPlan(engines: try list(engines, "--engines", EngineKind.init), workloads: try list(workloads, "--workloads", BenchPlan.Workload.init),
                             workerCounts: try list(workers, "--workers", Int.init), fetchItems: items, latencyMilliseconds: latencyMs,
                             thumbItems: thumbItems, rounds: max(1, rounds))
        if quick {
            plan.workerCounts = [1, 2, 8, 64]
            plan.fetchItems = 60
            plan.thumbItems = 60
        }
        let executable = ProcessPoolConfiguration().resolvedExecutablePath
        var runner = BenchRunner(plan: plan, executable: executable,
                                 workFolder: WorkFolder.resolve(workFolder, results: results, name: "bench"))
        if let trace {
            try FileManager.default.createDirectory(atPath: trace, withIntermediateDirectories: true)
            runner.traceFolder = trace
        }
        let report = try await runner.run { Console.error($0) }
        for line in BenchChart.table(report) { Console.out(line) }
        try FileManager.default.createDirectory(atPath: results, withIntermediateDirectories: true)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.dateEncodingStrategy = .iso8601
        try encoder.encode(report).write(to: URL(fileURLWithPath: results + "/bench.json"))
        try BenchChart.svg(report).write(toFile: results + "/bench.svg", atomically: true, encoding: .utf8)
        try BenchChart.html(report).write(toFile: results + "/bench.html", atomically: true, encoding: .utf8)
        Console.out("\nWrote \(results)/bench.json, bench.svg and bench.html")
    }

    private func runPeers() async throws {
        let executable = ProcessPoolConfiguration().resolvedExecutablePath
        // The peer scripts live in the repository, beside the build folder.
        let repository = URL(fileURLWithPath: executable).deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
        let runner = PeersRunner(items: peerItems, latencyMilliseconds: peerLatencyMs, rounds: max(1, peerRounds),
                                 executable: executable, scripts: repository + "/scripts",
                                 workFolder: WorkFolder.resolve(workFolder, results: results, name: "peers"))
        let report = try await runner.run { Console.error($0) }
        Console.out("")
        for line in report.table { Console.out(line) }
        Console.out("")
        Console.out("Targets:")
        for line in report.targets { Console.out("  " + line) }
        Console.out("")
        Console.out("Versions:")
        for tool in report.tools { Console.out("  \(tool.name.left(28)) \(tool.version)") }
        try writeResults(report, to: "peers.json")
    }

    private func runJobs() async throws {
        var runner = JobsBenchRunner(executable: ProcessPoolConfiguration().resolvedExecutablePath,
                                     workFolder: WorkFolder.resolve(workFolder, results: results, name: "jobs"))
        runner.items = jobItems
        runner.latency = .milliseconds(jobLatency)
        runner.widths = try list(jobWidths, "--job-widths", Int.init)
        let cells = try await runner.run { Console.error($0) }
        Console.out("")
        for line in JobsBenchRunner.summary(cells) { Console.out(line) }
        try writeResults(cells, to: "jobs.json")
    }

    /// Writes a bench's measurements as JSON into the results folder.
    private func writeResults(_ value: some Encodable, to name: String) throws {
        try FileManager.default.createDirectory(atPath: results, withIntermediateDirectories: true)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.dateEncodingStrategy = .iso8601
        try encoder.encode(value).write(to: URL(fileURLWithPath: results + "/" + name))
        Console.out("\nWrote \(results)/\(name)")
    }

    private func runScale() async throws {
        let runner = ScaleRunner(sizes: try list(scaleItems, "--scale-items", Int.init),
                                 executable: ProcessPoolConfiguration().resolvedExecutablePath,
                                 workFolder: WorkFolder.resolve(workFolder, results: results, name: "scale"))
        let points = try await runner.run { Console.error($0) }
        Console.out("")
        for line in ScaleRunner.table(points) { Console.out(line) }
        try writeResults(points, to: "scale.json")
    }

    private func list<T>(_ text: String, _ option: String, _ make: (String) -> T?) throws -> [T] {
        let values = text.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) }
        let parsed = values.compactMap(make)
        guard !parsed.isEmpty, parsed.count == values.count else { throw ValidationError("\(option): cannot read the list \"\(text)\"") }
        return parsed
    }
}
