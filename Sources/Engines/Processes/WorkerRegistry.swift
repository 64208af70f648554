import Foundation

/// The workloads a worker process can run, by `Workload.kind`. The pipeline registers its
/// job kinds (download, thumbnail); the engines add their own probe workload for tests.
package struct WorkerRegistry: Sendable {
    typealias Handler = @Sendable (_ workload: ArraySlice<UInt8>, _ input: ArraySlice<UInt8>,
                                   _ context: JobContext) -> (ok: Bool, payload: [UInt8])
    private var handlers: [String: Handler] = [:]
    private var preparers: [String: @Sendable () throws -> Void] = [:]

    package init() {}

    /// A registry holding the engines' own workloads.
    package static var standard: WorkerRegistry {
        var registry = WorkerRegistry()
        registry.register(ProbeWorkload.self)
        return registry
    }

    /// Makes `W` runnable in a worker.
    package mutating func register<W: Workload>(_ type: W.Type) {
        preparers[W.kind] = { try W.prepareWorkerProcess() }
        handlers[W.kind] = { workloadBytes, inputBytes, context in
            let result: Result<W.Output, JobFailure>
            do {
                let decoder = JSONDecoder()
                let workload = try decoder.decode(W.self, from: Data(workloadBytes))
                let input = try decoder.decode(W.Input.self, from: Data(inputBytes))
                result = .success(try workload.perform(input, context: context))
            } catch {
                result = .failure(JobFailure(error))
            }
            let encoder = JSONEncoder()
            switch result {
            case .success(let output):
                if let bytes = try? encoder.encode(output) { return (true, Array(bytes)) }
                let failure = JobFailure(code: "encoding", message: "the worker could not encode the result")
                return (false, Array((try? encoder.encode(failure)) ?? Data()))
            case .failure(let failure):
                return (false, Array((try? encoder.encode(failure)) ?? Data()))
            }
        }
    }

    func handler(for kind: String) -> Handler? { handlers[kind] }
    func prepare(_ kind: String) throws { try preparers[kind]?() }
}
