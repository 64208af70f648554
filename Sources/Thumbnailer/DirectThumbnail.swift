import CThumbs
import SafeFiles

/// Which code makes thumbnails.
package enum ThumbnailBackend: String, Sendable, Codable, Hashable, CaseIterable {
    /// TurboJPEG, our PNG codec over libdeflate, and giflib, with libvips only for what they don't
    /// cover (CMYK JPEGs, embedded ICC profiles, palettes with no room for transparency).
    case direct
    /// libvips' `thumbnail` for everything.
    case libvips
}

/// One thumbnail encoded in memory by the direct path.
struct EncodedThumbnail: ~Copyable {
    let data: UnsafeMutablePointer<UInt8>
    let length: Int
    let width: Int
    let height: Int
    /// A benign oddity decoded through, from the C side.
    let note: String?

    var bytes: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: data, count: length) }

    deinit { skein_thumb_free(data) }
}

/// The direct path: the file's bytes in, an encoded thumbnail out, no libvips.
enum DirectThumbnail {
    /// Makes the thumbnail of `bytes` (a whole file of the given kind).
    /// - Returns: nil when this path doesn't handle the file and libvips should.
    /// - Throws: `ThumbnailError` naming `path` when the file is corrupt, truncated or too big.
    static func make(_ bytes: UnsafeRawBufferPointer, kind: ImageKind, spec: ThumbnailSpec,
                     path: String) throws(ThumbnailError) -> EncodedThumbnail? {
        var request = skein_thumb_request(box_width: Int32(spec.width), box_height: Int32(spec.height),
                                          max_pixels: Int64(spec.maxPixels), jpeg_quality: Int32(spec.jpegQuality))
        var result = skein_thumb_result()
        let base = bytes.baseAddress!.assumingMemoryBound(to: UInt8.self)
        let status = switch kind {
        case .jpeg: skein_thumb_jpeg(base, bytes.count, &request, &result)
        case .png: skein_thumb_png(base, bytes.count, &request, &result)
        case .gif: skein_thumb_gif(base, bytes.count, &request, &result)
        case .mp4: throw Thumbnailer.video(path)
        }
        // The C side's one-line reason, read only when there is a failure to report.
        var message: String {
            withUnsafeBytes(of: result.message) { raw in String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self) }
        }
        switch status {
        case SKEIN_THUMB_OK:
            guard let data = result.data else {
                throw ThumbnailError(.library, path: path, message: "the encoder returned no bytes")
            }
            let note = message
            return EncodedThumbnail(data: data, length: result.length,
                                    width: Int(result.width), height: Int(result.height), note: note.isEmpty ? nil : note)
        case SKEIN_THUMB_UNSUPPORTED:
            return nil
        case SKEIN_THUMB_TOO_MANY_PIXELS:
            throw Thumbnailer.tooManyPixels(path: path, width: Int(result.source_width),
                                            height: Int(result.source_height), limit: spec.maxPixels)
        case SKEIN_THUMB_NO_MEMORY:
            throw ThumbnailError(.library, path: path, message: message)
        default:
            throw ThumbnailError(.corrupt, path: path, message: message)
        }
    }
}
