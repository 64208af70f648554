import Basics
import Foundation

/// The page URLs people paste, turned into what to ask the API for, the way gallery-dl reads
/// them: `imgur.com/a/{id}`, `/gallery/{slug-}{id}`, `/{id}`, `i.imgur.com/{id}.{ext}`,
/// `/t/{tag}`, `/r/{subreddit}`, `/user/{name}[/posts|/favorites]`, `/search?q=…`, on
/// `imgur.com`, `imgur.io`, their `www.` and `m.` forms. Anything else is refused, naming the
/// URL. Every name that goes into an API path is letters, digits, `_` and `-` only, so no URL
/// can reach another endpoint.
package enum ImgurURL {
    /// Order and filter for the listings that take one (`--sort`, `--window`, `--search-type`);
    /// nil takes the URL's own (a search URL may carry them) or the default.
    package struct Order: Sendable, Hashable {
        package var sort: String?
        package var window: String?
        package var searchType: String?

        package init(sort: String? = nil, window: String? = nil, searchType: String? = nil) {
            self.sort = sort
            self.window = window
            self.searchType = searchType
        }
    }

    /// Listings of everything under a URL: newest first, from all time.
    package static let defaultSort = "time"
    package static let defaultWindow = "all"

    static let pageHosts: Set<String> = ["imgur.com", "www.imgur.com", "m.imgur.com", "imgur.io", "www.imgur.io", "m.imgur.io"]
    static let mediaHosts: Set<String> = ["i.imgur.com", "i.imgur.io"]
    /// Single-segment paths of Imgur's own pages, which are not image ids.
    static let pageNames: Set<String> = ["upload", "signin", "register", "search", "gallery", "emerald", "privacy", "tos",
                                         "apps", "about", "blog", "vidgif", "memegen", "hot", "new", "top", "user", "t", "r", "a",
                                         "random", "rules", "removalrequest", "contact", "jobs", "store", "press", "help", "ccpa",
                                         "terms", "account", "settings", "notifications", "messages"]

    /// The source `text` names.
    /// - Throws: `ImgurError` (`.badRequest`, its request the URL) saying what is wrong.
    package static func parse(_ text: String, order: Order = Order()) throws(ImgurError) -> ImgurSource {
        let url = text.trimmingCharacters(in: .whitespacesAndNewlines)
        func refuse(_ why: String) -> ImgurError {
            ImgurError(.badRequest, request: String(url.prefix(120)), why)
        }
        guard !url.isEmpty else { throw refuse("an empty URL") }
        guard url.utf8.count <= 2048 else { throw refuse("a URL longer than 2048 bytes") }
        var rest = Substring(url)
        // A scheme is letters (then letters, digits, + . -) before the first "://"; a "://"
        // later on (`?ref=https://…`) is not one.
        if let schemeEnd = rest.range(of: "://"), let first = rest.first, first.isASCII, first.isLetter,
           rest[..<schemeEnd.lowerBound].allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "+.-".contains($0)) }) {
            let scheme = rest[..<schemeEnd.lowerBound].lowercased()
            guard scheme == "http" || scheme == "https" else { throw refuse("not an http or https URL (\(scheme.prefix(20)):)") }
            rest = rest[schemeEnd.upperBound...]
        } else if rest.lowercased().hasPrefix("javascript:") || rest.lowercased().hasPrefix("data:") || rest.lowercased().hasPrefix("file:") {
            throw refuse("not an http or https URL")
        }
        if let hash = rest.firstIndex(of: "#") { rest = rest[..<hash] }
        var query = Substring("")
        if let mark = rest.firstIndex(of: "?") {
            query = rest[rest.index(after: mark)...]
            rest = rest[..<mark]
        }
        let authority = rest.prefix { $0 != "/" }
        // `imgur.com:443`, `imgur.com.`: the same host.
        var host = authority.lowercased()
        for port in [":443", ":80"] where host.hasSuffix(port) { host.removeLast(port.count) }
        if host.hasSuffix(".") { host.removeLast() }
        let segments = rest.dropFirst(authority.count).split(separator: "/").map(String.init)

        if mediaHosts.contains(host) {
            guard segments.count == 1, let id = mediaID(segments[0], sizeLetter: true) else {
                throw refuse("not an image link of \(host) (expected \(host)/ID.EXT)")
            }
            return .image(id: id)
        }
        guard pageHosts.contains(host) else {
            throw refuse(host.isEmpty ? "no host in the URL" : "not an Imgur URL (host \(host.prefix(60)))")
        }
        let sort = order.sort ?? defaultSort, window = order.window ?? defaultWindow
        switch (segments.first ?? "", segments.count) {
        case ("", _):
            throw refuse("no album, post, tag, user or search in the URL")
        case ("a", 2):
            return .album(id: try slugID(segments[1], refuse))
        case ("gallery", 2):
            return .post(id: try slugID(segments[1], refuse))
        case ("t", 2):
            return .tag(try name(segments[1], "tag", refuse), sort: sort, window: window)
        case ("t", 3):
            _ = try name(segments[1], "tag", refuse)
            return .post(id: try shortID(segments[2], refuse))
        case ("r", 2):
            return .subreddit(try name(segments[1], "subreddit", refuse), sort: sort, window: window)
        case ("r", 3):
            _ = try name(segments[1], "subreddit", refuse)
            return .image(id: try shortID(segments[2], refuse))
        case ("user", 2):
            return .user(try name(segments[1], "user name", refuse))
        case ("user", 3) where ["posts", "submitted"].contains(segments[2]):
            return .user(try name(segments[1], "user name", refuse))
        case ("user", 3) where segments[2] == "favorites":
            return .favorites(try name(segments[1], "user name", refuse))
        case ("search", 1...3):
            guard let q = queryValue("q", in: query)?.trimmingCharacters(in: .whitespacesAndNewlines), !q.isEmpty else {
                throw refuse("a search URL without a query (?q=…)")
            }
            // The site's own order words, as the API's (`/search/score/all?q=…`).
            let siteSorts = ["score": "top", "relevance": "viral", "time": "time", "top": "top", "viral": "viral", "rising": "rising"]
            let urlSort = segments.count >= 2 ? siteSorts[segments[1].lowercased()] : nil
            let urlWindow = segments.count == 3 && ImgurSource.windows.contains(segments[2]) ? segments[2] : nil
            return try search(q, order: Order(sort: order.sort ?? urlSort, window: order.window ?? urlWindow,
                                              searchType: order.searchType ?? queryValue("q_type", in: query)), request: url)
        case (let first, 1) where !pageNames.contains(first.lowercased()):
            guard let id = mediaID(first, sizeLetter: false) else { throw refuse("\"\(first.prefix(40))\" is not an Imgur id (5 or 7 letters and digits)") }
            return .image(id: id)
        default:
            throw refuse("not a page Skein can list (albums /a/ID, posts /gallery/ID, images /ID, tags /t/TAG, "
                         + "subreddits /r/NAME, users /user/NAME, favorites /user/NAME/favorites, /search?q=…)")
        }
    }

    /// A search, from `--search Q` or a search URL.
    /// - Throws: `ImgurError` (`.badRequest`) for an empty query or an unknown sort, window or type.
    package static func search(_ query: String, order: Order, request: String = "--search") throws(ImgurError) -> ImgurSource {
        let q = query.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !q.isEmpty else { throw ImgurError(.badRequest, request: request, "an empty search") }
        guard q.utf8.count <= 256 else { throw ImgurError(.badRequest, request: request, "a search longer than 256 bytes") }
        let sort = order.sort ?? defaultSort, window = order.window ?? defaultWindow
        try ImgurSource.checkSort(sort, window: window, request: request)
        if let type = order.searchType, !ImgurSource.searchTypes.contains(type) {
            throw ImgurError(.badRequest, request: request, "unknown search type \"\(type.prefix(20))\" (jpg, png, gif, anigif or album)")
        }
        return .search(q, sort: sort, window: window, type: order.searchType)
    }

    /// `AbC123`, or the id at the end of a slug (`some-words-AbC123`).
    private static func slugID(_ segment: String, _ refuse: (String) -> ImgurError) throws(ImgurError) -> String {
        let id = segment.split(separator: "-").last.map(String.init) ?? ""
        guard LinkExtractor.isPlainID(id) else { throw refuse("\"\(segment.prefix(60))\" holds no Imgur id (letters and digits)") }
        return id
    }

    /// An id alone in a path: 5 or 7 letters and digits, as Imgur's are (so `/random` or
    /// `/t/cats/top` are not taken for one).
    private static func shortID(_ segment: String, _ refuse: (String) -> ImgurError) throws(ImgurError) -> String {
        let id = segment.split(separator: "-").last.map(String.init) ?? ""
        guard LinkExtractor.isPlainID(id), id.count == 5 || id.count == 7 else {
            throw refuse("\"\(segment.prefix(60))\" is not an Imgur id (5 or 7 letters and digits)")
        }
        return id
    }

    /// `ID.ext` or `ID` → `ID`: 5 or 7 letters and digits; a thumbnail's size letter after it
    /// is dropped (`AbC1234h.jpg` is a preview of `AbC1234`), and so is the site's `_d`
    /// (`AbC1234_d.webp?maxwidth=760`).
    private static func mediaID(_ segment: String, sizeLetter: Bool) -> String? {
        var stem = Substring(segment)
        if let dot = stem.lastIndex(of: ".") { stem = stem[..<dot] }
        if stem.hasSuffix("_d") { stem = stem.dropLast(2) }
        if sizeLetter, stem.count == 8 || stem.count == 6, let last = stem.last, "sbtmlh".contains(last) { stem = stem.dropLast() }
        let id = String(stem)
        return LinkExtractor.isPlainID(id) && (id.count == 5 || id.count == 7) ? id : nil
    }

    /// A tag, subreddit or user name: letters, digits, `_` and `-`, 1 to 64 of them.
    private static func name(_ segment: String, _ what: String, _ refuse: (String) -> ImgurError) throws(ImgurError) -> String {
        let ok = !segment.isEmpty && segment.utf8.count <= 64 && segment.utf8.allSatisfy { byte in
            (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
                || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-")
        }
        guard ok else { throw refuse("\"\(segment.prefix(60))\" is not a \(what) (letters, digits, _ and -)") }
        return segment
    }

    /// The first value of `key` in a query string, with `+` and percent escapes decoded.
    static func queryValue(_ key: String, in query: Substring) -> String? {
        for pair in query.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard parts.first == Substring(key) else { continue }
            let raw = parts.count == 2 ? parts[1] : ""
            return String(decoding: PercentEncoding.decoded(Substring(raw.replacingPlus())), as: UTF8.self)
        }
        return nil
    }
}

private extension StringProtocol {
    func replacingPlus() -> String { String(map { $0 == "+" ? " " : $0 }) }
}
