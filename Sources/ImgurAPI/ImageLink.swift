/// One image to download, as the API listed it.
package struct ImageLink: Sendable, Hashable, Codable {
    /// Imgur's id for the image, when known.
    package var id: String?
    package var url: String
    /// The MIME type the API claimed (the download checks the bytes anyway).
    package var type: String?
    /// Where it was found: `gallery hot/viral/day page 0`, `album abc12`, `links.txt line 3`.
    package var source: String

    package init(id: String?, url: String, type: String?, source: String) {
        self.id = id
        self.url = url
        self.type = type
        self.source = source
    }
}

/// An item that yielded no link, and why.
package struct SkippedItem: Sendable, Hashable, Codable {
    package var item: String
    package var reason: String

    package init(item: String, reason: String) {
        self.item = item
        self.reason = reason
    }
}
