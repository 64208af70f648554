import Foundation

extension ProcessPool {
    /// A worker's reply as the job's outcome.
    static func decodeReply<Output: Codable>(_ bytes: [UInt8], as: Output.Type, seconds: Double, worker: Int) -> JobOutcome<Output> {
        let decoder = JSONDecoder()
        guard let parts = WorkerMessage.parts(bytes, count: 2),
              let header = try? decoder.decode(WorkerMessage.ReplyHeader.self, from: Data(parts[0])) else {
            return JobOutcome(result: .failure(JobFailure(code: "protocol", message: "unreadable reply from worker \(worker)")), seconds: seconds, worker: worker)
        }
        if header.ok, let output = try? decoder.decode(Output.self, from: Data(parts[1])) {
            return JobOutcome(result: .success(output), seconds: seconds, worker: worker)
        }
        let failure = (try? decoder.decode(JobFailure.self, from: Data(parts[1])))
            ?? JobFailure(code: "protocol", message: "unreadable result from worker \(worker)")
        return JobOutcome(result: .failure(failure), seconds: seconds, worker: worker)
    }

    /// A failure the pool decided (no reply) as the job's failure.
    static func jobFailure(_ failure: PoolStateMachine<[UInt8]>.Failure) -> JobFailure {
        switch failure {
        case .crashed(let history):
            JobFailure(code: JobFailure.workerCrashedCode,
                       message: "the worker process died while running it: \(history.joined(separator: ", then "))")
        case .noWorker(let message): JobFailure(code: "worker-start", message: message)
        case .stopped(let reason): .stopped(reason)
        }
    }

    /// Starts the thread that takes the batch's inputs (it may block, for a channel) and sends
    /// them, encoded, as events, at most `width` ahead of the workers (`credits`).
    nonisolated static func startFeeder<S: JobSource, Output>(_ storage: BatchStorage<S, Output>, batch: Int,
                                                              credits: DispatchSemaphore, sink: AsyncStream<Event>.Continuation) where S.Input: Encodable {
        JoinableThread.spawn(name: "pool-feeder") {
            let encoder = JSONEncoder()
            while true {
                credits.wait()
                guard let (index, input) = storage.take() else { break }
                let bytes = (try? Array(encoder.encode(input))) ?? []
                sink.yield(.input(batch: batch, index: index, bytes: bytes))
            }
            sink.yield(.inputsEnded(batch: batch))
        }
    }
}
