import ArgumentParser
import Foundation
import Basics
import Pipeline

/// `skein`: get a gallery of images fast and safely, and see every concurrency model at work.
@main
struct Skein: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "skein",
        abstract: "Fetch a gallery of images and make thumbnails, concurrently, on any concurrency model.",
        discussion: """
            Exit codes: 0 everything succeeded; 1 some items failed (the rest are fine); \
            2 usage or configuration error; 130 interrupted.
            """,
        version: SkeinVersion.current,
        subcommands: [
            DemoCommand.self, ServeCommand.self, FetchCommand.self, ThumbsCommand.self, RunCommand.self, JobCommand.self, BenchCommand.self, LabCommand.self,
            ConfigCommand.self, TraceCommand.self,
            WorkerCommand.self,
        ]
    )

    /// Parses and runs the command; usage errors exit with 2 (ArgumentParser's default is 64)
    /// so that every command follows the exit codes above.
    static func main() async {
        // A write past a file-size limit must fail with EFBIG (reported as "disk full"), not
        // kill the process.
        signal(SIGXFSZ, SIG_IGN)
        let settings: EffectiveSettings
        LogOutput.bootstrap()
        do { settings = try Configuration.prepare(PageOption.rewrite(CommandLine.arguments.dropFirst().map(\.self))) } catch {
            FileHandle.standardError.write(Data("error: \(error.message)\n".utf8))
            Foundation.exit(ExitStatus.usage.rawValue)
        }
        for (name, value) in settings.environment { setenv(name, value, 0) }
        do {
            var command = try Configuration.parse(settings)
            if var command = command as? any AsyncParsableCommand {
                try await command.run()
            } else {
                try command.run()
            }
        } catch let error as ConfigError {
            FileHandle.standardError.write(Data("error: \(error.message)\n".utf8))
            Foundation.exit(ExitStatus.usage.rawValue)
        } catch {
            let code = exitCode(for: error)
            if code == .validationFailure {
                FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
                Foundation.exit(ExitStatus.usage.rawValue)
            }
            exit(withError: error)
        }
    }
}
