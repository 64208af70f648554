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

/// Starts programs with `posix_spawn`: chosen descriptors in the child, nothing else inherited.
public enum ProcessLauncher {
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
        public init(description: String) { self.description = description }
    }

    /// Starts `executable` with `arguments`; `descriptors` maps each child descriptor number to
    /// one of ours (`[0: pipeReadEnd]` makes it the child's stdin). Every other descriptor from
    /// 3 up is closed in the child. With `ownProcessGroup`, a Ctrl-C at the terminal reaches only
    /// us, and we decide what the child does.
    public static func spawn(executable: String, arguments: [String], descriptors: [Int32: Int32] = [:],
                             ownProcessGroup: Bool = false) throws(Failure) -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        for (target, source) in descriptors.sorted(by: { $0.key < $1.key }) {
            posix_spawn_file_actions_adddup2(&actions, source, target)
        }
        _ = skein_spawn_closefrom(&actions, max(3, (descriptors.keys.max() ?? 2) + 1))

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var flags = POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK
        if ownProcessGroup { flags |= POSIX_SPAWN_SETPGROUP }
        posix_spawnattr_setflags(&attributes, Int16(flags))
        posix_spawnattr_setpgroup(&attributes, 0)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGTERM, SIGPIPE, SIGINT, SIGCHLD] { sigaddset(&defaults, signal) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        var mask = sigset_t()
        sigemptyset(&mask)
        posix_spawnattr_setsigmask(&attributes, &mask)

        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        var pid: pid_t = 0
        let result = posix_spawn(&pid, executable, &actions, &attributes, argv, environ)
        guard result == 0 else {
            throw Failure(description: "cannot start \(executable): \(String(cString: strerror(result)))")
        }
        return pid
    }

    /// Waits for `pid` to exit and describes how it ended.
    @discardableResult
    public static func wait(_ pid: pid_t) -> String {
        guard let (status, _) = waitWithUsage(pid) else { return "unknown exit (\(String(cString: strerror(errno))))" }
        let signal = status & 0x7F
        if signal == 0 { return "exited with status \((status >> 8) & 0xFF)" }
        return "killed by signal \(signal)\(signal == SIGKILL ? " (SIGKILL)" : signal == SIGSEGV ? " (SIGSEGV)" : signal == SIGABRT ? " (SIGABRT)" : "")"
    }

    /// Waits for `pid` to exit; its raw wait status and the kernel's account of what it (and
    /// the children it waited for) used. Nil if it can't be waited for.
    public static func waitWithUsage(_ pid: pid_t) -> (status: Int32, usage: rusage)? {
        var status: Int32 = 0
        var usage = rusage()
        while wait4(pid, &status, 0, &usage) < 0 {
            if errno != EINTR { return nil }
        }
        return (status, usage)
    }
}
