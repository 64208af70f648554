import ArgumentParser
import Engines
import Foundation
import Pipeline

/// Turning results into output and exit codes, the same way for every command.
enum Report {
    /// Prints the summary lines and failures, writes the JSON report, and exits with the run's status.
    static func finish(_ report: RunReport, lines: [String], json: String?) throws {
        let quiet = OutputOptions.isQuiet
        if !quiet { for line in lines { Console.out(line) } }
        for failure in Summary.failureLines(report) { Console.out(failure) }
        if !quiet { for line in Summary.noteLines(report) + Summary.skippedLines(report) { Console.out(line) } }
        if !quiet, let page = report.contactSheet { Console.out("contact sheet: \(page)") }
        if let stopped = Summary.stoppedLine(report) { Console.out(stopped) }
        if let json { try write(report, to: json) }
        if report.exitStatus != .success { throw ExitCode(report.exitStatus) }
    }

    static func write(_ report: RunReport, to path: String) throws {
        do { try report.write(to: path) } catch {
            Console.error("error: cannot write the report \(path): \(error.localizedDescription)")
            throw ExitCode(.usage)
        }
    }

    /// Prints a run-level failure and returns the exit code to throw.
    static func fail(_ error: PipelineError) -> ExitCode {
        Console.error("error: \(error.message)")
        return ExitCode(error.exitStatus)
    }
}
