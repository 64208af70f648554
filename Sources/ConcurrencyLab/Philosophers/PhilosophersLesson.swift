import Engines
import Foundation
import Basics

/// `skein lab philosophers`: five philosophers, five forks.
///
/// - `naive`: each takes the left fork, then the right. All five hold a left fork and wait for
///   a right one forever. A watchdog sees no meal eaten for `detectAfter`, builds the wait-for
///   graph from who holds and who wants each fork, prints the cycle and ends the dinner.
/// - `ordered`: each takes the lower-numbered fork first, so no cycle can form.
/// - `waiter`: a waiter hands out both forks at once or none, so nobody holds one while
///   waiting for the other.
/// - `chandy-misra`: forks are dirty or clean and pass between neighbours on request.
package enum PhilosophersLesson {
    package enum Strategy: String, Sendable, CaseIterable {
        case naive, ordered, waiter
        case chandyMisra = "chandy-misra"
    }

    package struct Result: Sendable {
        package var strategy: Strategy
        package var meals: [Int]
        package var longestWait: [Double]
        package var seconds: Double
        /// The wait-for cycle, when the dinner deadlocked: `[(philosopher, fork, holder)]`.
        package var deadlock: [(philosopher: Int, fork: Int, heldBy: Int)]?
    }

    package static func run(strategy: Strategy, meals: Int, detectAfter: Duration, seed: UInt64,
                           log: LabLog) -> Result {
        let seats = 5
        let table = Table(seats: seats)
        let mealsEaten = Locked([Int](repeating: 0, count: seats))
        let longestWait = Locked([Double](repeating: 0, count: seats))
        let start = ContinuousClock.now
        // Everyone sits down at once, so the naive strategy deadlocks every time.
        let seated = DispatchGroup()
        let go = DispatchSemaphore(value: 0)

        let philosophers = (0..<seats).map { p in
            JoinableThread(name: "Philosopher \(p)") {
                var random = SeededRandom(seed: seed, stream: "philosopher \(p)")
                seated.leave()
                go.wait()
                let left = table.left(of: p), right = table.right(of: p)
                for _ in 0..<meals {
                    think(&random)
                    let hungry = ContinuousClock.now
                    let got: Bool
                    switch strategy {
                    case .naive:
                        got = table.pickUp(left, by: p) && pause(for: .milliseconds(20)) && table.pickUp(right, by: p)
                    case .ordered:
                        got = table.pickUp(min(left, right), by: p) && table.pickUp(max(left, right), by: p)
                    case .waiter:
                        got = table.pickUpBoth(left, right, by: p)
                    case .chandyMisra:
                        got = table.acquireChandyMisra([left, right], by: p)
                    }
                    guard got else { return } // the dinner was called off
                    let waited = (ContinuousClock.now - hungry).seconds
                    longestWait.withLock { $0[p] = max($0[p], waited) }
                    LabTrace.span("waits for forks", category: "wait", lane: "Philosopher \(p)", since: hungry)
                    let eating = ContinuousClock.now
                    eat(&random)
                    LabTrace.span("eats", category: "eat", lane: "Philosopher \(p)", since: eating)
                    mealsEaten.withLock { $0[p] += 1 }
                    table.ate()
                    if strategy == .chandyMisra { table.releaseChandyMisra([left, right], by: p) } else { table.putDown([left, right]) }
                }
            }
        }
        for philosopher in philosophers { seated.enter(); philosopher.start() }
        seated.wait()
        for _ in 0..<seats { go.signal() }

        // The watchdog: progress is meals eaten; none for `detectAfter` means nobody can eat.
        let done = DispatchGroup()
        done.enter()
        let finisher = JoinableThread { philosophers.forEach { $0.join() }; done.leave() }
        finisher.start()
        var deadlock: [(Int, Int, Int)]?
        var lastProgress = -1
        var lastChange = ContinuousClock.now
        while done.wait(timeout: .now() + .milliseconds(50)) == .timedOut {
            let progress = table.meals
            if progress != lastProgress {
                lastProgress = progress
                lastChange = .now
            } else if ContinuousClock.now - lastChange >= detectAfter {
                let snapshot = table.snapshot(chandyMisra: strategy == .chandyMisra)
                if let cycle = WaitForGraph(holder: snapshot.holder, waitingFor: snapshot.waitingFor).cycle() {
                    deadlock = cycle
                    log.info("Deadlock: no philosopher has eaten for \(String(format: "%.1f", detectAfter.seconds)) s.")
                    log.info("Wait-for cycle: " + cycle.map { "P\($0.0) waits for fork \($0.1) held by P\($0.2)" }.joined(separator: " → "))
                    table.abort()
                    done.wait()
                    break
                }
                lastChange = .now
            }
        }
        let counts = mealsEaten.withLock { $0 }
        return Result(strategy: strategy, meals: counts, longestWait: longestWait.withLock { $0 },
                      seconds: (ContinuousClock.now - start).seconds,
                      deadlock: deadlock.map { $0.map { (philosopher: $0.0, fork: $0.1, heldBy: $0.2) } })
    }

    private static func think(_ random: inout SeededRandom) {
        Thread.sleep(forTimeInterval: Double.random(in: 0.0005...0.002, using: &random))
    }

    private static func eat(_ random: inout SeededRandom) {
        Thread.sleep(forTimeInterval: Double.random(in: 0.0005...0.002, using: &random))
    }

    /// Sleeps, then says yes (to chain in a condition).
    private static func pause(for duration: Duration) -> Bool {
        Thread.sleep(forTimeInterval: duration.seconds)
        return true
    }
}

/// Edges "philosopher waits for a fork held by another philosopher".
struct WaitForGraph {
    let holder: [Int?]
    let waitingFor: [Int?]

    /// A cycle of waits, if there is one: each philosopher, the fork it wants, who holds it.
    func cycle() -> [(Int, Int, Int)]? {
        for start in waitingFor.indices {
            var path: [(Int, Int, Int)] = []
            var seen: [Int: Int] = [:]
            var current = start
            while let fork = waitingFor[current], let owner = holder[fork], owner != current {
                if let index = seen[current] { return Array(path[index...]) }
                seen[current] = path.count
                path.append((current, fork, owner))
                current = owner
            }
            if let index = seen[current] { return Array(path[index...]) }
        }
        return nil
    }
}
