import Foundation
import Dispatch
import Synchronization

/// The main loop of a worker process (`skein worker`): read a request from stdin, run it,
/// write the reply to stdout, until stdin ends.
///
/// - SIGTERM asks the job in progress to stop (so it can clean its temporary files); the
///   worker replies and exits.
/// - A worker whose parent has died exits, so no orphan outlives the pool.
/// - Anything else written to stdout (a stray print) goes to stderr instead: the protocol
///   stream is a private copy of the original stdout.
package enum WorkerLoop {
    package static func run(registry: WorkerRegistry) -> Never {
        let input: Int32 = 0
        let output = dup(1)
        dup2(2, 1)
        signal(SIGPIPE, SIG_IGN)
        signal(SIGINT, SIG_IGN) // Ctrl-C is the parent's to handle

        let stop = StopSignal()
        let terminated = Synchronization.Atomic<Bool>(false)
        signal(SIGTERM, SIG_IGN)
        let termSource = DispatchSource.makeSignalSource(signal: SIGTERM, queue: .global())
        termSource.setEventHandler {
            terminated.store(true, ordering: .releasing)
            stop.stop(.cancelled)
        }
        termSource.resume()
        // Not PR_SET_PDEATHSIG: it fires when the spawning *thread* exits, and the pool spawns
        // from pool threads that come and go. Polling the parent pid is exact.
        watchParent()

        var prepared: Set<String> = []
        let worker = Int(getpid())
        while !terminated.load(ordering: .acquiring) {
            guard case .message(let bytes) = Frame.read(from: input),
                  let parts = WorkerMessage.parts(bytes, count: 3),
                  let header = try? JSONDecoder().decode(WorkerMessage.RequestHeader.self, from: Data(parts[0]))
            else { break }
            let reply: (ok: Bool, payload: [UInt8])
            if let handler = registry.handler(for: header.kind) {
                do {
                    if !prepared.contains(header.kind) {
                        try registry.prepare(header.kind)
                        prepared.insert(header.kind)
                    }
                    reply = handler(parts[1], parts[2], JobContext(stop: stop, index: header.id, worker: worker))
                } catch {
                    reply = failure(JobFailure(code: "worker-setup", message: "worker could not start \(header.kind): \(error)"))
                }
            } else {
                reply = failure(JobFailure(code: "unknown-workload", message: "this worker has no workload named \(header.kind)"))
            }
            guard let message = try? WorkerMessage.reply(id: header.id, ok: reply.ok, payload: reply.payload),
                  Frame.write(message, to: output) else { break }
        }
        exit(0)
    }

    private static func failure(_ failure: JobFailure) -> (Bool, [UInt8]) {
        (false, Array((try? JSONEncoder().encode(failure)) ?? Data()))
    }

    /// Exits when the parent process goes away (its pid changes to a reaper's).
    private static func watchParent() {
        let parent = getppid()
        JoinableThread.spawn(name: "parent-watch") {
            while true {
                usleep(200_000)
                if getppid() != parent { _exit(3) }
            }
        }
    }
}
