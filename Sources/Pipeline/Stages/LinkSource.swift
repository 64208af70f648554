import Downloader
import Engines
import Foundation
import ImgurAPI
import Basics

/// Where the links of a fetch come from.
package enum LinkSource: Sendable {
    /// An Imgur-compatible API: galleries, albums, posts, images, tags, subreddits, users,
    /// searches, read one after the other; an item two of them reach is listed once, and
    /// `limit` counts the links of all of them.
    case api(base: String, clientID: ClientID?, sources: [ImgurSource], limit: Int, extractor: LinkExtractor, api: APIPoliteness = APIPoliteness())
    /// A text file with one URL a line (blank lines and `#` comments are ignored).
    case file(path: String, limit: Int?)

    /// The links, and what was skipped on the way.
    package struct Links: Sendable {
        package var links: [ImageLink]
        package var skipped: [SkippedItem]
        /// Human description: `gallery hot/viral/day at http://…`, `links.txt`.
        package var description: String
        package var apiRequests: Int
        package var rateLimit: RateLimitStatus?
        package var seconds: Double

        package init(links: [ImageLink], skipped: [SkippedItem] = [], description: String, apiRequests: Int = 0,
                    rateLimit: RateLimitStatus? = nil, seconds: Double = 0) {
            self.links = links
            self.skipped = skipped
            self.description = description
            self.apiRequests = apiRequests
            self.rateLimit = rateLimit
            self.seconds = seconds
        }
    }

    /// What a listing said besides its links.
    package struct Listing: Sendable {
        package var skipped: [SkippedItem] = []
        /// Human description: `gallery hot/viral/day at http://…`, `links.txt`.
        package var description: String
        package var apiRequests = 0
        package var rateLimit: RateLimitStatus?
        package var seconds: Double = 0

        package init(description: String) { self.description = description }

        init(skipped: [SkippedItem], description: String, apiRequests: Int, rateLimit: RateLimitStatus?, seconds: Double) {
            self.skipped = skipped
            self.description = description
            self.apiRequests = apiRequests
            self.rateLimit = rateLimit
            self.seconds = seconds
        }
    }

    /// Reads the links, all of them, before anything downloads (tests, small lists).
    /// - Throws: `PipelineError` when the source can't be read at all.
    package func load() async throws(PipelineError) -> Links {
        let links = Locked<[ImageLink]>([])
        let listing = try await list { link in
            links.withLock { $0.append(link) }
            return true
        }
        return Links(links: links.withLock { $0 }, skipped: listing.skipped, description: listing.description,
                     apiRequests: listing.apiRequests, rateLimit: listing.rateLimit, seconds: listing.seconds)
    }

    /// Reads the links, handing each to `emit` as it is found; `emit` returning false ends
    /// the listing once what was read already is handed over. A fetch streams its downloads from here: they start with the first page,
    /// and the links of a long listing are never all in memory.
    /// - Throws: `PipelineError` when the source can't be read at all.
    package func list(emit: (ImageLink) async -> Bool) async throws(PipelineError) -> Listing {
        let start = ContinuousClock.now
        switch self {
        case .api(let base, let clientID, let sources, let limit, let extractor, let politeness):
            let client = ImgurClient(base: base, clientID: clientID,
                                     http: HTTPClients.client(connectTimeout: 10, readTimeout: 30, connections: politeness.connections))
            var collector = LinkCollector(client: client, extractor: extractor)
            collector.keepCredits = politeness.keepCredits
            let names = sources.count <= 3 ? sources.map(\.description).joined(separator: ", ") : "\(sources.count) sources"
            var listing = Listing(description: "\(names) at \(base)")
            var seen = LinkCollector.Seen()
            var emitted = 0
            var open = true
            var creditStop = false
            for source in sources {
                guard open, emitted < limit, !creditStop else {
                    listing.skipped.append(SkippedItem(item: "\(source)", cause: creditStop ? .creditBudget : .overLimit,
                                                       reason: creditStop ? "not listed: API credits kept (--keep-credits)"
                                                           : open ? "not listed: --limit \(limit) links were reached" : "not listed: the run stopped"))
                    continue
                }
                var found = LinkCollector.Collection()
                found.rateLimit = listing.rateLimit
                defer {
                    listing.skipped += found.skipped
                    listing.apiRequests += found.requests
                    listing.rateLimit = found.rateLimit ?? listing.rateLimit
                    creditStop = creditStop || found.stoppedForCredits
                }
                do throws(ImgurError) {
                    try await collector.collect(source, limit: limit, seen: &seen, emitted: &emitted, into: &found) { link in
                        let more = await emit(link)
                        if !more { open = false }
                        return more
                    }
                } catch {
                    let code: PipelineError.Code = error.code == .unauthorized || error.code == .badRequest ? .configuration : .source
                    // One source of several that can't be read is said and the others go on;
                    // a run of one source fails with it.
                    guard sources.count > 1, code == .source else { throw PipelineError(code, "cannot list \(source): \(error)") }
                    let after = found.pages > 0 ? " after \(found.pages) page\(found.pages == 1 ? "" : "s")" : ""
                    found.skipped.append(SkippedItem(item: "\(source)", cause: .sourceUnavailable, reason: "cannot list it\(after): \(error.description)"))
                }
            }
            listing.seconds = (ContinuousClock.now - start).seconds
            return listing
        case .file(let path, let limit):
            guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
                throw PipelineError(.configuration, "cannot read the links file \(path)")
            }
            var listing = Listing(description: (path as NSString).lastPathComponent)
            // Lines seen, by hash: 8 bytes a line.
            var seen = HashSeen()
            var emitted = 0
            for (number, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                let line = rawLine.trimmingCharacters(in: .whitespacesAndNewlines)
                if line.isEmpty || line.hasPrefix("#") { continue }
                let source = "\(listing.description) line \(number + 1)"
                guard seen.insert(line) else {
                    listing.skipped.append(SkippedItem(item: source, cause: .duplicate, reason: "duplicate of a link already listed"))
                    continue
                }
                if let limit, emitted >= limit {
                    listing.skipped.append(SkippedItem(item: source, cause: .overLimit, reason: "listed after --limit \(limit) links"))
                    continue
                }
                emitted += 1
                // The file is read already: every line gets its item, even once `emit` says stop.
                _ = await emit(ImageLink(id: nil, url: line, type: nil, source: source))
            }
            listing.seconds = (ContinuousClock.now - start).seconds
            return listing
        }
    }
}

/// How hard Skein leans on the API: connections to its host (`--api-connections`; media
/// downloads have their own, `--workers`), and the credits it leaves unused
/// (`--keep-credits`).
package struct APIPoliteness: Sendable, Hashable {
    package var connections: Int
    package var keepCredits: Int?

    package init(connections: Int = 2, keepCredits: Int? = nil) {
        self.connections = max(1, connections)
        self.keepCredits = keepCredits
    }
}

extension LinkSource.Links {
    /// What the listing said besides its links.
    var listing: LinkSource.Listing {
        LinkSource.Listing(skipped: skipped, description: description, apiRequests: apiRequests, rateLimit: rateLimit, seconds: seconds)
    }
}
