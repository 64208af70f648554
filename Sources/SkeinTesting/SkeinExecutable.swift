import Foundation
import Basics

/// The built `skein` executable, for tests that run it as a child process (worker pools,
/// exit codes, kill -9). It sits beside the test bundle in the build folder.
package enum SkeinExecutable {
    package static var path: String {
        var buffer = [CChar](repeating: 0, count: 4096)
        let n = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        let me = n > 0 ? String(decoding: buffer[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self) : CommandLine.arguments[0]
        return URL(fileURLWithPath: me).deletingLastPathComponent().appendingPathComponent("skein").path
    }

    /// The result of running skein to the end.
    package struct Run: Sendable {
        package var status: Int32
        package var stdout: String
        package var stderr: String

        package init(status: Int32, stdout: String, stderr: String) {
            self.status = status
            self.stdout = stdout
            self.stderr = stderr
        }
    }

    /// Runs `skein arguments…` and waits for it, on a thread of its own: a test's server runs
    /// in the test process, on the async runtime's few threads, and must not be starved by a
    /// test waiting for the child that talks to it.
    package static func run(_ arguments: [String], environment: [String: String]? = nil,
                           directory: String? = nil) async throws -> Run {
        try await run(tool: path, arguments, environment: isolated(environment), directory: directory)
    }

    /// The environment a test's skein runs with: the config file of whoever runs the tests is
    /// never read (a test that wants one sets XDG_CONFIG_HOME itself).
    package static func isolated(_ environment: [String: String]?) -> [String: String] {
        var environment = environment ?? ProcessInfo.processInfo.environment
        if environment["XDG_CONFIG_HOME"] == nil { environment["XDG_CONFIG_HOME"] = "/nonexistent/skein-tests" }
        environment.removeValue(forKey: "SKEIN_LOG_FILE")
        return environment
    }

    /// Runs another program the same way (curl, aria2c, python3), and waits for it.
    package static func run(tool: String, _ arguments: [String], environment: [String: String]? = nil,
                            directory: String? = nil) async throws -> Run {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = arguments
        if let environment { process.environment = environment }
        if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let (stdout, stderr) = await finish(process, stdout: out, stderr: err)
        return Run(status: process.terminationStatus, stdout: stdout, stderr: stderr)
    }

    /// Reads a started process's output to the end and waits for it to exit, off the async
    /// runtime's threads.
    package static func finish(_ process: Process, stdout: Pipe?, stderr: Pipe? = nil) async -> (String, String) {
        await withCheckedContinuation { continuation in
            Thread {
                // stderr is read on a thread of its own too: a blocked read on a global
                // dispatch queue would take one of the few threads the async runtime runs on.
                let errText = Locked("")
                let done = DispatchSemaphore(value: 0)
                Thread {
                    let data = stderr?.fileHandleForReading.readDataToEndOfFile() ?? Data()
                    errText.withLock { $0 = String(decoding: data, as: UTF8.self) }
                    done.signal()
                }.start()
                let outData = stdout?.fileHandleForReading.readDataToEndOfFile() ?? Data()
                done.wait()
                process.waitUntilExit()
                continuation.resume(returning: (String(decoding: outData, as: UTF8.self), errText.withLock { $0 }))
            }.start()
        }
    }
}
