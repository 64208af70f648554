import ArgumentParser
import Foundation
import ImgurAPI
import Pipeline

/// Where links come from: page URLs, a search, an album or a gallery through the API, or a
/// file of links.
struct SourceOptions: ParsableArguments {
    @Argument(help: ArgumentHelp("Imgur page URLs: imgur.com/a/ID, /gallery/ID, /ID, i.imgur.com/ID.EXT, /t/TAG, /r/SUBREDDIT, /user/NAME[/favorites], /search?q=…",
                                 valueName: "url"))
    var urls: [String] = []

    @Option(help: "Base URL of the Imgur-compatible API.")
    var apiBase = "https://api.imgur.com"

    @Option(help: "Read the Client-ID from the first line of this file (else IMGUR_CLIENT_ID).")
    var clientIDFile: String?

    @Option(help: "Gallery to list when no URL, --search, --album or --links is given: SECTION/SORT/WINDOW (hot|top|user, viral|top|time|rising, day|week|month|year|all) or random.")
    var gallery = "hot/viral/day"

    @Option(help: "Stop listing after this many links in all (default: every link of the URLs and searches; 60 of a --gallery).")
    var limit: Int?

    @Option(help: "Fetch the images of this album (an id).")
    var album: String?

    @Option(help: "Search Imgur's gallery for this text.")
    var search: String?

    @Option(help: "With a search: only jpg, png, gif, anigif or album results (Imgur's q_type).")
    var searchType: String?

    @Option(help: "Order of tag, subreddit and search listings: viral, top, time or rising (default time).")
    var sort: String?

    @Option(help: "Time window of tag, subreddit and search listings: day, week, month, year or all (default all).")
    var window: String?

    @Option(help: "Fetch the URLs listed in this file (one a line) instead of asking the API.")
    var links: String?

    @Option(help: "Kinds to keep, comma separated (jpeg, png, gif, mp4).")
    var types = "jpeg,png,gif,mp4"

    @Option(help: "Animated items: mp4 (their video, the default) or gif (the whole GIF, never Imgur's preview).")
    var animated = "mp4"

    @Option(help: "Albums in a listing: expand (take their images) or skip.")
    var albums = "expand"

    @Flag(help: "Print what would be downloaded, one JSON line each (id, url, kind, source), and download nothing.")
    var printLinks = false

    @Option(help: "Items marked nsfw: include, skip or only.")
    var nsfw = "include"

    @Option(help: "Only items posted on or after this date (YYYY-MM-DD, UTC, or ISO 8601).")
    var since: String?

    @Option(help: "Only items posted before this date (YYYY-MM-DD, UTC, or ISO 8601).")
    var until: String?

    @Option(help: "Only images at least this many pixels wide.")
    var minWidth: Int?

    @Option(help: "Only images at least this many pixels high.")
    var minHeight: Int?

    @Option(help: "Connections to the API's host (media downloads have their own, --workers).")
    var apiConnections = 2

    @Option(help: "API credits to leave unused: listing stops, saying how to resume, before X-RateLimit-ClientRemaining or UserRemaining would go under this.")
    var keepCredits = 100

    func validate() throws {
        try Validate.httpURL(apiBase, "--api-base")
        try Validate.range(limit, "--limit", 1...10_000_000)
        try Validate.path(clientIDFile, "--client-id-file")
        try Validate.path(links, "--links")
        if let album, !LinkExtractor.isPlainID(album) {
            throw ValidationError("--album takes an Imgur album id (letters and digits), not \"\(album.prefix(60))\"")
        }
        if links != nil, album != nil || search != nil || !urls.isEmpty {
            throw ValidationError("--links can't be used with URLs, --search or --album")
        }
        if links != nil, nsfw != "include" || since != nil || until != nil || minWidth != nil || minHeight != nil {
            throw ValidationError("--nsfw, --since, --until, --min-width and --min-height filter on what the API says of an item; a --links file says nothing")
        }
        if searchType != nil, search == nil, !urls.contains(where: { $0.contains("/search") }) {
            throw ValidationError("--search-type needs --search or a search URL")
        }
        _ = try typeSet()
        guard LinkExtractor.AlbumPolicy(rawValue: albums) != nil else { throw ValidationError("--albums must be expand or skip") }
        guard LinkExtractor.AnimatedPolicy(rawValue: animated) != nil else {
            throw ValidationError("--animated must be mp4 or gif, not \"\(animated.prefix(40))\"")
        }
        _ = try sources()
        _ = try filters()
        try Validate.range(apiConnections, "--api-connections", 1...64)
        try Validate.range(keepCredits, "--keep-credits", 0...1_000_000)
        try Validate.range(minWidth, "--min-width", 1...1_000_000)
        try Validate.range(minHeight, "--min-height", 1...1_000_000)
    }

    /// `--nsfw`, `--since`, `--until`, `--min-width`, `--min-height`.
    func filters() throws -> ItemFilters {
        guard let nsfw = ItemFilters.NSFW(rawValue: nsfw) else {
            throw ValidationError("--nsfw must be include, skip or only, not \"\(self.nsfw.prefix(40))\"")
        }
        func date(_ text: String?, _ option: String) throws -> Int? {
            guard let text else { return nil }
            guard let value = ItemFilters.parseDate(text) else {
                throw ValidationError("\(option) takes a date like 2024-05-01 or 2024-05-01T12:00:00Z, not \"\(text.prefix(40))\"")
            }
            return value
        }
        let filters = ItemFilters(nsfw: nsfw, since: try date(since, "--since"), until: try date(until, "--until"),
                                  minWidth: minWidth, minHeight: minHeight)
        if let since = filters.since, let until = filters.until, since >= until {
            throw ValidationError("--since must be before --until")
        }
        return filters
    }

    func typeSet() throws -> Set<String> {
        let wanted = Set(types.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
            .map { $0 == "jpg" ? "jpeg" : $0 })
        guard !wanted.isEmpty, wanted.isSubset(of: LinkExtractor.allKinds) else {
            throw ValidationError("--types takes a comma-separated list of jpeg, png, gif and mp4")
        }
        return wanted
    }

    /// What to list through the API, in the order given: the URLs, then the search, then the
    /// album; the gallery when none of them is given.
    /// - Throws: `ValidationError` naming the URL or option that can't be listed.
    func sources() throws -> [ImgurSource] {
        let order = ImgurURL.Order(sort: sort, window: window, searchType: searchType)
        do throws(ImgurError) {
            if let sort { try ImgurSource.checkSort(sort, window: ImgurURL.defaultWindow, request: "--sort") }
            if let window { try ImgurSource.checkSort(ImgurURL.defaultSort, window: window, request: "--window") }
            var sources: [ImgurSource] = []
            for url in urls { sources.append(try ImgurURL.parse(url, order: order)) }
            if let search { sources.append(try ImgurURL.search(search, order: order)) }
            if let album { sources.append(.album(id: album)) }
            if sources.isEmpty { sources.append(try ImgurSource.parseGallery(gallery)) }
            return sources
        } catch {
            throw ValidationError(error.request.hasPrefix("--") ? "\(error.request): \(error.message)" : "\(error.request): \(error.message)")
        }
    }

    /// The source these options name; its links are listed as the run goes.
    func linkSource(defaultClientID: ClientID? = nil) throws -> LinkSource {
        if let links { return .file(path: links, limit: limit) }
        let clientID: ClientID?
        do { clientID = try ClientID.resolve(file: clientIDFile) ?? defaultClientID } catch {
            throw Report.fail(PipelineError(.configuration, error.message))
        }
        guard let clientID else {
            throw Report.fail(PipelineError(.configuration, "no Client-ID: set IMGUR_CLIENT_ID or pass --client-id-file (the API refuses requests without one)"))
        }
        let sources = try sources()
        let listsGallery = sources.count == 1 && { if case .gallery = sources[0] { true } else if case .random = sources[0] { true } else { false } }()
        return .api(base: apiBase, clientID: clientID, sources: sources,
                    limit: limit ?? (listsGallery ? 60 : 10_000_000),
                    extractor: LinkExtractor(types: try typeSet(), albums: LinkExtractor.AlbumPolicy(rawValue: albums) ?? .expand,
                                             animated: LinkExtractor.AnimatedPolicy(rawValue: animated) ?? .mp4, filters: try filters()),
                    api: APIPoliteness(connections: apiConnections, keepCredits: keepCredits))
    }
}

/// `--print-links`: the listing alone, one JSON line per link on stdout (what a fetch would
/// download), what was skipped and a count on stderr. Nothing is downloaded.
enum PrintLinks {
    /// Every key on every line (`null` when unknown: a links file's lines have no id).
    struct Line: Encodable {
        var id: String?
        var url: String
        var kind: String?
        var source: String

        enum CodingKeys: String, CodingKey { case id, url, kind, source }

        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(id, forKey: .id)
            try c.encode(url, forKey: .url)
            try c.encode(kind, forKey: .kind)
            try c.encode(source, forKey: .source)
        }
    }

    static func run(_ source: LinkSource) async throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var count = 0
        let listing: LinkSource.Listing
        do throws(PipelineError) {
            listing = try await source.list { link in
                count += 1
                if let data = try? encoder.encode(Line(id: link.id, url: link.url, kind: link.kind, source: link.source)) {
                    Console.out(String(decoding: data, as: UTF8.self))
                }
                return true
            }
        } catch {
            throw Report.fail(error)
        }
        for line in Summary.skippedLines(skipped: listing.skipped) { Console.error(line) }
        Console.error("Listed \(count) link\(count == 1 ? "" : "s") from \(listing.description) with \(listing.apiRequests) API request\(listing.apiRequests == 1 ? "" : "s"); nothing downloaded (--print-links)")
    }
}
