/// Text and paths made safe to put into an HTML page.
package enum HTML {
    /// `text` with `&`, `<`, `>`, `"` and `'` replaced by character references, safe in element
    /// content and in quoted attribute values.
    package static func escape(_ text: String) -> String {
        guard text.utf8.contains(where: { $0 == 0x26 || $0 == 0x3C || $0 == 0x3E || $0 == 0x22 || $0 == 0x27 }) else {
            return text
        }
        var out = ""
        out.reserveCapacity(text.utf8.count + 16)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// A relative file path (raw file names, not an already-encoded URL) as a relative URL: each
    /// segment percent-encoded (every byte but letters, digits, `-`, `.`, `_`, `~`), the `/`
    /// between segments kept. A leading `/` gets a `.` before it, so `/x` and `//host/x` stay
    /// inside the page's folder instead of naming the file system's root or another host, and a
    /// `:` is encoded, so no segment can read as a scheme (`javascript:`).
    package static func urlPath(_ path: String) -> String {
        var out = ""
        out.reserveCapacity(path.utf8.count)
        for byte in path.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"), UInt8(ascii: "/"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                out += "%"
                out.unicodeScalars.append(hexDigit(byte >> 4))
                out.unicodeScalars.append(hexDigit(byte & 0x0F))
            }
        }
        return out.hasPrefix("/") ? "." + out : out
    }

    /// `urlPath(path)`, escaped for a quoted attribute value (`href`, `src`).
    package static func attributePath(_ path: String) -> String {
        escape(urlPath(path))
    }

    /// The upper-case hexadecimal digit for a value 0–15.
    private static func hexDigit(_ value: UInt8) -> Unicode.Scalar {
        Unicode.Scalar(value < 10 ? UInt8(ascii: "0") + value : UInt8(ascii: "A") + value - 10)
    }
}
