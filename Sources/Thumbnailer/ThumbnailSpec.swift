/// What a thumbnail should be: the box it fits in and the limits applied to its source.
package struct ThumbnailSpec: Sendable, Codable, Hashable {
    /// The box the thumbnail fits into; the aspect ratio is kept and images are never enlarged.
    package var width: Int
    package var height: Int
    /// Sources with more pixels than this (width × height × frames) are refused before
    /// decoding: a decompression bomb is a few KB on disk and gigabytes in memory.
    package var maxPixels: Int
    /// JPEG quality of thumbnails saved as JPEG.
    package var jpegQuality: Int

    /// 128x128, as in the classic tutorial, and a 100-megapixel limit.
    package static let standard = ThumbnailSpec(width: 128, height: 128)

    package init(width: Int, height: Int, maxPixels: Int = 100_000_000, jpegQuality: Int = 85) {
        self.width = width
        self.height = height
        self.maxPixels = maxPixels
        self.jpegQuality = jpegQuality
    }

    /// Parses `WxH` (for example `128x128`).
    package init?(box: String, maxPixels: Int = 100_000_000) {
        let parts = box.lowercased().split(separator: "x")
        guard parts.count == 2, let w = Int(parts[0]), let h = Int(parts[1]), w > 0, h > 0,
              w <= 10_000, h <= 10_000 else { return nil }
        self.init(width: w, height: h, maxPixels: maxPixels)
    }
}
