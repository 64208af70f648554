import Engines
import Basics
import Foundation

/// `skein lab gil`: the same CPU-bound loop on one thread, then on two threads doing twice the
/// work, in Swift and (when `python3` is here) in CPython. Swift has no global interpreter
/// lock: two threads do twice the work in about the same time on two cores. CPython's GIL lets
/// one thread run Python code at a time: two threads take about twice as long.
package enum GILLesson {
    package struct Timing: Sendable {
        package var language: String
        package var oneThread: Double
        package var twoThreads: Double
        /// Work per second with two threads over one (2.0 is perfect scaling).
        package var speedup: Double { 2 * oneThread / twoThreads }
    }

    /// Swift: `iterations` of the spin loop on one thread, then on each of two threads.
    package static func swift(iterations: Int) -> Timing {
        func timed(_ threads: Int) -> Double {
            let workers = (0..<threads).map { _ in JoinableThread { _ = ProbeWorkload.spin(iterations) } }
            let start = ContinuousClock.now
            workers.forEach { $0.start() }
            workers.forEach { $0.join() }
            return (ContinuousClock.now - start).seconds
        }
        _ = timed(1) // warm up
        return Timing(language: "Swift", oneThread: timed(1), twoThreads: timed(2))
    }

    /// CPython, if `python3` is on the PATH: the same shape of loop in pure Python.
    package static func python(iterations: Int) -> Timing? {
        let script = """
        import threading, time
        def spin(n):
            h = 0xcbf29ce484222325
            for i in range(n):
                h = ((h ^ i) * 0x100000001b3) & 0xFFFFFFFFFFFFFFFF
        def timed(k, n):
            ts = [threading.Thread(target=spin, args=(n,)) for _ in range(k)]
            t0 = time.perf_counter()
            for t in ts: t.start()
            for t in ts: t.join()
            return time.perf_counter() - t0
        n = \(iterations)
        timed(1, n // 10)
        print(timed(1, n), timed(2, n))
        """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        do { try process.run() } catch { return nil }
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { return nil }
        let numbers = String(decoding: data, as: UTF8.self).split(separator: " ").compactMap { Double($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
        guard numbers.count == 2 else { return nil }
        return Timing(language: "CPython \(pythonVersion() ?? "")".trimmingCharacters(in: .whitespaces), oneThread: numbers[0], twoThreads: numbers[1])
    }

    private static func pythonVersion() -> String? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", "import sys; print('%d.%d' % sys.version_info[:2])"]
        let output = Pipe()
        process.standardOutput = output
        guard (try? process.run()) != nil else { return nil }
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return text.trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
