/// A concurrency engine: a model (`kind`) and a width (`workers`, at least 1: commands
/// check their options before they get here). Engines are values; pick one by name and hand it
/// a workload and its inputs.
///
/// Every engine gives one outcome per input, in input order, each a success or a
/// `JobFailure`; one failing job never aborts the batch. Every engine honours the batch's
/// deadline, stop signal and progress callback (`BatchOptions`).
package struct Engine: Sendable {
    package var kind: EngineKind
    package var workers: Int
    /// Settings used only by `processes`.
    package var processes: ProcessPoolConfiguration

    package init(_ kind: EngineKind, workers: Int, processes: ProcessPoolConfiguration = .init()) {
        self.kind = kind
        self.workers = max(1, workers)
        self.processes = processes
    }

    /// Runs `workload` over `inputs`.
    package func run<W: Workload>(_ workload: W, _ inputs: [W.Input],
                                 options: BatchOptions = BatchOptions()) async -> [JobOutcome<W.Output>] {
        if inputs.isEmpty { return [] }
        return await run(workload, from: ListSource(inputs), options: options)
    }

    /// Runs `workload` over whatever `source` hands out (a channel fed by another stage, say),
    /// calling `onOutcome` as each job ends. Returns one outcome per input, by index.
    package func run<W: Workload, S: JobSource>(
        _ workload: W, from source: S, options: BatchOptions = BatchOptions(),
        onOutcome: (@Sendable (Int, JobOutcome<W.Output>) -> Void)? = nil
    ) async -> [JobOutcome<W.Output>] where S.Input == W.Input {
        let width = min(workers, source.knownCount.map { max(1, $0) } ?? workers)
        func batch() -> BatchStorage<S, W.Output> { BatchStorage(source: source, options: options, onOutcome: onOutcome) }
        switch kind {
        case .sequential: return await ThreadEngines.sequential(workload, batch())
        case .threads: return await ThreadEngines.threads(workload, batch(), workers: width)
        case .pool: return await ThreadEngines.pool(workload, batch(), workers: width)
        case .gcd: return await ThreadEngines.gcd(workload, batch(), workers: width)
        case .operations: return await ThreadEngines.operations(workload, batch(), workers: width)
        case .async: return await AsyncEngine.run(workload, batch(), workers: width)
        case .processes:
            // The pool keeps its own batch scaffold: its actor settles what the workers reply.
            let pool = ProcessPool(workers: width, configuration: processes)
            let outcomes = await pool.run(workload, from: source, options: options, onOutcome: onOutcome)
            await pool.shutdown()
            options.usage?.addWorkerPeaks(await pool.workerPeakBytes)
            return outcomes
        }
    }
}
