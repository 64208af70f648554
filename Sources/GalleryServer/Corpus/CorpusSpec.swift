/// What gallery to generate: how many images, from which seed, how big.
///
/// The same spec always gives byte-identical images and the same listings.
package struct CorpusSpec: Sendable, Hashable, Codable {
    /// Images in the corpus (albums group some of them).
    package var items: Int
    package var seed: UInt64
    /// Widths of photographic JPEGs, in pixels.
    package var jpegWidths: ClosedRange<Int>
    /// Widths of PNGs and GIFs (smaller: they compress worse).
    package var pngWidths: ClosedRange<Int>
    package var gifWidths: ClosedRange<Int>
    /// Share of images that are PNG and GIF (the rest are JPEG).
    package var pngShare: Double
    package var gifShare: Double
    /// Share of gallery entries that are albums.
    package var albumShare: Double
    /// Animated items with their other files, as Imgur has them: an mp4 of each animated GIF
    /// (made with FFmpeg; the first one's listed as not made yet, `mp4_size: 0`), and one GIF
    /// over 20 MB whose `link` is only a preview.
    package var videos = false

    /// Realistic sizes: JPEGs 640-3000 px wide, 100 KB to 2 MB.
    package static func realistic(items: Int, seed: UInt64) -> CorpusSpec {
        CorpusSpec(items: items, seed: seed, jpegWidths: 640...3000, pngWidths: 640...960,
                   gifWidths: 640...720, pngShare: 0.15, gifShare: 0.12, albumShare: 0.12)
    }

    /// Small images for fast tests (same mix of kinds and albums).
    package static func small(items: Int, seed: UInt64) -> CorpusSpec {
        CorpusSpec(items: items, seed: seed, jpegWidths: 160...420, pngWidths: 120...260,
                   gifWidths: 100...160, pngShare: 0.2, gifShare: 0.2, albumShare: 0.2)
    }

    /// The same spec with the animated items' videos (or without).
    package func withVideos(_ on: Bool = true) -> CorpusSpec {
        var spec = self
        spec.videos = on
        return spec
    }

    package init(items: Int, seed: UInt64, jpegWidths: ClosedRange<Int>, pngWidths: ClosedRange<Int>,
                gifWidths: ClosedRange<Int>, pngShare: Double, gifShare: Double, albumShare: Double) {
        self.items = items
        self.seed = seed
        self.jpegWidths = jpegWidths
        self.pngWidths = pngWidths
        self.gifWidths = gifWidths
        self.pngShare = pngShare
        self.gifShare = gifShare
        self.albumShare = albumShare
    }
}
