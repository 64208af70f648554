import ArgumentParser
import Basics
import Foundation

/// `skein lab <lesson>`: the classic concurrency lessons, each as a demo that proves its point.
struct LabCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lab",
        abstract: "Classic concurrency lessons as demos that prove their point (guides in docs/lab/).",
        subcommands: [
            LabThreads.self, LabDaemon.self, LabJoin.self, LabRace.self, LabLock.self, LabPhilosophers.self,
            LabGIL.self, LabPool.self, LabQueue.self, LabProcessQueue.self, LabSpawn.self,
        ]
    )
}

/// How long the lessons' threads sleep (the tutorial's `time.sleep(2)`); tests make it short.
struct LabTiming: ParsableArguments {
    @Option(help: "Seconds each thread sleeps (the tutorial uses 2).")
    var sleep = 2.0

    @OptionGroup var trace: LabTraceOption

    var duration: Duration { .seconds(sleep) }

    func validate() throws {
        guard sleep.isFinite, (0...60).contains(sleep) else { throw ValidationError("--sleep must be between 0 and 60 seconds, not \(sleep)") }
    }
}

/// `--trace FILE`: the lesson's timeline, a lane per thread (skein trace FILE --html draws it).
struct LabTraceOption: ParsableArguments {
    @Option(help: ArgumentHelp("Write the lesson's timeline here: a lane per thread (Chrome trace-event JSON; skein trace FILE --html draws it).",
                               valueName: "file"))
    var trace: String?

    func validate() throws { try Validate.path(trace, "--trace") }

    func start() { if trace != nil { TraceRecorder.install(TraceRecorder()) } }

    func finish() {
        guard let trace, let recorder = TraceRecorder.current else { return }
        recorder.save(to: trace)
    }
}
