import Basics

/// Turns an untrusted link (and the id an API gave for it) into a file name that is safe to
/// create inside the output folder: never a path, never hidden, never empty, never too long.
///
/// - An Imgur-style id (letters and digits) is used as is: `AbC123` → `AbC123`.
/// - Otherwise the link's last path segment is percent-decoded and every character outside
///   `A-Z a-z 0-9 . _ -` becomes `_` (so `%2F`, `/`, `\`, NUL and control characters can't
///   make a path); query strings and fragments are dropped; leading dots and dashes go;
///   the stem is cut to 100 characters; an empty result becomes `image`.
///
/// The extension is not decided here: it comes from the bytes actually received.
package enum SafeName {
    /// The longest stem produced.
    package static let maxStemLength = 100

    /// The stem (name without extension) for a download.
    package static func stem(id: String?, url: String) -> String {
        if let id, isPlainID(id) { return id }
        return stem(fromURL: url)
    }

    /// True for ids made only of ASCII letters and digits (1 to 64 of them).
    package static func isPlainID(_ id: String) -> Bool {
        !id.isEmpty && id.utf8.count <= 64 && id.utf8.allSatisfy { isAlphanumeric($0) }
    }

    package static func stem(fromURL url: String) -> String {
        // Drop the fragment and the query, then take what follows the last slash.
        var path = Substring(url)
        if let hash = path.firstIndex(of: "#") { path = path[..<hash] }
        if let query = path.firstIndex(of: "?") { path = path[..<query] }
        if let colon = path.firstIndex(of: ":"), path[colon...].hasPrefix("://") {
            let afterScheme = path[path.index(colon, offsetBy: 3)...]
            path = afterScheme.firstIndex(of: "/").map { afterScheme[$0...] } ?? ""
        }
        let last = path.split(separator: "/", omittingEmptySubsequences: true).last ?? ""
        let decoded = PercentEncoding.decoded(last)
        var base = decoded
        // The extension (if any) is not part of the stem.
        if let dot = base.lastIndex(of: 0x2E), dot > 0 { base = Array(base[..<dot]) }
        var cleaned = base.map { isAlphanumeric($0) || $0 == 0x2E || $0 == 0x5F || $0 == 0x2D ? $0 : 0x5F }
        while let first = cleaned.first, first == 0x2E || first == 0x2D { cleaned.removeFirst() }
        while let last = cleaned.last, last == 0x2E { cleaned.removeLast() }
        if cleaned.count > maxStemLength { cleaned = Array(cleaned.prefix(maxStemLength)) }
        if cleaned.isEmpty || cleaned.allSatisfy({ $0 == 0x5F }) { return "image" }
        return String(decoding: cleaned, as: UTF8.self)
    }

    /// One name of a path (`--name` folders and files): every character outside
    /// `A-Z a-z 0-9 . _ -` becomes `_`, leading dots and dashes and trailing dots go, cut to
    /// 100 characters; nil when nothing is left (or only `_`).
    package static func segment(_ text: String) -> String? {
        var cleaned = text.unicodeScalars.map { scalar -> Character in
            let ok = scalar.isASCII && (isAlphanumeric(UInt8(scalar.value)) || scalar == "." || scalar == "_" || scalar == "-")
            return ok ? Character(scalar) : "_"
        }
        while let first = cleaned.first, first == "." || first == "-" { cleaned.removeFirst() }
        while let last = cleaned.last, last == "." { cleaned.removeLast() }
        if cleaned.count > maxStemLength { cleaned = Array(cleaned.prefix(maxStemLength)) }
        while let last = cleaned.last, last == "." { cleaned.removeLast() }
        guard !cleaned.isEmpty, !cleaned.allSatisfy({ $0 == "_" }) else { return nil }
        return String(cleaned)
    }

    private static func isAlphanumeric(_ c: UInt8) -> Bool {
        (0x30...0x39).contains(c) || (0x41...0x5A).contains(c) || (0x61...0x7A).contains(c)
    }
}
