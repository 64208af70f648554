import Basics
import Downloader
import Engines
import Foundation
import ImgurAPI
import Logging
import Pipeline

/// `job work`: claims a shard, runs it through the run scaffold, records each item's result as
/// it completes (batched, at least once a second), renews the lease every third of it, and
/// claims the next, until the job has nothing ready or leased left (or, with `wait`, for
/// ever). A lost lease stops the shard's run at once: what it still had in flight is not
/// written, and the worker goes on to the next shard. A 429 one worker sees pauses every
/// worker of the job: the pause is a row in the store, read once a second.
package struct JobWorker: Sendable {
    package var store: JobStore
    package var job: String
    package var worker = WorkerIdentity.current()
    /// Seconds a claim lasts without a heartbeat.
    package var lease: Double = 30
    /// Keep waiting for new shards when none is left.
    package var wait = false
    /// The run scaffold each shard goes through (its batch's stop is the shard's).
    package var scaffold: RunScaffold
    /// The process's stop (Ctrl-C): the shard is released and the worker ends.
    package var stop: StopSignal
    /// Lines for people: a shard claimed, finished, lost; a pause.
    package var say: @Sendable (String) -> Void = { _ in }
    /// Told of each shard claimed, before its run (a progress line reads the job's totals).
    package var onClaim: (@Sendable (ShardClaim) async -> Void)?
    /// How often results are written and the shared pause is read.
    package var flushEvery: Duration = .seconds(1)
    /// The end of the last pause said.
    private let announced = Locked(0.0)

    package init(store: JobStore, job: String, scaffold: RunScaffold, stop: StopSignal) {
        self.store = store
        self.job = job
        self.scaffold = scaffold
        self.stop = stop
    }

    /// What one worker did (`job work --json`).
    package struct Worked: Sendable, Codable {
        package var worker = ""
        package var shards = 0
        /// Claim calls (each returns expired leases to ready and claims one shard) and their time.
        package var claims = 0
        package var claimSeconds = 0.0
        /// Time inside shard runs (from claim to finish).
        package var shardSeconds = 0.0
        /// The worker's peak resident memory (VmHWM).
        package var peakBytes = 0
        package var done = 0
        package var failed = 0
        package var lostLeases = 0
        package var bytes = 0
        package var seconds = 0.0
        /// Seconds spent in store calls (claims, results, heartbeats, finishes).
        package var storeSeconds = 0.0
        package var stopped = false
        /// A run of a shard that failed as a whole (its folder can't be written).
        package var problems: [String] = []
    }

    /// - Throws: `JobStoreError` when the store can't be reached (after its reconnects).
    package func run() async throws(JobStoreError) -> Worked {
        let start = ContinuousClock.now
        var worked = Worked()
        let clock = StoreClock()
        let gates = RateLimitGates(onPause: { [store, job, say] seconds in
            say("rate limited: every worker of job '\(job)' pauses \(Int(seconds.rounded(.up))) s")
            Task { try? await store.setPause(job, seconds: seconds, reason: "a server answered 429 or over capacity") }
        })
        while !stop.isStopped {
            if let pause = try await clock.time({ () async throws(JobStoreError) in try await store.pause(job) }) {
                keep(pause, gates)
                try? await Task.sleep(for: .seconds(min(1, max(0.05, pause.seconds))))
                continue
            }
            let claimStart = ContinuousClock.now
            let claimed = try await clock.time({ () async throws(JobStoreError) in
                try await store.claim(job: job, worker: worker, lease: lease)
            })
            worked.claims += 1
            worked.claimSeconds += (ContinuousClock.now - claimStart).seconds
            guard let claim = claimed else {
                let shards = try await clock.time({ () async throws(JobStoreError) in try await store.shards(job) })
                if shards.isFinished, !wait { break }
                try? await Task.sleep(for: .milliseconds(500))
                continue
            }
            await onClaim?(claim)
            let shardStart = ContinuousClock.now
            let shard = await run(claim, gates: gates, clock: clock)
            worked.shardSeconds += (ContinuousClock.now - shardStart).seconds
            Log.jobs.debug("shard", metadata: ["job": "\(job)", "shard": "\(claim.shard)", "attempt": "\(claim.attempt)", "done": "\(shard.done)",
                                                "failed": "\(shard.failed)", "lost": "\(shard.lost)"])
            if let trace = TraceRecorder.current {
                let lane = TraceRecorder.Lane(process: TraceRecorder.Row.job.rawValue, thread: 0)
                trace.name(TraceRecorder.Row.job.rawValue, "job \(job) · worker \(worker.id)")
                trace.name(lane, "shards")
                trace.complete("shard \(claim.shard)", category: "shard", lane: lane, start: shardStart,
                               args: ["done": .number(Double(shard.done)), "failed": .number(Double(shard.failed)),
                                      "attempt": .number(Double(claim.attempt)), "outcome": .text(shard.lost ? "lease lost" : "finished")])
            }
            worked.shards += 1
            worked.done += shard.done
            worked.failed += shard.failed
            worked.bytes += shard.bytes
            if shard.lost { worked.lostLeases += 1 }
            if let problem = shard.problem { worked.problems.append(problem) }
        }
        worked.stopped = stop.isStopped
        await store.leave(job: job, worker: worker)
        worked.seconds = (ContinuousClock.now - start).seconds
        worked.storeSeconds = clock.seconds
        worked.worker = worker.id
        worked.peakBytes = ProcessMemory.peakBytes() ?? 0
        return worked
    }

    /// Keeps the job's pause: every server's downloads wait it out. Said once per pause.
    private func keep(_ pause: (seconds: Double, reason: String), _ gates: RateLimitGates) {
        gates.pauseAll(seconds: pause.seconds)
        let until = Date().timeIntervalSince1970 + pause.seconds
        if announced.withLock({ last in
            defer { last = max(last, until) }
            return until > last + 0.5
        }) {
            say("paused by the job: \(String(format: "%.1f", pause.seconds)) s more (\(pause.reason))")
        }
    }

    private struct ShardRun {
        var done = 0, failed = 0, bytes = 0
        var lost = false
        var problem: String?
    }

    /// One shard: the run, a flusher (results and the shared pause, every `flushEvery`) and a
    /// heartbeat (every third of the lease), until the run ends or the lease is lost.
    private func run(_ claim: ShardClaim, gates: RateLimitGates, clock: StoreClock) async -> ShardRun {
        let shardStart = ContinuousClock.now
        say("shard \(claim.shard): \(claim.items.count) of \(claim.size) items to fetch (attempt \(claim.attempt))")
        let shardStop = StopSignal()
        let follow = shardStop.follow(stop)
        defer { stop.removeHandler(follow) }
        let results = ShardResults(claim)
        let lost = Locked(false)
        @Sendable func loseLease(_ error: JobStoreError) {
            guard error.code == .leaseLost else { return }
            if lost.withLock({ let was = $0; $0 = true; return !was }) {
                say("shard \(claim.shard): \(error.message); moving on")
                _ = shardStop.stop(.cancelled)
            }
        }

        var scaffold = self.scaffold
        scaffold.batch.stop = shardStop
        scaffold.gates = gates
        scaffold.onDownload = { report in results.add(report) }
        let links = LinkSource.Links(links: claim.items.map(\.link), description: "shard \(claim.shard) of job \(job)")

        let flusher = Task { [store, worker, flushEvery] in
            while true {
                try? await Task.sleep(for: flushEvery)
                // Cancelled: the shard's run is over and its last results are written after.
                if Task.isCancelled { break }
                let batch = results.take()
                do throws(JobStoreError) {
                    try await clock.time { () async throws(JobStoreError) in try await store.record(batch, for: claim, worker: worker) }
                    if let pause = try await clock.time({ () async throws(JobStoreError) in try await store.pause(job) }) {
                        keep(pause, gates)
                    }
                } catch {
                    // Kept for the next write unless the lease is gone (then nothing may be written).
                    if error.code != .leaseLost { results.putBack(batch) }
                    loseLease(error)
                }
            }
        }
        let heartbeat = Task { [store, worker, lease] in
            while !Task.isCancelled {
                try? await Task.sleep(for: .seconds(lease / 3))
                if Task.isCancelled { break }
                do throws(JobStoreError) {
                    try await clock.time { () async throws(JobStoreError) in try await store.heartbeat(claim, worker: worker, lease: lease) }
                } catch {
                    loseLease(error)
                }
            }
        }
        var shard = ShardRun()
        do throws(PipelineError) {
            _ = try await scaffold.run(.links(links))
        } catch {
            shard.problem = "shard \(claim.shard): \(error.message)"
        }
        flusher.cancel()
        heartbeat.cancel()
        _ = await flusher.value
        _ = await heartbeat.value
        if !lost.withLock({ $0 }) {
            do throws(JobStoreError) {
                try await clock.time { () async throws(JobStoreError) in try await store.record(results.take(), for: claim, worker: worker) }
                let stopped = shardStop.isStopped
                let finished = try await clock.time { () async throws(JobStoreError) in try await store.finish(claim, stopped: stopped) }
                let counts = results.counts
                shard.done = counts.done
                shard.failed = counts.failed
                shard.bytes = counts.bytes
                let seconds = (ContinuousClock.now - shardStart).seconds
                say("shard \(claim.shard): \(counts.done) done, \(counts.failed) failed in \(String(format: "%.1f", seconds)) s"
                    + (finished ? "" : "; released with items left"))
            } catch {
                loseLease(error)
            }
        }
        shard.lost = lost.withLock { $0 }
        return shard
    }
}
