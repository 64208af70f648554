import Dispatch
import Engines
import Foundation
import Pipeline

/// Ctrl-C handling for a batch: the first SIGINT stops the batch (no new work starts, running
/// jobs clean up, the summary is still printed, the exit code is 130); a second one exits at
/// once.
enum Interrupt {
    /// Installs the handler and returns the signal that batches follow.
    static func install() -> StopSignal {
        let stop = StopSignal()
        signal(SIGINT, SIG_IGN)
        let source = DispatchSource.makeSignalSource(signal: SIGINT, queue: .global())
        source.setEventHandler {
            if stop.stop(.cancelled) {
                Console.error("\ninterrupted: stopping (press Ctrl-C again to quit at once)")
            } else {
                exit(ExitStatus.interrupted.rawValue)
            }
        }
        source.resume()
        sources.append(source)
        return stop
    }

    // The dispatch sources must stay alive for the life of the process.
    nonisolated(unsafe) private static var sources: [any DispatchSourceSignal] = []
}
