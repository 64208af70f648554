#if canImport(Glibc)
import Glibc
#endif
import CProcess

/// Starts programs with `posix_spawn`: chosen descriptors in the child, nothing else inherited.
package enum ProcessLauncher {
    package struct Failure: Error, CustomStringConvertible {
        package let description: String
        package init(description: String) { self.description = description }
    }

    /// Starts `executable` with `arguments`; `descriptors` maps each child descriptor number to
    /// one of ours (`[0: pipeReadEnd]` makes it the child's stdin). Every other descriptor from
    /// 3 up is closed in the child. With `ownProcessGroup`, a Ctrl-C at the terminal reaches only
    /// us, and we decide what the child does.
    package static func spawn(executable: String, arguments: [String], descriptors: [Int32: Int32] = [:],
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

    /// Waits for `pid` to exit; how it ended.
    @discardableResult
    package static func wait(_ pid: pid_t) -> ProcessExit {
        guard let (status, _) = waitWithUsage(pid) else { return .unknown(String(cString: strerror(errno))) }
        return ProcessExit(waitStatus: status)
    }

    /// Waits for `pid` to exit; its raw wait status and the kernel's account of what it (and
    /// the children it waited for) used. Nil if it can't be waited for.
    package static func waitWithUsage(_ pid: pid_t) -> (status: Int32, usage: rusage)? {
        var status: Int32 = 0
        var usage = rusage()
        while wait4(pid, &status, 0, &usage) < 0 {
            if errno != EINTR { return nil }
        }
        return (status, usage)
    }
}
