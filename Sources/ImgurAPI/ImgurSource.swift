/// One thing to list through the Imgur API: a gallery, an album, a post, an image, a tag, a
/// subreddit, a user's posts or favorites, a search. `ImgurURL` makes these from the page URLs
/// people paste; each knows its API path and the shape of its answer.
package enum ImgurSource: Sendable, Hashable, CustomStringConvertible {
    /// `GET /3/gallery/{section}/{sort}/{window}/{page}`.
    case gallery(section: String, sort: String, window: String)
    /// The classic tutorial's `GET /3/gallery/random/random/{page}` (deprecated by Imgur).
    case random
    /// `GET /3/album/{id}` (and `/3/album/{id}/images` when the album comes without them).
    case album(id: String)
    /// `GET /3/gallery/{id}`: a gallery post, an album or a single image.
    case post(id: String)
    /// `GET /3/image/{id}`.
    case image(id: String)
    /// `GET /3/gallery/t/{tag}/{sort}/{window}/{page}`: the posts are under `data.items`.
    case tag(String, sort: String, window: String)
    /// `GET /3/gallery/r/{subreddit}/{sort}/{window}/{page}`.
    case subreddit(String, sort: String, window: String)
    /// `GET /3/account/{name}/submissions/{page}`: images and albums mixed.
    case user(String)
    /// `GET /3/account/{name}/gallery_favorites/{page}`.
    case favorites(String)
    /// `GET /3/gallery/search/{sort}/{window}/{page}?q=…[&q_type=…]`.
    case search(String, sort: String, window: String, type: String?)

    package static let sections: Set<String> = ["hot", "top", "user"]
    package static let sorts: Set<String> = ["viral", "top", "time", "rising"]
    package static let windows: Set<String> = ["day", "week", "month", "year", "all"]
    /// `--search-type`: Imgur's `q_type`.
    package static let searchTypes: Set<String> = ["jpg", "png", "gif", "anigif", "album"]

    /// How an endpoint answers.
    package enum Shape: Sendable {
        /// `data` is an array of items, page by page.
        case pages
        /// `data` is an object whose `items` are the page's posts (tags).
        case taggedPages
        /// `data` is one item: an image, or an album (with or without its images).
        case single
    }

    package var shape: Shape {
        switch self {
        case .album, .post, .image: .single
        case .tag: .taggedPages
        case .gallery, .random, .subreddit, .user, .favorites, .search: .pages
        }
    }

    /// Parses `SECTION/SORT/WINDOW` (window optional, default `day`) or `random`.
    /// - Throws: `ImgurError` (`.badRequest`) naming what is wrong.
    package static func parseGallery(_ text: String) throws(ImgurError) -> ImgurSource {
        if text == "random" || text == "random/random" { return .random }
        let parts = text.split(separator: "/").map(String.init)
        guard (2...3).contains(parts.count) else {
            throw ImgurError(.badRequest, request: text, "expected SECTION/SORT/WINDOW (like hot/viral/day) or random")
        }
        let window = parts.count == 3 ? parts[2] : "day"
        guard sections.contains(parts[0]) else {
            throw ImgurError(.badRequest, request: text, "unknown section \"\(parts[0].prefix(40))\" (hot, top or user)")
        }
        try checkSort(parts[1], window: window, request: text)
        return .gallery(section: parts[0], sort: parts[1], window: window)
    }

    /// - Throws: `ImgurError` (`.badRequest`) when `sort` or `window` is not one Imgur knows.
    package static func checkSort(_ sort: String, window: String, request: String) throws(ImgurError) {
        guard sorts.contains(sort) else {
            throw ImgurError(.badRequest, request: request, "unknown sort \"\(sort.prefix(40))\" (viral, top, time or rising)")
        }
        guard windows.contains(window) else {
            throw ImgurError(.badRequest, request: request, "unknown window \"\(window.prefix(40))\" (day, week, month, year or all)")
        }
    }

    /// The API path of one page (the `single` shapes have one page, whatever `page` says).
    /// Every name in it was checked by `ImgurURL` (letters, digits, `_` and `-`); the search
    /// query is percent-encoded.
    package func path(page: Int) -> String {
        switch self {
        case .gallery(let section, let sort, let window): "/3/gallery/\(section)/\(sort)/\(window)/\(page)"
        case .random: "/3/gallery/random/random/\(page)"
        case .album(let id): "/3/album/\(id)"
        case .post(let id): "/3/gallery/\(id)"
        case .image(let id): "/3/image/\(id)"
        case .tag(let tag, let sort, let window): "/3/gallery/t/\(tag)/\(sort)/\(window)/\(page)"
        case .subreddit(let name, let sort, let window): "/3/gallery/r/\(name)/\(sort)/\(window)/\(page)"
        case .user(let name): "/3/account/\(name)/submissions/\(page)"
        case .favorites(let name): "/3/account/\(name)/gallery_favorites/\(page)"
        case .search(let query, let sort, let window, let type):
            "/3/gallery/search/\(sort)/\(window)/\(page)?q=\(Self.queryEncoded(query))" + (type.map { "&q_type=\($0)" } ?? "")
        }
    }

    /// The path of an album's images, for albums a listing gives without them.
    package static func albumImagesPath(_ id: String) -> String { "/3/album/\(id)/images" }

    package var description: String {
        switch self {
        case .gallery(let section, let sort, let window): "gallery \(section)/\(sort)/\(window)"
        case .random: "gallery random"
        case .album(let id): "album \(id)"
        case .post(let id): "post \(id)"
        case .image(let id): "image \(id)"
        case .tag(let tag, _, _): "tag \(tag)"
        case .subreddit(let name, _, _): "r/\(name)"
        case .user(let name): "user \(name)"
        case .favorites(let name): "favorites of \(name)"
        case .search(let query, _, _, let type): "search \"\(query.prefix(60))\"" + (type.map { " (\($0))" } ?? "")
        }
    }

    /// Percent-encodes everything but RFC 3986's unreserved characters.
    static func queryEncoded(_ text: String) -> String {
        var out = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                out += "%" + String(byte, radix: 16, uppercase: true).leftPadded(to: 2)
            }
        }
        return out
    }
}

private extension String {
    func leftPadded(to width: Int) -> String { count >= width ? self : String(repeating: "0", count: width - count) + self }
}
