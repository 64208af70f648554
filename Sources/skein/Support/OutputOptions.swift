import ArgumentParser
import Basics
import Foundation
import Pipeline
import Logging

/// What a command says and where: `--verbose`, `--quiet`, `--log-file`, and `--trace`.
struct OutputOptions: ParsableArguments {
    @Flag(name: .shortAndLong, help: "Say more on stderr: every request, retry, pause and item as it happens.")
    var verbose = false

    @Flag(name: .shortAndLong, help: "Say only what went wrong: no progress line and no summary.")
    var quiet = false

    @Option(help: ArgumentHelp("Append a JSON line for each request, retry, pause and item outcome to this file.", valueName: "file"))
    var logFile: String?

    @Option(help: ArgumentHelp("Write a timeline of every job (Chrome trace-event JSON: Perfetto, chrome://tracing, skein trace FILE --html OUT.html).",
                               valueName: "file"))
    var trace: String?

    func validate() throws {
        if verbose && quiet { throw ValidationError("--verbose and --quiet say opposite things: give one") }
        try Validate.path(logFile, "--log-file")
        try Validate.path(trace, "--trace")
    }

    private static let quietFlag = Locked(false)
    /// Set by `--quiet`: no progress line, no summary lines.
    static var isQuiet: Bool { quietFlag.withLock { $0 } }

    /// Applies the options: the stderr level, the log file, the trace recorder.
    func start() throws {
        Self.quietFlag.withLock { $0 = quiet }
        LogOutput.setLevel(verbose ? .debug : quiet ? .error : .warning)
        if let logFile {
            do { try LogOutput.openFile(logFile) } catch {
                Console.error("error: \(error)")
                throw ExitCode(.usage)
            }
        }
        if trace != nil { TraceRecorder.install(TraceRecorder()) }
    }

    /// Writes the trace, if one was asked for (also after a failure or Ctrl-C: what ran is in it).
    func finish() {
        guard let trace, let recorder = TraceRecorder.current else { return }
        if recorder.save(to: trace), !quiet {
            Console.error("trace: \(recorder.count) events in \(trace) (skein trace \(trace) --html timeline.html draws it)")
        }
    }
}
