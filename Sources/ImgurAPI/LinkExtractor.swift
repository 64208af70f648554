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

    /// Wanted image kinds: `jpeg`, `png`, `gif`.
    package var types: Set<String>
    package var albums: AlbumPolicy

    package init(types: Set<String> = ["jpeg", "png", "gif"], albums: AlbumPolicy = .expand) {
        self.types = types
        self.albums = albums
    }

    /// What a set of items yields.
    package struct Yield: Sendable {
        package var links: [ImageLink] = []
        package var skipped: [SkippedItem] = []
        /// Albums listed without their images, to fetch with `/3/album/{id}/images`.
        package var albumsToFetch: [String] = []
    }

    package func extract(_ items: [ImgurItem], source: String) -> Yield {
        var yield = Yield()
        for item in items { extract(item, source: source, into: &yield) }
        return yield
    }

    private func extract(_ item: ImgurItem, source: String, into yield: inout Yield) {
        if item.isAlbum {
            guard albums == .expand else {
                yield.skipped.append(SkippedItem(item: "album \(item.id.prefix(80))", cause: .albumSkipped, reason: "album skipped (--albums skip)"))
                return
            }
            if let images = item.images, !images.isEmpty || item.imagesCount == 0 {
                for image in images { extract(image, source: "album \(item.id)", into: &yield) }
            } else if Self.isPlainID(item.id) {
                yield.albumsToFetch.append(item.id)
            } else {
                yield.skipped.append(SkippedItem(item: "album \(item.id.prefix(80))", cause: .badAlbumID, reason: "album id is not a plain Imgur id"))
            }
            return
        }
        let name = "image \(item.id.prefix(80))"
        guard let link = item.link, !link.isEmpty else {
            yield.skipped.append(SkippedItem(item: name, cause: .noLink, reason: "its link is missing, null or not a string"))
            return
        }
        let scheme = link.split(separator: ":", maxSplits: 1).first?.lowercased()
        guard link.contains(":"), scheme == "http" || scheme == "https" else {
            yield.skipped.append(SkippedItem(item: name, cause: .refusedScheme,
                                             reason: "refused: \(link.contains(":") ? "the scheme \(scheme ?? ""):" : "the link \(link.prefix(40))") is not http or https"))
            return
        }
        // `http:.com/x.jpg`, `https:///x.jpg`: http, but nowhere to fetch it from.
        guard let host = URL(string: link)?.host, !host.isEmpty else {
            yield.skipped.append(SkippedItem(item: name, cause: .badLink, reason: "refused: the link \(link.prefix(60)) has no host"))
            return
        }
        guard let kind = Self.kind(of: item) else {
            yield.skipped.append(SkippedItem(item: name, cause: .unknownType, reason: "no image type, and the link doesn't say one (\(link.suffix(40)))"))
            return
        }
        guard types.contains(kind) else {
            yield.skipped.append(SkippedItem(item: name, cause: .typeNotWanted, reason: "type \(kind) not wanted (--types)"))
            return
        }
        yield.links.append(ImageLink(id: item.id, url: link, type: "image/\(kind)", source: source))
    }

    /// `jpeg`, `png`, `gif`… from the item's `type`, else from its link's extension.
    static func kind(of item: ImgurItem) -> String? {
        if let type = item.type?.lowercased(), type.hasPrefix("image/") {
            let kind = String(type.dropFirst(6))
            return kind == "jpg" ? "jpeg" : kind
        }
        if item.type != nil { return item.type } // video/mp4 and the like: not wanted
        guard let link = item.link else { return nil }
        var path = Substring(link)
        if let cut = path.firstIndex(where: { $0 == "?" || $0 == "#" }) { path = path[..<cut] }
        guard let dot = path.lastIndex(of: "."), !path[dot...].contains("/") else { return nil }
        switch path[path.index(after: dot)...].lowercased() {
        case "jpg", "jpeg": return "jpeg"
        case "png": return "png"
        case "gif": return "gif"
        default: return nil
        }
    }

    /// Letters and digits only: safe to put in a request path.
    package static func isPlainID(_ id: String) -> Bool {
        !id.isEmpty && id.count <= 64 && id.unicodeScalars.allSatisfy { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0)) }
    }
}
