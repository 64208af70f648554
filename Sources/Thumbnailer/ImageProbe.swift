import CVips

/// Reads an image file's header (never its pixels).
package struct ImageProbe: Sendable, Hashable {
    package var width: Int
    package var height: Int
    /// Frames (1 for still images).
    package var pages: Int
    /// Whether the file embeds an ICC profile.
    package var hasColourProfile: Bool
    /// Whether that profile is broken (too short, no `acsp` signature, cut short): it is then
    /// ignored and the image taken as sRGB, as browsers and Pillow do.
    package var colourProfileBroken: Bool
    /// The libvips loader that would decode it.
    package var loader: String

    /// Probes `path`.
    /// - Throws: `ThumbnailError` when it is not a readable image.
    package init(path: String) throws(ThumbnailError) {
        try Vips.start()
        var w: Int32 = 0, h: Int32 = 0, pages: Int32 = 0, profile: Int32 = 0
        var loader = [CChar](repeating: 0, count: 64)
        guard skein_vips_probe(path, &w, &h, &pages, &profile, &loader, loader.count) == 0 else {
            throw ThumbnailError(.corrupt, path: path, message: "cannot read the header: \(Vips.lastError())")
        }
        width = Int(w)
        height = Int(h)
        self.pages = Int(pages)
        hasColourProfile = profile != 0
        colourProfileBroken = profile == 2
        self.loader = String(decoding: loader.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
