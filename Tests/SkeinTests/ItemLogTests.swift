import Engines
import Foundation
@testable import Pipeline
import SkeinTesting
import Testing

/// The item log keeps a long run's reports on disk and only their totals in memory; what goes
/// in comes back out, in order, and in the JSON report.
@Suite("Item log: long runs spill to disk and lose nothing")
struct ItemLogTests {
    static func item(_ n: Int) -> ItemReport {
        let failed = n % 7 == 0
        return ItemReport(item: "http://127.0.0.1/\(n).jpg", id: "id\(n)", source: "page \(n / 60)", file: failed ? nil : "\(n).jpg",
                          bytes: failed ? 0 : n, status: failed ? .failed : .downloaded,
                          error: failed ? try? JSONDecoder().decode(ItemReport.Failure.self, from: Data(#"{"code":"http-status","message":"HTTP 500 for \#(n)"}"#.utf8)) : nil,
                          seconds: 0.01, attempts: 1, crc32: nil, note: n % 100 == 1 ? "note \(n)" : nil)
    }

    @Test("past its memory limit the log spills to a file: totals, order and every field come back; the file goes with the log")
    func spills() async throws {
        try await TemporaryFolder.with { folder in try Self.spills(in: folder) }
    }

    static func spills(in folder: String) throws {
        let count = 1_000
        var spillFiles: Set<String> = []
        do {
            let log = ItemLog(memoryLimit: 10, spillFolder: folder)
            let before = Set(try FileManager.default.contentsOfDirectory(atPath: folder))
            for n in 0..<count { log.append(Self.item(n)) }
            spillFiles = Set(try FileManager.default.contentsOfDirectory(atPath: folder))
                .subtracting(before).filter { $0.hasPrefix("skein-items-") }
            #expect(spillFiles.count == 1, "one spill file")
            let totals = log.totals
            let failed = (0..<count).filter { $0 % 7 == 0 }
            #expect(totals.count == count && totals.failed == failed.count)
            #expect(totals.bytes == (0..<count).filter { $0 % 7 != 0 }.reduce(0, +))
            #expect(totals.failuresByCause == ["http-status": failed.count])
            #expect(totals.firstFailures.count == ItemLog.kept && totals.firstFailures.first?.item == "http://127.0.0.1/0.jpg")
            #expect(totals.notes == 10 && totals.firstNotes.map(\.note) == (0..<10).map { "note \($0 * 100 + 1)" })
            #expect(log.all == (0..<count).map(Self.item), "every item back, in order, field for field")
        }
        for name in spillFiles {
            #expect(!FileManager.default.fileExists(atPath: folder + "/" + name), "the spill file went with the log")
        }
    }

    @Test("a report whose items spilled is written whole and reads back the same; the summary counts from the totals")
    func reportRoundTrip() async throws {
        try await TemporaryFolder.with { folder in
            let fetchLog = ItemLog(memoryLimit: 5), thumbLog = ItemLog(memoryLimit: 5)
            for n in 0..<300 { fetchLog.append(Self.item(n)) }
            for n in 300..<350 { thumbLog.append(Self.item(n)) }
            let stage = { (log: ItemLog) in
                RunReport(command: "fetch", engine: "async", workers: 4, source: "s", output: folder, startedAt: Date(timeIntervalSince1970: 0),
                          seconds: 1, log: log, skipped: [], stopped: nil, rateLimit: nil, stages: nil)
            }
            var report = stage(fetchLog)
            report.command = "run"
            report.logs = [fetchLog, thumbLog]
            report.stages = [stage(fetchLog), stage(thumbLog)]
            try report.write(to: folder + "/r.json")
            let back = try RunReport.read(from: folder + "/r.json")
            #expect(back.items == (0..<350).map(Self.item))
            #expect(back.stages?.map(\.items.count) == [300, 50])
            #expect(back.failedCount == report.failedCount && report.failedCount == (0..<350).filter { $0 % 7 == 0 }.count)
            #expect(Summary.failureLines(report).last == "  failures by cause: http-status \(report.failedCount)")
            #expect(Summary.failureLines(report).contains("  … and \(report.failedCount - 20) more (see --json)"))
            // Valid JSON a standard parser reads.
            let object = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: folder + "/r.json"))) as? [String: Any]
            #expect((object?["items"] as? [Any])?.count == 350)
        }
    }

    @Test("items a stop left are counted as unfinished, apart from the failures: the summary lists only what failed on its own")
    func unfinishedApart() {
        let log = ItemLog()
        for n in 0..<10 { log.append(Self.item(n + 1)) } // 7 fails with http-status
        let cut = JobFailure.stopped(.cancelled), never = JobFailure.stopped(.cancelled, started: false)
        for (n, failure) in [(20, cut), (21, never), (22, never)] {
            log.append(ItemReport(item: "http://127.0.0.1/\(n).jpg", bytes: 0, status: .failed,
                                  error: ItemReport.Failure(failure, item: "http://127.0.0.1/\(n).jpg"), seconds: 0))
        }
        let report = RunReport(command: "fetch", engine: "async", workers: 4, source: "s", output: "o", startedAt: Date(),
                               seconds: 1, log: log, skipped: [], stopped: .cancelled, rateLimit: nil, stages: nil)
        #expect(report.totals.failed == 4 && report.totals.unfinished == 3 && report.totals.failedOnTheirOwn == 1)
        #expect(report.totals.failuresByCause == ["http-status": 1])
        #expect(Summary.failureLines(report) == ["  failed: HTTP 500 for 7", "  failures by cause: http-status 1"])
        #expect(Summary.fetchLine(report).contains(", 1 failed, 3 not finished → o"))
        #expect(Summary.stoppedLine(report) == "stopped: interrupted; 3 items not finished (the same command again finishes them)")
        #expect(report.items.last?.error?.message == "http://127.0.0.1/22.jpg: cancelled before it started")
        #expect(report.exitStatus == .interrupted)
    }
}
