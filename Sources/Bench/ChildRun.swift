#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// Runs a command to the end and reports what it cost, as the kernel counted it: wall time,
/// CPU time and peak memory of the process and the children it waited for (worker processes
/// included).
struct ChildRun {
    var status: Int32
    var wallSeconds: Double
    var cpuSeconds: Double
    /// Peak resident memory in bytes (the largest of the process and its children).
    var peakBytes: Int

    struct Failure: Error, CustomStringConvertible { let description: String }

    static func run(_ executable: String, _ arguments: [String], environment: [String: String]) throws -> ChildRun {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { envp.forEach { free($0) } }
        var pid: pid_t = 0
        let start = ContinuousClock.now
        let result = posix_spawn(&pid, executable, &actions, nil, argv, envp)
        guard result == 0 else { throw Failure(description: "cannot start \(executable): \(String(cString: strerror(result)))") }
        var status: Int32 = 0
        var usage = rusage()
        while wait4(pid, &status, 0, &usage) < 0 {
            guard errno == EINTR else { throw Failure(description: "wait4 failed: \(String(cString: strerror(errno)))") }
        }
        let wall = (ContinuousClock.now - start)
        func seconds(_ t: timeval) -> Double { Double(t.tv_sec) + Double(t.tv_usec) / 1e6 }
        return ChildRun(status: (status >> 8) & 0xFF,
                        wallSeconds: Double(wall.components.seconds) + Double(wall.components.attoseconds) / 1e18,
                        cpuSeconds: seconds(usage.ru_utime) + seconds(usage.ru_stime),
                        peakBytes: Int(usage.ru_maxrss) * 1024)
    }
}
