#if canImport(Glibc)
import Glibc
#endif
import Engines
import Foundation
import Basics

/// Runs a command to the end (output discarded) and reports what it cost, as the kernel counted
/// it: wall time, CPU time and peak memory of the process and the children it waited for.
struct ChildRun {
    var status: Int32
    var wallSeconds: Double
    var cpuSeconds: Double
    /// Peak resident memory in bytes. For a `posix_spawn` child this starts at our own peak
    /// (see `ProcessMemory`), so callers prefer a figure the child reports itself.
    var peakBytes: Int

    static func run(_ executable: String, _ arguments: [String]) throws -> ChildRun {
        let devNull = open("/dev/null", O_WRONLY | O_CLOEXEC)
        guard devNull >= 0 else { throw ProcessLauncher.Failure(description: "cannot open /dev/null") }
        defer { close(devNull) }
        let start = ContinuousClock.now
        let pid = try ProcessLauncher.spawn(executable: executable, arguments: arguments,
                                            descriptors: [0: 0, 1: devNull, 2: devNull])
        guard let (status, usage) = ProcessLauncher.waitWithUsage(pid) else {
            throw ProcessLauncher.Failure(description: "cannot wait for \(executable)")
        }
        func seconds(_ t: timeval) -> Double { Double(t.tv_sec) + Double(t.tv_usec) / 1e6 }
        return ChildRun(status: (status >> 8) & 0xFF, wallSeconds: (ContinuousClock.now - start).seconds,
                        cpuSeconds: seconds(usage.ru_utime) + seconds(usage.ru_stime),
                        peakBytes: Int(usage.ru_maxrss) * 1024)
    }
}
