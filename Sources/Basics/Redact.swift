import Foundation

/// Secrets out of text that is shown or logged.
package enum Redact {
    /// `scheme://user:password@host…` with the password as `***` (every such URL in `text`).
    package static func passwords(in text: String) -> String {
        guard text.contains("://"), text.contains("@") else { return text }
        var out = ""
        var rest = Substring(text)
        while let scheme = rest.range(of: "://") {
            out += rest[..<scheme.upperBound]
            rest = rest[scheme.upperBound...]
            // The authority ends at the first /, ?, # or space; a password is between : and @ in it.
            let end = rest.firstIndex { "/?# \"".contains($0) } ?? rest.endIndex
            let authority = rest[..<end]
            if let at = authority.lastIndex(of: "@"), let colon = authority[..<at].firstIndex(of: ":") {
                out += authority[...colon] + "***" + authority[at...]
            } else {
                out += authority
            }
            rest = rest[end...]
        }
        return out + rest
    }
}
