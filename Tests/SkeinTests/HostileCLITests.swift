import Basics
import Engines
import Foundation
import SkeinTesting
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Every option of every subcommand, set to hostile values, one case at a time through the real
/// binary: each ends with 0, 1, 2 or 130 (or runs until the case's time is up, as a server or a
/// long lesson does), never with a signal, and a usage error is one readable line.
@Suite("Hostile command lines")
struct HostileCLITests {
    static let values = ["0", "-1", "2147483647", "99999999999999999999", "nan", "", "text", "../..",
                         String(repeating: "x", count: 5000)]

    /// The command tree, as the binary describes itself: every (subcommand path, option) pair.
    static func options() throws -> [(command: [String], option: String, positional: [String])] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: SkeinExecutable.path)
        process.arguments = ["--experimental-dump-help"]
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let root = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        var found: [(command: [String], option: String, positional: [String])] = []
        func walk(_ command: [String: Any], _ path: [String]) {
            let arguments = command["arguments"] as? [[String: Any]] ?? []
            // A required positional gets a harmless value, so the options themselves are reached.
            let positional = arguments.filter { $0["kind"] as? String == "positional" && $0["isOptional"] as? Bool == false }.map { _ in "." }
            for argument in arguments where argument["kind"] as? String == "option" {
                let names = (argument["names"] as? [[String: Any]] ?? []).compactMap { $0["name"] as? String }
                if let long = names.max(by: { $0.count < $1.count }) { found.append((path, "--" + long, positional)) }
            }
            for sub in command["subcommands"] as? [[String: Any]] ?? [] {
                if let name = sub["commandName"] as? String, name != "help" { walk(sub, path + [name]) }
            }
        }
        walk(try #require(root["command"] as? [String: Any]), [])
        return found
    }

    /// How a case ended: its exit status or signal, and stderr.
    struct Ending: Sendable {
        var status: ProcessExit?
        var stderr: String
    }

    /// Runs `skein arguments` in `directory`, in a process group of its own; after `limit` the
    /// group is stopped (SIGTERM, then SIGKILL) and the case counts as still running.
    static func run(_ arguments: [String], in directory: String, limit: Duration) async throws -> Ending {
        var errPipe: [Int32] = [-1, -1]
        guard pipe(&errPipe) == 0 else { throw ProcessLauncher.Failure(description: "pipe failed") }
        let null = open("/dev/null", O_RDWR)
        defer { close(null) }
        let pid = try ProcessLauncher.spawn(executable: "/usr/bin/env", arguments: ["-C", directory, SkeinExecutable.path] + arguments,
                                            descriptors: [0: null, 1: null, 2: errPipe[1]], ownProcessGroup: true)
        close(errPipe[1])
        let readEnd = errPipe[0]
        let stderr = Locked(Data())
        let reader = JoinableThread.spawn(name: "hostile-stderr") {
            var buffer = [UInt8](repeating: 0, count: 4096)
            while true {
                let n = read(readEnd, &buffer, buffer.count)
                if n <= 0 { break }
                stderr.withLock { $0.append(contentsOf: buffer[0..<n]) }
            }
            close(readEnd)
        }
        let clock = ContinuousClock()
        let end = clock.now + limit
        var status: Int32 = 0
        var exited = false
        while clock.now < end {
            if waitpid(pid, &status, WNOHANG) == pid { exited = true; break }
            try await Task.sleep(for: .milliseconds(10))
        }
        if !exited {
            kill(-pid, SIGTERM)
            try await Task.sleep(for: .milliseconds(300))
            kill(-pid, SIGKILL)
            _ = waitpid(pid, &status, 0)
        }
        reader.join()
        return Ending(status: exited ? ProcessExit(waitStatus: status) : nil,
                      stderr: String(decoding: stderr.withLock { $0 }, as: UTF8.self))
    }

    @Test("every option of every subcommand with hostile values: a clean exit or still running, never a signal")
    func hostileValues() async throws {
        let options = try Self.options()
        #expect(options.count > 60, "the command tree was read")
        var cases: [[String]] = []
        for (command, option, positional) in options {
            for value in Self.values { cases.append(command + positional + [option, value]) }
            cases.append(command + positional + [option, "1", option, "2"]) // given twice
        }
        try await TemporaryFolder.with("skein-hostile") { root in
            // `../..` from here stays inside the temporary folder.
            let directory = root + "/a/b"
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            var endings: [(arguments: [String], ending: Ending)] = []
            // Two at a time (one a core): most cases are a process start and a usage error.
            try await withThrowingTaskGroup(of: ([String], Ending).self) { group in
                var next = 0
                while next < cases.count || !group.isEmpty {
                    while next < cases.count, next - endings.count < 2 {
                        let arguments = cases[next]
                        next += 1
                        group.addTask { (arguments, try await Self.run(arguments, in: directory, limit: .seconds(2))) }
                    }
                    if let result = try await group.next() { endings.append(result) }
                }
            }
            var usageErrors = 0
            for (arguments, ending) in endings {
                let shown = arguments.map { $0.count > 40 ? String($0.prefix(12)) + "…(\($0.count))" : $0 }.joined(separator: " ")
                guard let status = ending.status else { continue } // still running when its time was up
                #expect(status.signal == nil, "skein \(shown): \(status)\n\(ending.stderr.prefix(400))")
                if case .exited(let code) = status {
                    #expect([0, 1, 2, 130].contains(code), "skein \(shown): exit \(code)\n\(ending.stderr.prefix(400))")
                    if code == 2 {
                        usageErrors += 1
                        let first = ending.stderr.split(separator: "\n").first.map(String.init) ?? ""
                        #expect(!first.isEmpty, "skein \(shown): exit 2 without a word")
                        #expect(first.count < 400 || first.contains(String(repeating: "x", count: 100)),
                                "skein \(shown): the first line is not readable: \(first.prefix(200))")
                    }
                }
                #expect(!ending.stderr.contains("Fatal error"), "skein \(shown): \(ending.stderr.prefix(400))")
            }
            #expect(usageErrors > cases.count / 2, "most hostile values are usage errors")
            print("hostile command lines: \(cases.count) cases over \(options.count) options, \(usageErrors) usage errors, "
                  + "\(endings.filter { $0.ending.status == nil }.count) still running when their time was up")
        }
    }
}
