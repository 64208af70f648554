import Foundation
import Locking

/// Peak memory, as Linux reports it in `/proc/PID/status` (`VmHWM`: the high-water mark of
/// resident memory). Used instead of `getrusage`, whose `ru_maxrss` for a process started with
/// `posix_spawn` starts at its parent's peak (vfork shares the parent's memory until `exec`).
public enum ProcessMemory {
    /// The peak resident bytes of a process, if it can be read.
    public static func peakBytes(of pid: Int32 = getpid()) -> Int? { statusBytes("VmHWM", of: pid) }

    /// The resident bytes of a process now, if it can be read.
    public static func residentBytes(of pid: Int32 = getpid()) -> Int? { statusBytes("VmRSS", of: pid) }

    /// A `kB` field of `/proc/PID/status`, in bytes.
    private static func statusBytes(_ field: String, of pid: Int32) -> Int? {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return nil }
        for line in status.split(separator: "\n") where line.hasPrefix(field + ":") {
            return line.split(separator: " ").dropFirst().first.flatMap { Int($0) }.map { $0 * 1024 }
        }
        return nil
    }

    private static let workers = Locked<Int>(0)

    /// Adds a worker process's peak (read just before it is told to exit).
    static func recordWorker(_ pid: Int32) {
        if let bytes = peakBytes(of: pid) { workers.withLock { $0 += bytes } }
    }

    /// This process's peak plus the peaks of every worker process it has run.
    public static var peakBytesIncludingWorkers: Int {
        (peakBytes() ?? 0) + workers.withLock { $0 }
    }
}
