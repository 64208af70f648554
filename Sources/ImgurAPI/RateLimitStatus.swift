import Basics
import NIOHTTP1

/// Imgur's rate-limit headers, as far as a response carried them.
package struct RateLimitStatus: Sendable, Hashable, Codable {
    package var clientLimit: Int?
    package var clientRemaining: Int?
    package var userLimit: Int?
    package var userRemaining: Int?
    /// Epoch seconds when the user limit resets.
    package var userReset: Int?

    package init(clientLimit: Int? = nil, clientRemaining: Int? = nil, userLimit: Int? = nil,
                userRemaining: Int? = nil, userReset: Int? = nil) {
        self.clientLimit = clientLimit
        self.clientRemaining = clientRemaining
        self.userLimit = userLimit
        self.userRemaining = userRemaining
        self.userReset = userReset
    }

    /// Reads `X-RateLimit-*`; nil when none is present.
    package init?(headers: HTTPHeaders) {
        func int(_ name: String) -> Int? { headers.first(name: name).flatMap { Int($0.trimmingSpaces) } }
        clientLimit = int("X-RateLimit-ClientLimit")
        clientRemaining = int("X-RateLimit-ClientRemaining")
        userLimit = int("X-RateLimit-UserLimit")
        userRemaining = int("X-RateLimit-UserRemaining")
        userReset = int("X-RateLimit-UserReset")
        if clientLimit == nil, clientRemaining == nil, userLimit == nil, userRemaining == nil, userReset == nil { return nil }
    }

    /// True when either budget is used up.
    package var isExhausted: Bool { clientRemaining == 0 || userRemaining == 0 }

    /// "client 12463/12500, user 1990/2000" (what a person wants to see).
    package var summary: String {
        var parts: [String] = []
        if let clientRemaining { parts.append("client \(clientRemaining)/\(clientLimit.map(String.init) ?? "?")") }
        if let userRemaining { parts.append("user \(userRemaining)/\(userLimit.map(String.init) ?? "?")") }
        return parts.isEmpty ? "no rate-limit headers" : parts.joined(separator: ", ")
    }
}
