#if canImport(Glibc)
import Glibc
#endif

/// How a child process ended, from its wait status. Text is made only for people
/// (`description`); code asks `isSuccess` or `signal`.
package enum ProcessExit: Sendable, Hashable, Codable, CustomStringConvertible {
    /// It exited with this status.
    case exited(Int32)
    /// A signal ended it.
    case signalled(Int32)
    /// It could not be waited for (the reason).
    case unknown(String)

    /// Decodes a raw `wait4` status.
    package init(waitStatus status: Int32) {
        let signal = status & 0x7F
        self = signal == 0 ? .exited((status >> 8) & 0xFF) : .signalled(signal)
    }

    /// Exited with status 0.
    package var isSuccess: Bool { self == .exited(0) }

    /// The signal that ended it, if one did.
    package var signal: Int32? {
        if case .signalled(let signal) = self { return signal }
        return nil
    }

    package var description: String {
        switch self {
        case .exited(let status): return "exited with status \(status)"
        case .signalled(let signal):
            let names: [Int32: String] = [SIGKILL: "SIGKILL", SIGSEGV: "SIGSEGV", SIGABRT: "SIGABRT", SIGTERM: "SIGTERM", SIGILL: "SIGILL"]
            return "killed by signal \(signal)" + (names[signal].map { " (\($0))" } ?? "")
        case .unknown(let reason): return "unknown exit (\(reason))"
        }
    }
}
