import ArgumentParser
import Engines
import Foundation
import Pipeline

/// Turning results into output and exit codes, the same way for every command.
enum Report {
    /// Prints the summary and failures, writes the JSON report, and exits with the run's status.
    static func finish(_ report: RunReport, line: String, json: String?) throws {
        Console.out(line)
        for failure in Summary.failureLines(report) { Console.out(failure) }
        if let stopped = report.stopped {
            Console.out(stopped == "timedOut" ? "stopped: the --timeout deadline passed" : "stopped: interrupted")
        }
        if let json { try write(report, to: json) }
        if report.exitStatus != ExitStatus.success { throw ExitCode(report.exitStatus) }
    }

    static func write(_ report: RunReport, to path: String) throws {
        var report = report
        report.peakMemoryBytes = ProcessMemory.peakBytesIncludingWorkers
        do { try report.write(to: path) } catch {
            Console.error("error: cannot write the report \(path): \(error.localizedDescription)")
            throw ExitCode(ExitStatus.usage)
        }
    }

    /// Prints a run-level failure and returns the exit code to throw.
    static func fail(_ error: PipelineError) -> ExitCode {
        Console.error("error: \(error.message)")
        return ExitCode(error.exitCode)
    }
}
