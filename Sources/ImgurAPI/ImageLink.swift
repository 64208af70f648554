/// One image to download, as the API listed it.
public struct ImageLink: Sendable, Hashable, Codable {
    /// Imgur's id for the image, when known.
    public var id: String?
    public var url: String
    /// The MIME type the API claimed (the download checks the bytes anyway).
    public var type: String?
    /// Where it was found: `gallery hot/viral/day page 0`, `album abc12`, `links.txt line 3`.
    public var source: String

    public init(id: String?, url: String, type: String?, source: String) {
        self.id = id
        self.url = url
        self.type = type
        self.source = source
    }
}

/// An item that yielded no link, and why.
public struct SkippedItem: Sendable, Hashable, Codable {
    public var item: String
    public var reason: String

    public init(item: String, reason: String) {
        self.item = item
        self.reason = reason
    }
}
