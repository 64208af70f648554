import Foundation
import NIOCore

/// One generated image, as the server holds it.
package struct CorpusImage: Sendable {
    package enum Kind: String, Sendable, Codable {
        case jpeg, png, gif
        package var fileExtension: String { self == .jpeg ? "jpg" : rawValue }
        package var mimeType: String { "image/\(rawValue)" }
    }

    /// Imgur-style id: seven letters and digits.
    package var id: String
    package var kind: Kind
    package var animated: Bool
    package var width: Int
    package var height: Int
    package var title: String
    /// Seconds since 1970 it was "posted".
    package var datetime: Int
    /// Listed without a `type` field (as some real items are).
    package var typeless: Bool
    /// The file's bytes.
    package var bytes: ByteBuffer
    /// An animated item's mp4, served at `ID.mp4`.
    package var video: ByteBuffer? = nil
    /// An animated item whose mp4 isn't made yet: listed with `mp4_size: 0`, not served.
    package var videoPending = false
    /// For a GIF over 20 MB: the preview its `link` points at, served at `IDh.gif`.
    package var preview: ByteBuffer? = nil

    /// `ID.ext`, the media path under the server root.
    package var fileName: String { "\(id).\(kind.fileExtension)" }
    package var videoFileName: String { "\(id).mp4" }
    package var previewFileName: String { "\(id)h.gif" }
}

/// A top-level gallery entry: one image, or an album of several.
package enum GalleryEntry: Sendable, Codable, Hashable {
    case image(Int)
    /// An album: its id, its images (indexes into the corpus), and whether listings embed its
    /// `images` array (otherwise a client must fetch `/3/album/{id}/images`).
    case album(id: String, title: String, images: [Int], embedsImages: Bool)
}

extension Sequence<CorpusImage> {
    /// Writes every image into `folder` (created if missing) under its file name.
    package func write(to folder: String) throws {
        let fm = FileManager.default
        try fm.createDirectory(atPath: folder, withIntermediateDirectories: true)
        for image in self {
            _ = fm.createFile(atPath: folder + "/" + image.fileName, contents: Data(image.bytes.readableBytesView))
        }
    }
}
