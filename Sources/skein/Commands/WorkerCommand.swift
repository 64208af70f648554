import ArgumentParser
import Engines
import Pipeline

/// `skein worker`: the hidden mode of the process pool's workers. Reads jobs from stdin and
/// writes results to stdout, as length-prefixed messages, until stdin closes.
struct WorkerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "worker",
        abstract: "Run as a process-pool worker (internal).",
        shouldDisplay: false
    )

    mutating func run() async throws {
        // The loop blocks; it gets a thread of its own so the async runtime stays free for the
        // downloads it runs. It ends the process itself.
        // (An unchecked continuation: it is never resumed, because the process exits first.)
        await withUnsafeContinuation { (_: UnsafeContinuation<Void, Never>) in
            JoinableThread.spawn(name: "worker-loop") { WorkerLoop.run(registry: .skein) }
        }
    }
}
