import CVips

/// An image file decoded by libvips to 8-bit interleaved samples (first frame, EXIF
/// orientation applied): what checks and comparisons of thumbnails read.
package struct ImagePixels: Sendable, Hashable {
    package var width: Int
    package var height: Int
    /// Channels a pixel: 1 grey, 2 grey+alpha, 3 RGB, 4 RGBA.
    package var bands: Int
    package var samples: [UInt8]

    /// Decodes `path`.
    /// - Throws: `ThumbnailError` when libvips can't.
    package init(path: String) throws(ThumbnailError) {
        try Vips.start()
        var pixels: UnsafeMutablePointer<UInt8>?
        var w: Int32 = 0, h: Int32 = 0, b: Int32 = 0
        guard skein_vips_pixels(path, &pixels, &w, &h, &b) == 0, let pixels else {
            throw ThumbnailError(.corrupt, path: path, message: "cannot decode: \(Vips.lastError())")
        }
        defer { skein_vips_free(pixels) }
        width = Int(w)
        height = Int(h)
        bands = Int(b)
        samples = Array(UnsafeBufferPointer(start: pixels, count: width * height * bands))
    }

    /// The samples of the pixel at (x, y).
    package func pixel(x: Int, y: Int) -> ArraySlice<UInt8> {
        let at = (y * width + x) * bands
        return samples[at..<(at + bands)]
    }

    /// Mean absolute difference of the colour samples (alpha left out) of two images of the
    /// same size, 0...255; nil when their sizes differ.
    package func meanDifference(from other: ImagePixels) -> Double? {
        guard width == other.width, height == other.height else { return nil }
        let colours = Swift.min(Swift.min(bands, other.bands), 3)
        var total = 0
        for i in 0..<(width * height) {
            for c in 0..<colours {
                total += abs(Int(samples[i * bands + c]) - Int(other.samples[i * other.bands + c]))
            }
        }
        return Double(total) / Double(width * height * colours)
    }
}
