import ArgumentParser
import Foundation
import Jobs
import Pipeline

/// `skein job status NAME`.
struct JobStatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show a job's items, shards, live workers, throughput and ETA."
    )

    @Argument(help: "The job's name.")
    var name: String
    @OptionGroup var storeOptions: StoreOptions
    @Flag(help: "Print it as JSON.")
    var json = false

    func validate() throws { try JobName.validate(name) }

    mutating func run() async throws {
        let name = name
        let status = try await storeOptions.withStore { store throws(JobStoreError) in try await store.status(name) }
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
            let data = try encoder.encode(status)
            Console.out(String(decoding: data, as: UTF8.self))
            return
        }
        for line in Self.lines(status) { Console.out(line) }
    }

    static func itemsLine(_ status: JobStatus) -> String {
        let items = status.items
        let causes = items.failedByCause.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
        return "job \(status.job): \(items.total) items: \(items.done) done, \(items.failed) failed"
            + (causes.isEmpty ? "" : " (\(causes))") + ", \(items.pending) pending"
    }

    static func lines(_ status: JobStatus) -> [String] {
        var lines = [itemsLine(status) + "; \(String(format: "%.1f", Double(status.items.bytes) / 1e6)) MB"]
        let shards = status.shards
        let failedCauses = shards.failedByCause.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
        lines.append("  source: \(status.source)")
        lines.append("  shards: \(shards.total): \(shards.ready) ready, \(shards.leased) leased, \(shards.done) done, \(shards.failed) failed"
            + (failedCauses.isEmpty ? "" : " (\(failedCauses))"))
        let eta = status.etaSeconds.map { ", ETA \(Self.duration($0))" } ?? ""
        lines.append("  rate: \(String(format: "%.1f", status.itemsPerSecond)) items/s over the last minute\(eta)")
        if let paused = status.pausedSeconds {
            lines.append("  paused: \(String(format: "%.1f", paused)) s more (\(status.pauseReason ?? "rate limit"))")
        }
        lines.append("  workers: \(status.workers.count) live" + (status.workers.isEmpty ? "" : ":"))
        for worker in status.workers {
            lines.append("    \(worker.host) pid \(worker.pid): " + (worker.shard.map { "shard \($0)" } ?? "idle")
                + ", \(worker.items) items, heartbeat \(String(format: "%.1f", worker.lastHeartbeat)) s ago")
        }
        return lines
    }

    static func duration(_ seconds: Double) -> String {
        let s = Int(seconds.rounded())
        return s >= 3600 ? "\(s / 3600) h \(s % 3600 / 60) min" : s >= 60 ? "\(s / 60) min \(s % 60) s" : "\(s) s"
    }
}

/// `skein job retry NAME [--cause C]`.
struct JobRetryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "retry", abstract: "Bring a job's failed items (and failed shards) back for the workers.")

    @Argument(help: "The job's name.")
    var name: String
    @OptionGroup var storeOptions: StoreOptions
    @Option(help: "Only items (and shards) that failed with this cause, like http-404 or lease-expired.")
    var cause: String?

    func validate() throws { try JobName.validate(name) }

    mutating func run() async throws {
        let (name, cause) = (name, cause)
        let retried = try await storeOptions.withStore { store throws(JobStoreError) in try await store.retry(name, cause: cause) }
        Console.out("job \(name): \(retried.items) failed item\(retried.items == 1 ? "" : "s") and \(retried.shards) shard\(retried.shards == 1 ? "" : "s") ready again"
            + (cause.map { " (cause \($0))" } ?? ""))
    }
}

/// `skein job list`.
struct JobListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List the jobs in a store.")

    @OptionGroup var storeOptions: StoreOptions

    mutating func run() async throws {
        let (jobs, address) = try await storeOptions.withStore { store throws(JobStoreError) in (try await store.list(), store.address) }
        if jobs.isEmpty { return Console.out("no jobs in \(address)") }
        let formatter = ISO8601DateFormatter()
        for job in jobs {
            Console.out("\(job.job): \(job.items) items, \(job.done) done, \(job.failed) failed, \(job.items - job.done - job.failed) pending; "
                + "created \(formatter.string(from: Date(timeIntervalSince1970: job.createdAt))); \(job.source)")
        }
    }
}

/// `skein job delete NAME`.
struct JobDeleteCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "delete", abstract: "Delete a job and its items from the store (files stay).")

    @Argument(help: "The job's name.")
    var name: String
    @OptionGroup var storeOptions: StoreOptions

    func validate() throws { try JobName.validate(name) }

    mutating func run() async throws {
        let name = name
        let (deleted, address) = try await storeOptions.withStore { store throws(JobStoreError) in (try await store.delete(name), store.address) }
        guard deleted else {
            Console.error("error: no job '\(name)' in \(address)")
            throw ExitCode(.usage)
        }
        Console.out("job \(name): deleted from \(address)")
    }
}
