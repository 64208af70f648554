#if canImport(Glibc)
import Glibc
#endif

/// The media formats Skein handles, recognised by their first bytes (never by name or header):
/// three image formats, and the MP4 videos Imgur serves for animated items.
package enum ImageKind: String, Sendable, Codable, CaseIterable {
    case jpeg, png, gif, mp4

    /// The usual suffix, with its dot.
    package var fileExtension: String {
        switch self {
        case .jpeg: ".jpg"
        case .png: ".png"
        case .gif: ".gif"
        case .mp4: ".mp4"
        }
    }

    /// The MIME type.
    package var mimeType: String { self == .mp4 ? "video/mp4" : "image/\(rawValue)" }

    /// A video rather than a still or animated image.
    package var isVideo: Bool { self == .mp4 }

    /// Recognises JPEG (`FF D8 FF`), PNG (`89 P N G \r \n 1A \n`), GIF (`GIF87a`/`GIF89a`) and
    /// MP4 (an ISO media file: its first box is `ftyp`).
    package static func sniff<C: Collection<UInt8>>(_ bytes: C) -> ImageKind? {
        let head = Array(bytes.prefix(8))
        if head.starts(with: [0xFF, 0xD8, 0xFF]) { return .jpeg }
        if head.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { return .png }
        if head.starts(with: Array("GIF87a".utf8)) || head.starts(with: Array("GIF89a".utf8)) { return .gif }
        if head.count == 8, head[4...].elementsEqual("ftyp".utf8), head[0] == 0, head[1] == 0 { return .mp4 }
        return nil
    }

    /// A short human description of bytes that are not an image, for error messages.
    package static func describe<C: Collection<UInt8>>(_ bytes: C) -> String {
        let head = Array(bytes.prefix(64))
        if head.isEmpty { return "empty" }
        let text = String(decoding: head, as: UTF8.self).lowercased()
        if text.contains("<html") || text.contains("<!doctype") { return "an HTML page" }
        if text.hasPrefix("{") || text.hasPrefix("[") { return "JSON text" }
        if head.starts(with: [0x52, 0x49, 0x46, 0x46]) { return "a RIFF (WebP/AVI) file" }
        if head.starts(with: [0x1F, 0x8B]) { return "gzip data" }
        if head.allSatisfy({ $0 == 9 || $0 == 10 || $0 == 13 || (32..<127).contains($0) }) { return "plain text" }
        return "unrecognised bytes"
    }

    /// Reads the first bytes of a file; nil when it can't be opened.
    package static func head(ofFile path: String, count: Int = 64) -> [UInt8]? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var buffer = [UInt8](repeating: 0, count: count)
        let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, count) }
        return n < 0 ? nil : Array(buffer.prefix(n))
    }
}
