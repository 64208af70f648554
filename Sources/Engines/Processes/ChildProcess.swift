#if canImport(Glibc)
import Glibc
#endif
import CProcess

/// A child process started with `posix_spawn`, its stdin and stdout connected to pipes, in a
/// process group of its own (so a Ctrl-C at the terminal reaches only the parent, which
/// decides what the workers do).
struct ChildProcess: Sendable {
    let pid: pid_t
    /// Write end of the child's stdin.
    let stdin: Int32
    /// Read end of the child's stdout.
    let stdout: Int32

    struct SpawnError: Error, CustomStringConvertible {
        let description: String
    }

    static func spawn(executable: String, arguments: [String]) throws -> ChildProcess {
        var toChild: [Int32] = [-1, -1]
        var fromChild: [Int32] = [-1, -1]
        guard skein_pipe_cloexec(&toChild) == 0 else { throw SpawnError(description: "pipe: \(String(cString: strerror(errno)))") }
        guard skein_pipe_cloexec(&fromChild) == 0 else {
            close(toChild[0]); close(toChild[1])
            throw SpawnError(description: "pipe: \(String(cString: strerror(errno)))")
        }
        defer { close(toChild[0]); close(fromChild[1]) }
        do {
            let pid = try ProcessLauncher.spawn(executable: executable, arguments: arguments,
                                                descriptors: [0: toChild[0], 1: fromChild[1]], ownProcessGroup: true)
            return ChildProcess(pid: pid, stdin: toChild[1], stdout: fromChild[0])
        } catch {
            close(toChild[1]); close(fromChild[0])
            throw SpawnError(description: error.description)
        }
    }
}
