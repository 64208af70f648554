import Basics
import Engines
import Foundation
import Logging

/// Every item's report of one stage, as the items finish, with the totals the summary needs
/// kept as they come. Memory stays flat however long the run: past `memoryLimit` items the
/// reports go to a temporary file (one JSON line each, deleted with the log), and only the
/// totals, the first failures and the first notes stay in memory. `forEach` reads them back
/// in the order they were added.
package final class ItemLog: Sendable {
    /// What the summary prints and the exit status needs, without reading the items back.
    package struct Totals: Sendable {
        package var count = 0
        package var byStatus: [ItemReport.Status: Int] = [:]
        /// Bytes of the items that didn't fail.
        package var bytes = 0
        /// Failures by cause, not counting the items a stopped run left unfinished.
        package var failuresByCause: [String: Int] = [:]
        /// Items that failed because the run stopped (Ctrl-C, the deadline) before they
        /// finished or started: not the items' fault, and the same command again finishes them.
        package var unfinished = 0
        /// The first failures (not the unfinished) and notes, for the summary's lines.
        package var firstFailures: [ItemReport] = []
        package var firstNotes: [ItemReport] = []
        package var notes = 0
        /// Videos kept (they get no thumbnail).
        package var videos = 0

        package var failed: Int { byStatus[.failed] ?? 0 }
        /// Items that failed on their own.
        package var failedOnTheirOwn: Int { failed - unfinished }
        package var succeeded: Int { count - failed }

        mutating func add(_ item: ItemReport, keep: Int) {
            count += 1
            byStatus[item.status, default: 0] += 1
            if item.status == .failed, let code = item.error?.code, JobFailure.isStop(code: code) {
                unfinished += 1
            } else if item.status == .failed {
                failuresByCause[item.error?.code ?? "error", default: 0] += 1
                if firstFailures.count < keep { firstFailures.append(item) }
            } else {
                bytes += item.bytes
                if item.kind == "mp4" { videos += 1 }
            }
            if item.note != nil {
                notes += 1
                if firstNotes.count < keep { firstNotes.append(item) }
            }
        }
    }

    private struct State {
        var totals = Totals()
        var memory: [ItemReport] = []
        /// Once spilled: the file the reports go to, and lines not yet written.
        var spill: FileHandle?
        var spillPath: String?
        var pending = Data()
        var failure: String?
        /// One line per item: compact, keys sorted (the report's order).
        let encoder: JSONEncoder = {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            return encoder
        }()
    }

    private let state = Locked(State())
    private let memoryLimit: Int
    /// Where the spill file goes.
    private let spillFolder: String
    /// Failures and notes kept in memory for the summary.
    package static let kept = 50

    /// Told of each item as it is added (a job worker records results from here).
    private let observer: (@Sendable (ItemReport) -> Void)?

    package init(memoryLimit: Int = 2_000, spillFolder: String = NSTemporaryDirectory(), observer: (@Sendable (ItemReport) -> Void)? = nil) {
        self.observer = observer
        self.memoryLimit = max(1, memoryLimit)
        self.spillFolder = spillFolder.hasSuffix("/") ? spillFolder : spillFolder + "/"
    }

    /// A log holding `items` (reports read back, tests).
    package convenience init(_ items: [ItemReport]) {
        self.init(memoryLimit: Int.max)
        for item in items { append(item) }
    }

    deinit {
        state.withLock { state in
            try? state.spill?.close()
            if let path = state.spillPath { unlink(path) }
        }
    }

    package var totals: Totals { state.withLock { $0.totals } }

    /// Adds a finished item.
    package func append(_ item: ItemReport) {
        observer?(item)
        Log.run.debug("item", metadata: item.logMetadata)
        state.withLock { state in
            state.totals.add(item, keep: Self.kept)
            if state.spill == nil, state.memory.count < memoryLimit {
                state.memory.append(item)
                return
            }
            if state.spill == nil { Self.startSpilling(&state, in: spillFolder) }
            // No temporary file to be had: memory, rather than losing the item.
            guard state.spill != nil else { return state.memory.append(item) }
            Self.encode(item, into: &state)
            if state.pending.count >= 1 << 16 { Self.flush(&state) }
        }
    }

    /// Calls `body` with every item, in the order they were added.
    package func forEach(_ body: (ItemReport) throws -> Void) throws {
        let (path, memory) = state.withLock { state -> (String?, [ItemReport]) in
            Self.flush(&state)
            return (state.spillPath, state.memory)
        }
        if let failure = state.withLock({ $0.failure }) {
            throw PipelineError(.report, "the report's item log could not be written: \(failure)")
        }
        guard let path else { return try memory.forEach(body) }
        guard let reader = FileHandle(forReadingAtPath: path) else {
            throw PipelineError(.report, "the report's item log \(path) could not be read")
        }
        defer { try? reader.close() }
        let decoder = JSONDecoder()
        var rest = Data()
        while let chunk = try reader.read(upToCount: 1 << 16), !chunk.isEmpty {
            rest.append(chunk)
            while let newline = rest.firstIndex(of: 0x0A) {
                try body(try decoder.decode(ItemReport.self, from: rest[rest.startIndex..<newline]))
                rest.removeSubrange(rest.startIndex...newline)
            }
        }
    }

    /// Every item, in memory (small runs, tests).
    package var all: [ItemReport] {
        var items: [ItemReport] = []
        try? forEach { items.append($0) }
        return items
    }

    // MARK: spilling

    private static func startSpilling(_ state: inout State, in folder: String) {
        let path = folder + "skein-items-\(getpid())-\(UInt64.random(in: 0...UInt64.max)).jsonl"
        guard FileManager.default.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o600]),
              let handle = FileHandle(forWritingAtPath: path) else {
            return
        }
        state.spill = handle
        state.spillPath = path
        for item in state.memory { encode(item, into: &state) }
        state.memory = []
    }

    private static func encode(_ item: ItemReport, into state: inout State) {
        guard let line = try? state.encoder.encode(item) else { return }
        state.pending.append(line)
        state.pending.append(0x0A)
    }

    private static func flush(_ state: inout State) {
        guard let spill = state.spill, !state.pending.isEmpty else { return }
        do { try spill.write(contentsOf: state.pending) } catch { state.failure = "\(error)" }
        state.pending.removeAll(keepingCapacity: true)
    }
}
