#if canImport(Glibc)
import Glibc
#endif
import Basics
import Foundation

/// A workload that does exactly what its input says: sleep, spin the CPU, fail, or crash its
/// process once. The engines' tests run it on every engine, in-process and in workers.
package struct ProbeWorkload: Workload {
    package static let kind = "probe"

    package enum Action: Codable, Sendable, Hashable {
        /// Sleeps this many milliseconds, checking the stop signal every few.
        case sleep(milliseconds: Int)
        /// Burns the CPU for this many iterations of a small hash loop.
        case spin(iterations: Int)
        /// Fails with this code.
        case fail(code: String)
        /// Kills its own process (SIGKILL) unless `marker` exists; creates it first, so the
        /// retry on a fresh worker succeeds.
        case crashOnce(marker: String)
        /// Kills its own process every time.
        case crashAlways
    }

    package struct Output: Codable, Sendable, Hashable {
        package var value: Int
        package var pid: Int32
    }

    package init() {}

    package func perform(_ action: Action, context: JobContext) throws -> Output {
        switch action {
        case .sleep(let milliseconds):
            let end = ContinuousClock.now + .milliseconds(milliseconds)
            while ContinuousClock.now < end {
                try context.checkStopped()
                usleep(UInt32(min(5_000, max(0, (end - .now).seconds * 1e6))))
            }
            return Output(value: milliseconds, pid: getpid())
        case .spin(let iterations):
            return Output(value: Self.spin(iterations), pid: getpid())
        case .fail(let code):
            throw JobFailure(code: code, message: "probe failed on purpose (\(code))")
        case .crashOnce(let marker):
            if access(marker, F_OK) != 0 {
                let fd = open(marker, O_CREAT | O_WRONLY, 0o644)
                if fd >= 0 { close(fd) }
                kill(getpid(), SIGKILL)
            }
            return Output(value: 1, pid: getpid())
        case .crashAlways:
            kill(getpid(), SIGKILL)
            return Output(value: 0, pid: getpid())
        }
    }

    package func performAsync(_ action: Action, context: JobContext) async throws -> Output {
        if case .sleep(let milliseconds) = action {
            try await Task.sleep(for: .milliseconds(milliseconds))
            return Output(value: milliseconds, pid: getpid())
        }
        return try perform(action, context: context)
    }

    /// A loop the optimiser can't fold away (an FNV-style hash).
    @inline(never)
    package static func spin(_ iterations: Int) -> Int {
        var hash: UInt64 = 0xcbf29ce484222325
        for i in 0..<iterations {
            hash = (hash ^ UInt64(truncatingIfNeeded: i)) &* 0x100000001b3
        }
        return Int(truncatingIfNeeded: hash & 0xFFFF)
    }
}
