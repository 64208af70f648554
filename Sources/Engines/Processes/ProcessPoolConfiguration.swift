#if canImport(Glibc)
import Glibc
#endif

/// How a `ProcessPool` starts and recycles its workers.
package struct ProcessPoolConfiguration: Sendable {
    /// The worker executable; nil means this process's own executable (`/proc/self/exe`).
    package var executable: String?
    /// Arguments that put the executable in worker mode.
    package var arguments: [String]
    /// Replace a worker after it has run this many jobs (Python's `maxtasksperchild`).
    package var maxTasksPerChild: Int?
    /// How many times a job whose worker died is retried on a fresh worker.
    package var crashRetries: Int
    /// How long workers get to exit after their stdin closes before they are killed.
    package var shutdownGrace: Duration

    package init(executable: String? = nil, arguments: [String] = ["worker"],
                maxTasksPerChild: Int? = nil, crashRetries: Int = 1,
                shutdownGrace: Duration = .seconds(2)) {
        self.executable = executable
        self.arguments = arguments
        self.maxTasksPerChild = maxTasksPerChild
        self.crashRetries = crashRetries
        self.shutdownGrace = shutdownGrace
    }

    /// The executable workers will run.
    package var resolvedExecutablePath: String { resolvedExecutable }

    var resolvedExecutable: String {
        if let executable { return executable }
        var buffer = [CChar](repeating: 0, count: 4096)
        let n = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        return n > 0 ? String(decoding: buffer[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self) : CommandLine.arguments[0]
    }
}
