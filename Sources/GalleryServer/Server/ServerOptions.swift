/// How the embedded gallery behaves on the wire.
package struct ServerOptions: Sendable {
    /// Address to listen on; loopback by default.
    package var host: String
    /// 0 picks a free port.
    package var port: Int
    /// Delay before every response.
    package var latency: Duration
    /// When set, only this Client-ID is accepted (others get 403, as a rejected key does).
    package var acceptedClientID: String?
    /// Rate-limit budget reported in `X-RateLimit-*` headers.
    package var clientLimit: Int
    package var userLimit: Int
    /// Faults to inject (none by default).
    package var faults: FaultOptions
    /// Entries per listing page (Imgur's is about 60; tests use fewer to have several pages).
    package var pageSize = Corpus.pageSize
    /// Tests of a client's connection cap: a request for an album's images waits until this
    /// many API requests are in flight (or 3 s have passed), so requests a client sends
    /// together are seen together, however the machine schedules them. 0: off.
    package var apiRendezvous = 0

    package init(host: String = "127.0.0.1", port: Int = 0, latency: Duration = .zero,
                acceptedClientID: String? = nil, clientLimit: Int = 12_500, userLimit: Int = 2_000,
                faults: FaultOptions = FaultOptions()) {
        self.faults = faults
        self.host = host
        self.port = port
        self.latency = latency
        self.acceptedClientID = acceptedClientID
        self.clientLimit = clientLimit
        self.userLimit = userLimit
    }
}
