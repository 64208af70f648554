/// Why a store call failed: a code for callers and a one-line message for people. Messages
/// never hold a password: they name the store by its masked address.
package struct JobStoreError: Error, Sendable, CustomStringConvertible {
    package enum Code: String, Sendable {
        /// The address is not `sqlite:PATH` or `postgres://…`.
        case badAddress = "bad-store"
        /// The store can't be opened or reached (after the reconnect attempts).
        case unavailable = "store-unavailable"
        /// A statement failed.
        case query = "store-error"
        case noSuchJob = "no-such-job"
        case jobExists = "job-exists"
        /// The shard's lease was lost: it expired, or another worker holds it now.
        case leaseLost = "lease-lost"
        /// The store was made by a newer Skein.
        case schema = "schema"
    }

    package var code: Code
    package var message: String

    package init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    package var description: String { message }

    /// Whether the call may succeed if made again once the connection is back.
    var isConnectionLoss: Bool { code == .unavailable }
}
