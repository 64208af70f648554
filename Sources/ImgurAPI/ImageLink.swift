/// One image to download, as the API listed it.
package struct ImageLink: Sendable, Hashable, Codable {
    /// Imgur's id for the image, when known.
    package var id: String?
    package var url: String
    /// The MIME type the API claimed (the download checks the bytes anyway).
    package var type: String?
    /// `jpeg`, `png`, `gif`, `mp4`, from the type the API claimed.
    package var kind: String? {
        guard let type else { return nil }
        if type == "video/mp4" { return "mp4" }
        return type.hasPrefix("image/") ? String(type.dropFirst(6)) : nil
    }
    /// Where it was found: `gallery hot/viral/day page 0`, `album abc12`, `links.txt line 3`.
    package var source: String
    /// What the API said of it (nil for a links file's lines).
    package var metadata: ItemMetadata? = nil

    package init(id: String?, url: String, type: String?, source: String) {
        self.id = id
        self.url = url
        self.type = type
        self.source = source
    }
}

/// An item that yielded no link, and why: a cause to group by and a line for people.
package struct SkippedItem: Sendable, Hashable, Codable {
    /// Why an item gives no file, as a kebab-case code.
    package struct Cause: RawRepresentable, Hashable, Sendable, Codable, Comparable, CustomStringConvertible {
        package let rawValue: String
        package init(rawValue: String) { self.rawValue = rawValue }
        /// Its link is missing, null or not a string.
        package static let noLink = Cause(rawValue: "no-link")
        /// Its link is not http or https (`file:`, `javascript:`, `ftp:`, `data:`…).
        package static let refusedScheme = Cause(rawValue: "refused-scheme")
        /// Its link is http(s) but has no host (`http:.com/x.jpg`).
        package static let badLink = Cause(rawValue: "bad-link")
        /// Neither its type nor its link says what it is.
        package static let unknownType = Cause(rawValue: "unknown-type")
        /// A type `--types` leaves out.
        package static let typeNotWanted = Cause(rawValue: "type-not-wanted")
        /// An album, with `--albums skip`.
        package static let albumSkipped = Cause(rawValue: "album-skipped")
        /// An album whose id can't be put in a request path.
        package static let badAlbumID = Cause(rawValue: "bad-album-id")
        /// An album whose images could not be listed.
        package static let albumUnavailable = Cause(rawValue: "album-unavailable")
        /// The same link was listed already.
        package static let duplicate = Cause(rawValue: "duplicate")
        /// Listed after `--limit` links were found.
        package static let overLimit = Cause(rawValue: "over-limit")
        /// Left out by `--nsfw`.
        package static let filteredNSFW = Cause(rawValue: "filtered-nsfw")
        /// Posted outside `--since`/`--until`.
        package static let filteredDate = Cause(rawValue: "filtered-date")
        /// Smaller than `--min-width`/`--min-height`.
        package static let filteredSize = Cause(rawValue: "filtered-size")
        /// An album with no image in it.
        package static let emptyAlbum = Cause(rawValue: "empty-album")
        /// A listing that was cut: too many pages, or pages that repeat themselves.
        package static let listingCut = Cause(rawValue: "listing-cut")
        /// Listing stopped to keep API credits (`--keep-credits`).
        package static let creditBudget = Cause(rawValue: "credit-budget")
        /// One source of several could not be listed (the others were).
        package static let sourceUnavailable = Cause(rawValue: "source-unavailable")
        /// Downloaded before by a run that used the same archive (`--archive`).
        package static let archived = Cause(rawValue: "in-archive")
        /// The listing held something that isn't an item.
        package static let malformed = Cause(rawValue: "malformed-item")

        package var description: String { rawValue }
        package static func < (a: Cause, b: Cause) -> Bool { a.rawValue < b.rawValue }
    }

    package var item: String
    package var cause: Cause
    package var reason: String

    package init(item: String, cause: Cause, reason: String) {
        self.item = item
        self.cause = cause
        self.reason = reason
    }
}
