import Foundation

/// Peak memory, as Linux reports it in `/proc/PID/status` (`VmHWM`: the high-water mark of
/// resident memory). Used instead of `getrusage`, whose `ru_maxrss` for a process started with
/// `posix_spawn` starts at its parent's peak (vfork shares the parent's memory until `exec`).
package enum ProcessMemory {
    /// The peak resident bytes of a process, if it can be read.
    package static func peakBytes(of pid: Int32 = getpid()) -> Int? { statusBytes("VmHWM", of: pid) }

    /// The resident bytes of a process now, if it can be read.
    package static func residentBytes(of pid: Int32 = getpid()) -> Int? { statusBytes("VmRSS", of: pid) }

    /// A `kB` field of `/proc/PID/status`, in bytes.
    private static func statusBytes(_ field: String, of pid: Int32) -> Int? {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return nil }
        for line in status.split(separator: "\n") where line.hasPrefix(field + ":") {
            return line.split(separator: " ").dropFirst().first.flatMap { Int($0) }.map { $0 * 1024 }
        }
        return nil
    }
}
