import Foundation
import HTTPTypes
import Hummingbird
import Synchronization

/// Waits before every response, like a distant server.
struct LatencyMiddleware<Context: RequestContext>: RouterMiddleware {
    let latency: Duration
    let stats: ServerStats
    var rendezvous = 0

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        // API requests in flight, latency included: what a client's connection cap shows in.
        let api = request.uri.path.hasPrefix("/3/")
        if api { stats.apiStarted() }
        defer { if api { stats.apiEnded() } }
        if latency > .zero { try await Task.sleep(for: latency) }
        if rendezvous > 0, api, request.uri.path.hasSuffix("/images") {
            let deadline = ContinuousClock.now + .seconds(3)
            while stats.apiInFlight.load(ordering: .relaxed) < rendezvous, ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(5))
            }
        }
        return try await next(request, context)
    }
}

/// Imgur's rule for `/3/`: no `Authorization: Client-ID …`, no answer (403). Every answer
/// carries `X-RateLimit-*` headers counting down.
struct ClientIDMiddleware<Context: RequestContext>: RouterMiddleware {
    let accepted: String?
    let stats: ServerStats
    let options: ServerOptions
    let startedAt: Int

    static var clientLimit: HTTPField.Name { HTTPField.Name("X-RateLimit-ClientLimit")! }
    static var clientRemaining: HTTPField.Name { HTTPField.Name("X-RateLimit-ClientRemaining")! }
    static var userLimit: HTTPField.Name { HTTPField.Name("X-RateLimit-UserLimit")! }
    static var userRemaining: HTTPField.Name { HTTPField.Name("X-RateLimit-UserRemaining")! }
    static var userReset: HTTPField.Name { HTTPField.Name("X-RateLimit-UserReset")! }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let header = request.headers[.authorization] ?? ""
        let prefix = "Client-ID "
        let id = header.hasPrefix(prefix) ? String(header.dropFirst(prefix.count)).trimmingCharacters(in: .whitespaces) : ""
        guard !id.isEmpty, accepted == nil || accepted == id else {
            return ErrorEnvelope.response(request, status: .forbidden, "Authentication required")
        }
        let used = stats.apiRequests.add(1, ordering: .relaxed).newValue
        stats.record(userAgent: request.headers[.userAgent])
        if used <= options.faults.overCapacityRequests {
            return ErrorEnvelope.response(request, status: .forbidden, "Imgur is over capacity!")
        }
        var response = try await next(request, context)
        response.headers[Self.clientLimit] = String(options.clientLimit)
        response.headers[Self.clientRemaining] = String(max(0, options.clientLimit - used))
        response.headers[Self.userLimit] = String(options.userLimit)
        response.headers[Self.userRemaining] = String(max(0, options.userLimit - used))
        response.headers[Self.userReset] = String(startedAt + 3600)
        return response
    }
}


/// 429 Too Many Requests, with `Retry-After` and Imgur's `X-RateLimit-UserReset`, when the
/// server's token bucket is empty.
struct RateLimitMiddleware<Context: RequestContext>: RouterMiddleware {
    let limiter: RateLimiter
    let stats: ServerStats
    let startedAt: Int

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let wait = limiter.take() else { return try await next(request, context) }
        stats.rateLimited.add(1, ordering: .relaxed)
        let seconds = Int(wait.rounded(.up))
        let reset = Int(Date().timeIntervalSince1970) + seconds
        return ErrorEnvelope.response(request, status: .tooManyRequests, "Too Many Requests", headers: [
            HTTPField.Name("Retry-After")!: String(seconds),
            ClientIDMiddleware<Context>.userRemaining: "0",
            ClientIDMiddleware<Context>.userReset: String(reset),
        ])
    }
}
