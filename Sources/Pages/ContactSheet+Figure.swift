/// How one entry of a contact sheet is drawn.
extension ContactSheet.Entry {
    /// What an entry's original is, as far as the page cares.
    enum Media {
        /// Something an `<img>` shows.
        case image
        /// Something a `<video>` plays.
        case video
        /// Neither, or not known.
        case other
    }

    /// Formats an `<img>` shows.
    static let imageKinds: Set<String> = ["jpeg", "jpg", "png", "gif", "webp", "avif", "bmp"]
    /// Formats a `<video>` plays.
    static let videoKinds: Set<String> = ["mp4", "m4v", "webm", "mov", "video"]

    /// The entry's media: from `kind` when given, else from the original's extension.
    var media: Media {
        var kind = (self.kind ?? "").lowercased()
        if kind.isEmpty, let dot = fileName.lastIndex(of: ".") {
            kind = fileName[fileName.index(after: dot)...].lowercased()
        }
        if Self.imageKinds.contains(kind) { return .image }
        if Self.videoKinds.contains(kind) { return .video }
        return .other
    }

    /// The last segment of the original's path.
    var fileName: String {
        let name = original.split(separator: "/").last.map(String.init) ?? ""
        return name.isEmpty ? original : name
    }

    /// The title when there is one (not blank), else the file name.
    var label: String {
        if let title, !title.allSatisfy(\.isWhitespace) { return title }
        return fileName
    }

    /// ` width="…" height="…"` when the original's size is known, else nothing.
    var sizeAttributes: String {
        guard let width, let height, width > 0, height > 0 else { return "" }
        return " width=\"\(width)\" height=\"\(height)\""
    }

    /// The escaped line `kind · 1.2 MB · 1920×1080` with what is known, nil when nothing is.
    var metaHTML: String? {
        var parts: [String] = []
        if let kind, !kind.isEmpty { parts.append("<span class=\"kind\">\(HTML.escape(kind))</span>") }
        if let bytes, bytes >= 0 { parts.append(NumberText.bytes(bytes)) }
        if let width, let height, width > 0, height > 0 { parts.append("\(width)×\(height)") }
        return parts.isEmpty ? nil : parts.joined(separator: " · ")
    }

    /// The entry's `<figure>`: its picture (thumbnail, original image, or video player) linking to
    /// the original, and a caption with its name and what is known about it.
    func figureHTML() -> String {
        let href = HTML.attributePath(original)
        let alt = HTML.escape(label)
        let media = self.media
        var figureClass = media == .video ? "video" : ""
        var nameLinks = false
        let frame: String
        if let thumbnail, !thumbnail.isEmpty {
            let play = media == .video ? " play" : ""
            frame = "<a class=\"frame\(play)\" href=\"\(href)\"><img class=\"shot\" src=\"\(HTML.attributePath(thumbnail))\" loading=\"lazy\" alt=\"\(alt)\"\(sizeAttributes)></a>"
        } else {
            switch media {
            case .image:
                frame = "<a class=\"frame\" href=\"\(href)\"><img class=\"shot\" src=\"\(href)\" loading=\"lazy\" alt=\"\(alt)\"\(sizeAttributes)></a>"
            case .video:
                frame = "<div class=\"frame\"><video src=\"\(href)\" preload=\"metadata\" muted controls playsinline\(sizeAttributes)></video></div>"
                nameLinks = true
            case .other:
                frame = "<a class=\"frame file\" href=\"\(href)\"><span>no preview</span></a>"
                figureClass = "file"
            }
        }
        let name = nameLinks
            ? "<a class=\"name\" href=\"\(href)\">\(alt)</a>"
            : "<span class=\"name\">\(alt)</span>"
        let meta = metaHTML.map { "<span class=\"meta\">\($0)</span>" } ?? ""
        let open = figureClass.isEmpty ? "<figure>" : "<figure class=\"\(figureClass)\">"
        return "\(open)\(frame)<figcaption>\(name)\(meta)</figcaption></figure>\n"
    }
}
