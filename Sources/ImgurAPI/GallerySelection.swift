/// Which Imgur listing to read links from.
package enum GallerySelection: Sendable, Hashable, CustomStringConvertible {
    /// `GET /3/gallery/{section}/{sort}/{window}/{page}`.
    case gallery(section: String, sort: String, window: String)
    /// The classic tutorial's `GET /3/gallery/random/random/{page}` (deprecated by Imgur).
    case random
    /// `GET /3/album/{id}/images`.
    case album(id: String)

    package static let sections: Set<String> = ["hot", "top", "user"]
    package static let sorts: Set<String> = ["viral", "top", "time", "rising"]
    package static let windows: Set<String> = ["day", "week", "month", "year", "all"]

    /// Parses `SECTION/SORT/WINDOW` (window optional, default `day`) or `random`.
    /// - Throws: `ImgurError` (`.badRequest`) naming what is wrong.
    package static func parse(_ text: String) throws(ImgurError) -> GallerySelection {
        if text == "random" || text == "random/random" { return .random }
        let parts = text.split(separator: "/").map(String.init)
        guard (2...3).contains(parts.count) else {
            throw ImgurError(.badRequest, request: text, "expected SECTION/SORT/WINDOW (like hot/viral/day) or random")
        }
        let window = parts.count == 3 ? parts[2] : "day"
        guard sections.contains(parts[0]) else {
            throw ImgurError(.badRequest, request: text, "unknown section \"\(parts[0])\" (hot, top or user)")
        }
        guard sorts.contains(parts[1]) else {
            throw ImgurError(.badRequest, request: text, "unknown sort \"\(parts[1])\" (viral, top, time or rising)")
        }
        guard windows.contains(window) else {
            throw ImgurError(.badRequest, request: text, "unknown window \"\(window)\" (day, week, month, year or all)")
        }
        return .gallery(section: parts[0], sort: parts[1], window: window)
    }

    /// The API path of one page (albums have a single page).
    package func path(page: Int) -> String {
        switch self {
        case .gallery(let section, let sort, let window): "/3/gallery/\(section)/\(sort)/\(window)/\(page)"
        case .random: "/3/gallery/random/random/\(page)"
        case .album(let id): "/3/album/\(id)/images"
        }
    }

    package var description: String {
        switch self {
        case .gallery(let section, let sort, let window): "gallery \(section)/\(sort)/\(window)"
        case .random: "gallery random"
        case .album(let id): "album \(id)"
        }
    }
}
