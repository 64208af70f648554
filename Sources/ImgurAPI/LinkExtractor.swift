import Foundation

/// Turns listing items into image links: keeps the wanted types, expands albums whose
/// images are listed, and says why every other item gave nothing. Pure: no I/O.
package struct LinkExtractor: Sendable {
    /// What to do with albums.
    package enum AlbumPolicy: String, Sendable, CaseIterable {
        /// Take their images (fetching the album when the listing doesn't include them).
        case expand
        /// Leave them out (the tutorial's filter did this silently; we say so).
        case skip
    }

    /// Which file of an animated item comes first.
    package enum AnimatedPolicy: String, Sendable, CaseIterable {
        /// Its video (`mp4`): a tenth of the GIF's size, and the only whole file past 20 MB.
        case mp4
        /// Its GIF (the whole one, never the preview).
        case gif
    }

    /// Every kind Skein downloads.
    package static let allKinds: Set<String> = ["jpeg", "png", "gif", "mp4"]

    /// Wanted kinds: `jpeg`, `png`, `gif`, `mp4`.
    package var types: Set<String>
    package var albums: AlbumPolicy
    package var animated: AnimatedPolicy
    package var filters: ItemFilters

    package init(types: Set<String> = LinkExtractor.allKinds, albums: AlbumPolicy = .expand, animated: AnimatedPolicy = .mp4,
                 filters: ItemFilters = ItemFilters()) {
        self.types = types
        self.albums = albums
        self.animated = animated
        self.filters = filters
    }

    /// What a set of items yields.
    package struct Yield: Sendable {
        package var links: [ImageLink] = []
        package var skipped: [SkippedItem] = []
        /// Albums listed without their images, to fetch with `/3/album/{id}/images`.
        package var albumsToFetch: [ImgurItem] = []
    }

    /// The links of `items`; `album` is the album they are the images of, when they are.
    package func extract(_ items: [ImgurItem], source: String, album: ImgurItem? = nil) -> Yield {
        var yield = Yield()
        for (position, item) in items.enumerated() {
            extract(item, source: source, album: album, index: album == nil ? nil : position + 1, into: &yield)
        }
        return yield
    }

    private func extract(_ item: ImgurItem, source: String, album: ImgurItem?, index: Int?, into yield: inout Yield) {
        if item.isAlbum, album == nil {
            guard albums == .expand else {
                yield.skipped.append(SkippedItem(item: "album \(item.id.prefix(80))", cause: .albumSkipped, reason: "album skipped (--albums skip)"))
                return
            }
            yield.skipped += item.rejectedImages.map { SkippedItem(item: "album \(item.id.prefix(80))", cause: .malformed, reason: $0) }
            if let images = item.images, images.isEmpty, item.imagesCount == 0 || item.imagesCount == nil {
                yield.skipped.append(SkippedItem(item: "album \(item.id.prefix(80))", cause: .emptyAlbum, reason: "the album holds no image"))
            } else if let images = item.images, !images.isEmpty, images.count >= (item.imagesCount ?? 0) || !Self.isPlainID(item.id) {
                for (position, image) in images.enumerated() {
                    extract(image, source: "album \(item.id)", album: item, index: position + 1, into: &yield)
                }
            } else if Self.isPlainID(item.id) {
                // No images listed, or fewer than it holds (listings may cut them): fetched.
                yield.albumsToFetch.append(item)
            } else {
                yield.skipped.append(SkippedItem(item: "album \(item.id.prefix(80))", cause: .badAlbumID, reason: "album id is not a plain Imgur id"))
            }
            return
        }
        let name = "image \(item.id.prefix(80))"
        let media: Media
        switch choose(item) {
        case .success(let chosen): media = chosen
        case .failure(let skip):
            yield.skipped.append(SkippedItem(item: name, cause: skip.cause, reason: skip.reason))
            return
        }
        let metadata = ItemMetadata(item, album: album, index: index)
        if let skip = filters.refusal(of: metadata) {
            yield.skipped.append(SkippedItem(item: name, cause: skip.cause, reason: skip.reason))
            return
        }
        var link = ImageLink(id: item.id, url: media.url, type: media.kind == "mp4" ? "video/mp4" : "image/\(media.kind)", source: source)
        link.metadata = metadata
        yield.links.append(link)
    }

    /// What to download for an item: its URL and kind.
    struct Media: Equatable {
        var url: String
        var kind: String
    }

    struct Skip: Error {
        var cause: SkippedItem.Cause
        var reason: String
    }

    /// The file an item stands for. A still image is its `link`. An animated one has two: its
    /// mp4 (unless `mp4_size` is 0: the video isn't made yet) and its GIF, whose `link` for a
    /// GIF over 20 MB is only an `h`-suffixed preview (`{id}h.gif`) of the real `{id}.gif`.
    /// `--animated` says which comes first, `--types` which are wanted. A `gifv` is an HTML
    /// page: its video is the mp4 beside it.
    func choose(_ item: ImgurItem) -> Result<Media, Skip> {
        let link = item.link.flatMap { $0.isEmpty ? nil : $0 }
        let video = item.mp4.flatMap { $0.isEmpty || item.mp4Size == 0 ? nil : $0 }
        guard link != nil || video != nil else {
            return .failure(Skip(cause: .noLink, reason: "its link is missing, null or not a string"))
        }
        guard let kind = Self.kind(of: item) else {
            return .failure(Skip(cause: .unknownType, reason: "no image type, and the link doesn't say one (\(link?.suffix(40) ?? ""))"))
        }
        var candidates: [Media] = []
        switch kind {
        case "mp4":
            // A video upload (`video/mp4`): no GIF of it exists.
            if let url = video ?? link { candidates = [Media(url: url, kind: "mp4")] }
        case "gifv":
            if let url = video ?? link.map(Self.mp4OfGifv) { candidates = [Media(url: url, kind: "mp4")] }
        case "gif" where item.animated:
            let gif = link.map { Media(url: Self.fullGIF($0, id: item.id), kind: "gif") }
            let mp4 = video.map { Media(url: $0, kind: "mp4") }
            candidates = (animated == .mp4 ? [mp4, gif] : [gif, mp4]).compactMap { $0 }
        default:
            if let link { candidates = [Media(url: link, kind: kind)] }
        }
        guard let first = candidates.first else {
            return .failure(Skip(cause: .noLink, reason: "its link is missing, null or not a string"))
        }
        // A hostile link is refused as such, whatever its type.
        candidates.removeAll { Self.refusal(of: $0.url) != nil }
        if candidates.isEmpty, let refusal = Self.refusal(of: first.url) { return .failure(refusal) }
        guard let wanted = candidates.first(where: { types.contains($0.kind) }) else {
            let kinds = candidates.map(\.kind).joined(separator: " or ")
            return .failure(Skip(cause: .typeNotWanted, reason: "type \(kinds) not wanted (--types)"))
        }
        return .success(wanted)
    }

    /// Why a link can't be fetched, if it can't: not http(s) (`file:`, `javascript:`, `data:`,
    /// a relative link), or no host (`http:.com/x.jpg`, `https:///x.jpg`).
    static func refusal(of link: String) -> Skip? {
        let scheme = link.split(separator: ":", maxSplits: 1).first?.lowercased()
        guard link.contains(":"), scheme == "http" || scheme == "https" else {
            return Skip(cause: .refusedScheme,
                        reason: "refused: \(link.contains(":") ? "the scheme \(scheme ?? ""):" : "the link \(link.prefix(40))") is not http or https")
        }
        guard let host = URL(string: link)?.host, !host.isEmpty else {
            return Skip(cause: .badLink, reason: "refused: the link \(link.prefix(60)) has no host")
        }
        return nil
    }

    /// `…/{id}h.gif` → `…/{id}.gif`: the whole GIF, not the preview Imgur links to past 20 MB.
    static func fullGIF(_ link: String, id: String) -> String {
        let suffix = "/\(id)h.gif"
        guard link.lowercased().hasSuffix(suffix.lowercased()), LinkExtractor.isPlainID(id) else { return link }
        return String(link.dropLast(suffix.count)) + "/\(id).gif"
    }

    /// `…/{id}.gifv` → `…/{id}.mp4`.
    static func mp4OfGifv(_ link: String) -> String {
        link.lowercased().hasSuffix(".gifv") ? String(link.dropLast(5)) + ".mp4" : link
    }

    /// `jpeg`, `png`, `gif`, `mp4` (or `gifv`)… from the item's `type`, else from its link's
    /// extension.
    static func kind(of item: ImgurItem) -> String? {
        if let type = item.type?.lowercased() {
            if type.hasPrefix("image/") {
                let kind = String(type.dropFirst(6))
                return kind == "jpg" ? "jpeg" : kind
            }
            if type == "video/mp4" { return "mp4" }
            return type // video/webm and the like: not wanted
        }
        guard let link = item.link ?? item.mp4 else { return nil }
        var path = Substring(link)
        if let cut = path.firstIndex(where: { $0 == "?" || $0 == "#" }) { path = path[..<cut] }
        guard let dot = path.lastIndex(of: "."), !path[dot...].contains("/") else { return nil }
        switch path[path.index(after: dot)...].lowercased() {
        case "jpg", "jpeg": return "jpeg"
        case "png": return "png"
        case "gif": return "gif"
        case "mp4": return "mp4"
        case "gifv": return "gifv"
        default: return nil
        }
    }

    /// Letters and digits only: safe to put in a request path.
    package static func isPlainID(_ id: String) -> Bool {
        !id.isEmpty && id.count <= 64 && id.unicodeScalars.allSatisfy { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0)) }
    }
}
