/// What the API said of an item, kept beside its file (`--write-metadata`), put in its name
/// (`--name`) and filtered on (`--nsfw`, `--since`, `--min-width`…). An album's images carry
/// the album's id and title, and take its account, tags, nsfw flag and date when they have
/// none of their own.
package struct ItemMetadata: Sendable, Hashable, Codable {
    package var id: String?
    package var title: String?
    package var description: String?
    /// Seconds since 1970 it was posted.
    package var datetime: Int?
    package var account: String?
    package var albumID: String?
    package var albumTitle: String?
    package var tags: [String] = []
    package var nsfw: Bool?
    package var width: Int?
    package var height: Int?
    /// Bytes of the image (of the GIF, for an animated item).
    package var size: Int?
    package var animated = false
    package var mp4: String?
    package var views: Int?
    /// 1-based position in its album, else in the listing.
    package var index: Int?

    package init(id: String? = nil, title: String? = nil, description: String? = nil, datetime: Int? = nil, account: String? = nil,
                 albumID: String? = nil, albumTitle: String? = nil, tags: [String] = [], nsfw: Bool? = nil, width: Int? = nil,
                 height: Int? = nil, size: Int? = nil, animated: Bool = false, mp4: String? = nil, views: Int? = nil, index: Int? = nil) {
        self.id = id
        self.title = title
        self.description = description
        self.datetime = datetime
        self.account = account
        self.albumID = albumID
        self.albumTitle = albumTitle
        self.tags = tags
        self.nsfw = nsfw
        self.width = width
        self.height = height
        self.size = size
        self.animated = animated
        self.mp4 = mp4
        self.views = views
        self.index = index
    }

    /// An item's metadata, inside `album` (at `index`) when it is an album's image.
    init(_ item: ImgurItem, album: ImgurItem?, index: Int?) {
        self.init(id: item.id, title: item.title, description: item.description, datetime: item.datetime ?? album?.datetime,
                  account: item.account ?? album?.account, albumID: album?.id, albumTitle: album?.title,
                  tags: item.tags.isEmpty ? album?.tags ?? [] : item.tags, nsfw: item.nsfw ?? album?.nsfw,
                  width: item.width, height: item.height, size: item.size, animated: item.animated,
                  mp4: item.mp4Size == 0 ? nil : item.mp4, views: item.views, index: index)
    }
}
