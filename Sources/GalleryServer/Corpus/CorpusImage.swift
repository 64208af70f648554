import Foundation
import NIOCore

/// One generated image, as the server holds it.
public struct CorpusImage: Sendable {
    public enum Kind: String, Sendable, Codable {
        case jpeg, png, gif
        public var fileExtension: String { self == .jpeg ? "jpg" : rawValue }
        public var mimeType: String { "image/\(rawValue)" }
    }

    /// Imgur-style id: seven letters and digits.
    public var id: String
    public var kind: Kind
    public var animated: Bool
    public var width: Int
    public var height: Int
    public var title: String
    /// Seconds since 1970 it was "posted".
    public var datetime: Int
    /// Listed without a `type` field (as some real items are).
    public var typeless: Bool
    /// The file's bytes.
    public var bytes: ByteBuffer

    /// `ID.ext`, the media path under the server root.
    public var fileName: String { "\(id).\(kind.fileExtension)" }
}

/// A top-level gallery entry: one image, or an album of several.
public enum GalleryEntry: Sendable, Codable, Hashable {
    case image(Int)
    /// An album: its id, its images (indexes into the corpus), and whether listings embed its
    /// `images` array (otherwise a client must fetch `/3/album/{id}/images`).
    case album(id: String, title: String, images: [Int], embedsImages: Bool)
}

extension Sequence<CorpusImage> {
    /// Writes every image into `folder` (created if missing) under its file name.
    public func write(to folder: String) throws {
        let fm = FileManager.default
        try fm.createDirectory(atPath: folder, withIntermediateDirectories: true)
        for image in self {
            _ = fm.createFile(atPath: folder + "/" + image.fileName, contents: Data(image.bytes.readableBytesView))
        }
    }
}
