import ArgumentParser
import Foundation
import GalleryServer
import Logging

/// `skein serve`: the embedded Imgur-compatible gallery.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the embedded Imgur-compatible gallery server.",
        discussion: """
            Serves Imgur's API paths (/3/gallery/…, /3/gallery/{id}, /3/gallery/t/…, /3/gallery/r/…, \
            /3/gallery/search/…, /3/album/…, /3/image/…, /3/account/{name}/submissions/…, \
            /3/account/{name}/gallery_favorites/…) with Imgur's envelope and X-RateLimit headers, \
            and the media files at /{id}.{ext}, over a corpus of JPEG, PNG and GIF images generated \
            from --seed, the animated ones with mp4s made by FFmpeg. Requests to /3/ need an Authorization: Client-ID \
            header (any value, unless --client-id is given). Stop with Ctrl-C.
            """
    )

    @OptionGroup var gallery: GalleryOptions

    @Option(help: "Port to listen on (0 picks a free one).")
    var port = 8080

    @Option(help: "Address to listen on.")
    var host = "127.0.0.1"

    func validate() throws {
        try Validate.range(port, "--port", 0...65_535)
        if host.isEmpty { throw ValidationError("--host can't be empty") }
    }

    mutating func run() async throws {
        let corpus = try gallery.corpus()
        Console.error(gallery.corpusLine(corpus))
        let server = GalleryServer(corpus: corpus, options: gallery.serverOptions(host: host, port: port), logLevel: .warning)
        try await server.run { url in
            Console.out("Serving \(corpus.images.count) images in \(corpus.entries.count) gallery entries at \(url)")
            Console.out("Try (IMGUR_CLIENT_ID=demo; the URLs are resolved through --api-base \(url)):")
            for example in ServeCommand.examples(corpus) {
                Console.out("  skein fetch --api-base \(url) \(example)")
            }
        }
    }
}

extension ServeCommand {
    /// Page URLs the gallery answers: an album, a post, an animated image, a tag, a
    /// subreddit, a user, favorites and a search.
    static func examples(_ corpus: Corpus) -> [String] {
        var examples: [String] = []
        if let album = corpus.entries.lazy.compactMap({ entry -> String? in if case .album(let id, _, _, _) = entry { id } else { nil } }).first {
            examples.append("https://imgur.com/a/\(album)")
        }
        if let post = corpus.entries.lazy.compactMap({ entry -> String? in if case .image(let i) = entry { corpus.images[i].id } else { nil } }).first {
            examples.append("https://imgur.com/gallery/a-title-\(post)")
        }
        if let animated = corpus.images.first(where: { $0.video != nil }) {
            examples.append("https://i.imgur.com/\(animated.id).gifv")
        }
        examples += ["https://imgur.com/t/\(Catalogue.tags[0])", "https://imgur.com/r/\(Catalogue.subreddits[0])",
                     "https://imgur.com/user/\(Catalogue.users[0])", "https://imgur.com/user/\(Catalogue.users[1])/favorites",
                     "'https://imgur.com/search?q=sunset' --print-links"]
        return examples
    }
}

/// What the embedded gallery holds and how it behaves.
struct GalleryOptions: ParsableArguments {
    @Option(help: "Images in the gallery.")
    var items = 200

    @Option(help: "Seed of the generated corpus (same seed, same bytes).")
    var seed: UInt64 = 42

    @Option(help: "Delay before every response, in milliseconds.")
    var latencyMs = 0

    @Option(name: .customLong("client-id"), help: "Accept only this Client-ID (others get 403).")
    var acceptedClientID: String?

    @Flag(help: "Small images (fast to generate; for tests and quick looks).")
    var small = false

    @Option(help: "Entries per listing page (galleries, tags, subreddits, users, favorites, search).")
    var pageSize = 20

    @Option(help: "Fault: share of media requests answered 500 (drawn per attempt).")
    var failRate = 0.0
    @Option(help: "Fault: share of media bodies cut off half-way (per attempt).")
    var truncateRate = 0.0
    @Option(help: "Fault: share of media bodies that stop arriving half-way (per attempt).")
    var stallRate = 0.0
    @Option(help: "Fault: share of images served as an HTML page labelled image/jpeg (per image).")
    var wrongTypeRate = 0.0
    @Option(help: "Fault: share of images redirected to removed.png, as deleted on Imgur (per image).")
    var removedRate = 0.0
    @Option(help: "Fault: share of images served as their first half with a matching Content-Length (per image).")
    var cutImageRate = 0.0
    @Option(help: "Fault: share of images served as a tiny PNG declaring 50,000 x 50,000 pixels (per image).")
    var bombRate = 0.0
    @Option(help: "Fault: requests per second over the whole server before 429s, like 50/s.")
    var rateLimit: String?
    @Option(help: "Fault: bytes per second per response.")
    var bandwidth: Int?
    @Option(help: "Fault: the first N API requests are answered 403 \"Imgur is over capacity!\".")
    var overCapacity = 0

    @Flag(help: "Don't keep the generated corpus in ~/.cache/skein (or $XDG_CACHE_HOME/skein).")
    var noCache = false

    @Flag(help: "No mp4s for the animated items and no GIF over 20 MB (the corpus is made without FFmpeg).")
    var noVideos = false

    func validate() throws {
        try Validate.range(items, "--items", 1...100_000)
        try Validate.range(latencyMs, "--latency-ms", 0...600_000)
        try Validate.range(pageSize, "--page-size", 1...1_000)
        for (name, rate) in [("--fail-rate", failRate), ("--truncate-rate", truncateRate), ("--stall-rate", stallRate),
                             ("--wrong-type-rate", wrongTypeRate), ("--removed-rate", removedRate),
                             ("--cut-image-rate", cutImageRate), ("--bomb-rate", bombRate)] {
            try Validate.share(rate, name)
        }
        _ = try rateLimitPerSecond()
        try Validate.range(bandwidth, "--bandwidth", 1...(1 << 40))
        try Validate.range(overCapacity, "--over-capacity", 0...1_000_000)
    }

    /// `50/s` or `50` → 50.
    func rateLimitPerSecond() throws -> Double? {
        guard let rateLimit else { return nil }
        let number = rateLimit.hasSuffix("/s") ? String(rateLimit.dropLast(2)) : rateLimit
        guard let value = Double(number), value.isFinite, value > 0, value <= 1_000_000 else { throw ValidationError("--rate-limit takes requests per second, like 50/s") }
        return value
    }

    var faults: FaultOptions {
        var faults = FaultOptions(failRate: failRate, truncateRate: truncateRate, stallRate: stallRate, wrongTypeRate: wrongTypeRate,
                                  removedRate: removedRate, cutImageRate: cutImageRate, bombRate: bombRate,
                                  rateLimitPerSecond: try? rateLimitPerSecond(), bandwidth: bandwidth, seed: seed)
        faults.overCapacityRequests = overCapacity
        return faults
    }

    func corpus() throws -> Corpus {
        let spec = (small ? CorpusSpec.small(items: items, seed: seed) : .realistic(items: items, seed: seed)).withVideos(!noVideos)
        return try CorpusCache.corpus(for: spec, diskCache: noCache ? nil : CorpusCache.defaultDiskCache)
    }

    func serverOptions(host: String = "127.0.0.1", port: Int = 0) -> ServerOptions {
        var options = ServerOptions(host: host, port: port, latency: .milliseconds(latencyMs), acceptedClientID: acceptedClientID, faults: faults)
        options.pageSize = pageSize
        return options
    }

    func corpusLine(_ corpus: Corpus) -> String {
        var kinds = Dictionary(grouping: corpus.images, by: \.kind.rawValue).map { "\($0.value.count) \($0.key)" }.sorted().joined(separator: ", ")
        let videos = corpus.images.filter { $0.video != nil }.count
        if videos > 0 { kinds += ", \(videos) with an mp4" }
        let how = corpus.generationSeconds > 0 ? String(format: "generated in %.2f s", corpus.generationSeconds) : "from the cache"
        return String(format: "Gallery: %d images (%@; %.1f MB), seed %llu, %@",
                      corpus.images.count, kinds, Double(corpus.totalBytes) / 1_000_000, corpus.spec.seed, how)
    }
}
