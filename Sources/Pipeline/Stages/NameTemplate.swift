import Downloader
import Foundation
import ImgurAPI

/// `--name TEMPLATE`: where each file goes inside the output folder, from what the API said of
/// it. Fields: `{id}` `{title}` `{album}` `{album_id}` `{account}` `{tag}` `{index}`
/// `{date}` or `{date:%Y-%m-%d}` (any of `%Y %m %d %H %M %S %j %%`), and `{ext}`, which may
/// only end the template (the extension always comes from the bytes received). `/` makes
/// folders; `{{` and `}}` are braces.
///
/// Every field is cleaned the way file names are (`SafeName.segment`), so no value can make a
/// path; a folder whose fields are all empty for an item is left out; the files keep the
/// no-overwrite rule (`name-1.ext`…). A template that could leave the folder (`/…`, `..`), or
/// whose file name could come out empty (only fields that may be empty, like `{title}`), is
/// refused before anything is fetched.
package struct NameTemplate: Sendable, Hashable {
    enum Field: Sendable, Hashable {
        case id, title, album, albumID, account, tag, index
        case date(String)

        /// Never empty for any item.
        var alwaysPresent: Bool { self == .id || self == .index }
    }

    enum Piece: Sendable, Hashable {
        case text(String)
        case field(Field)
    }

    /// The path's names, each a run of pieces.
    let segments: [[Piece]]
    package let text: String

    /// - Throws: `PipelineError` (`.configuration`) naming what is wrong with the template.
    package init(_ text: String) throws(PipelineError) {
        func refuse(_ why: String) -> PipelineError { PipelineError(.configuration, "--name \"\(text.prefix(80))\": \(why)") }
        self.text = text
        var body = text
        if body.hasSuffix(".{ext}") { body.removeLast(6) } else if body.hasSuffix("{ext}") { body.removeLast(5) }
        guard !body.isEmpty else { throw refuse("the template is empty") }
        guard !body.hasPrefix("/") else { throw refuse("files always go inside --out: the template can't start with /") }
        guard body.utf8.count <= 1024 else { throw refuse("the template is longer than 1024 bytes") }
        var segments: [[Piece]] = []
        for raw in Self.split(body) {
            let pieces = try Self.pieces(String(raw), refuse)
            if pieces.allSatisfy({ if case .text(let t) = $0 { t.allSatisfy { $0 == "." } } else { false } }) {
                throw refuse("\"\(raw)\" would leave the folder or name nothing")
            }
            segments.append(pieces)
        }
        guard let last = segments.last else { throw refuse("the template names no file") }
        let namesSomething = last.contains { piece in
            switch piece {
            case .field(let field): field.alwaysPresent
            case .text(let t): t.contains { $0.isLetter || $0.isNumber }
            }
        }
        guard namesSomething else {
            throw refuse("the file name could come out empty: give it {id}, {index} or some letters of its own")
        }
        self.segments = segments
    }

    /// The template's names: split at each `/` outside braces (a date format may hold one;
    /// a value never makes a folder).
    private static func split(_ body: String) -> [String] {
        var names: [String] = []
        var current = ""
        var depth = 0
        let characters = Array(body)
        var i = 0
        while i < characters.count {
            let c = characters[i]
            // `{{` and `}}` are braces of the name, not a field.
            if (c == "{" || c == "}"), i + 1 < characters.count, characters[i + 1] == c, depth == 0 {
                current.append(c)
                current.append(c)
                i += 2
                continue
            }
            if c == "{" { depth += 1 } else if c == "}" { depth = max(0, depth - 1) }
            if c == "/", depth == 0 {
                if !current.isEmpty { names.append(current) }
                current = ""
            } else {
                current.append(c)
            }
            i += 1
        }
        if !current.isEmpty { names.append(current) }
        return names
    }

    private static func pieces(_ segment: String, _ refuse: (String) -> PipelineError) throws(PipelineError) -> [Piece] {
        var pieces: [Piece] = []
        var literal = ""
        var i = segment.startIndex
        while i < segment.endIndex {
            let c = segment[i]
            let next = segment.index(after: i)
            if c == "{", next < segment.endIndex, segment[next] == "{" {
                literal.append("{")
                i = segment.index(after: next)
            } else if c == "}", next < segment.endIndex, segment[next] == "}" {
                literal.append("}")
                i = segment.index(after: next)
            } else if c == "{" {
                guard let close = segment[next...].firstIndex(of: "}") else { throw refuse("a { without its }") }
                let name = String(segment[next..<close])
                if !literal.isEmpty { pieces.append(.text(literal)) }
                literal = ""
                pieces.append(.field(try field(name, refuse)))
                i = segment.index(after: close)
            } else if c == "}" {
                throw refuse("a } without its {")
            } else {
                literal.append(c)
                i = next
            }
        }
        if !literal.isEmpty { pieces.append(.text(literal)) }
        return pieces
    }

    private static func field(_ name: String, _ refuse: (String) -> PipelineError) throws(PipelineError) -> Field {
        switch name {
        case "id": return .id
        case "title": return .title
        case "album": return .album
        case "album_id": return .albumID
        case "account": return .account
        case "tag": return .tag
        case "index": return .index
        case "date": return .date("%Y-%m-%d")
        case "ext": throw refuse("{ext} may only end the template (the extension comes from the bytes received)")
        default:
            guard name.hasPrefix("date:") else {
                throw refuse("unknown field {\(name.prefix(40))} (id, title, album, album_id, account, tag, index, date, ext)")
            }
            let format = String(name.dropFirst(5))
            var k = format.startIndex
            while let percent = format[k...].firstIndex(of: "%") {
                let code = format.index(after: percent)
                guard code < format.endIndex, "YmdHMSj%".contains(format[code]) else {
                    throw refuse("{date:…} knows %Y %m %d %H %M %S %j and %%, not \(format[percent...].prefix(2))")
                }
                k = format.index(after: code)
            }
            return .date(format)
        }
    }

    /// The path (without extension) `link`'s file takes inside the output folder.
    package func stem(for link: ImageLink) -> String {
        let meta = link.metadata ?? ItemMetadata(id: link.id)
        var names: [String] = []
        for (position, segment) in segments.enumerated() {
            let rendered = segment.map { piece -> String in
                switch piece {
                case .text(let text): text
                case .field(let field): value(field, meta, link)
                }
            }.joined()
            if let clean = SafeName.segment(rendered) {
                names.append(clean)
            } else if position == segments.count - 1 {
                names.append(SafeName.stem(id: link.id, url: link.url))
            }
        }
        return names.joined(separator: "/")
    }

    private func value(_ field: Field, _ meta: ItemMetadata, _ link: ImageLink) -> String {
        switch field {
        case .id: SafeName.stem(id: link.id, url: link.url)
        case .title: meta.title ?? ""
        case .album: meta.albumTitle ?? ""
        case .albumID: meta.albumID ?? ""
        case .account: meta.account ?? ""
        case .tag: meta.tags.first ?? ""
        case .index: meta.index.map(String.init) ?? ""
        case .date(let format): meta.datetime.map { Self.format($0, format) } ?? ""
        }
    }

    /// `%Y-%m-%d` and friends, in UTC.
    static func format(_ seconds: Int, _ format: String) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let date = Date(timeIntervalSince1970: TimeInterval(seconds))
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        let dayOfYear = calendar.ordinality(of: .day, in: .year, for: date) ?? 0
        func two(_ v: Int?) -> String { String(format: "%02d", v ?? 0) }
        var out = ""
        var i = format.startIndex
        while i < format.endIndex {
            let ch = format[i]
            let next = format.index(after: i)
            guard ch == "%", next < format.endIndex else { out.append(ch); i = next; continue }
            switch format[next] {
            case "Y": out += String(format: "%04d", c.year ?? 0)
            case "m": out += two(c.month)
            case "d": out += two(c.day)
            case "H": out += two(c.hour)
            case "M": out += two(c.minute)
            case "S": out += two(c.second)
            case "j": out += String(format: "%03d", dayOfYear)
            default: out.append("%")
            }
            i = format.index(after: next)
        }
        return out
    }
}
