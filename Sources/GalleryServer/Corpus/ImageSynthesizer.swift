import CVips
import Basics

/// Paints deterministic, photographic-looking images with libvips: colour fields at several
/// scales (coarse to fine, like clouds or foliage) blended together, plus film grain, so
/// encoders and decoders do real work (flat colour would compress to nothing).
struct ImageSynthesizer {
    struct Failure: Error, CustomStringConvertible { let description: String }

    private static let started: Bool = skein_vips_init("skein-gallery", 0) == 0 && {
        skein_vips_set_cache_max(0)
        return true
    }()

    /// Encodes an image `width` x `height` of the given kind. Animated GIFs get `frames` frames
    /// that pan across a wider painting.
    static func make(kind: CorpusImage.Kind, width: Int, height: Int, frames: Int,
                     random: inout SeededRandom) throws -> [UInt8] {
        guard started else { throw Failure(description: "libvips did not start") }
        let pan = frames > 1 ? width / 8 : 0
        let canvasWidth = width + pan * (frames - 1)
        // Grain sets how hard the image is to compress: more for small photos, less for big
        // ones, so that files land between about 100 KB and 2 MB as real uploads do.
        let megapixels = Double(width * height) / 1_000_000
        let grain: Double = switch kind {
        case .jpeg: min(9, max(1.5, 6.5 / megapixels.squareRoot())) * Double.random(in: 0.8...1.2, using: &random)
        case .png, .gif: 0
        }
        let painting = try paint(width: canvasWidth, height: height, grain: grain, materialise: frames > 1, random: &random)
        defer { skein_vips_unref(painting) }

        var toSave = painting
        var ownedToSave: OpaquePointer?
        if frames > 1 {
            var frameImages: [OpaquePointer?] = []
            defer { frameImages.forEach { skein_vips_unref($0) } }
            for frame in 0..<frames {
                var cropped: OpaquePointer?
                try check(skein_vips_crop(painting, Int32(frame * pan), 0, Int32(width), Int32(height), &cropped))
                frameImages.append(cropped)
            }
            var animation: OpaquePointer?
            try check(frameImages.withUnsafeMutableBufferPointer {
                skein_vips_animation($0.baseAddress, Int32(frames), 100, &animation)
            })
            toSave = animation
            ownedToSave = animation
        }
        defer { if let ownedToSave { skein_vips_unref(ownedToSave) } }

        let suffix = switch kind {
        case .jpeg: ".jpg[Q=\(Int.random(in: 80...90, using: &random))]"
        case .png: ".png[compression=6]"
        case .gif: ".gif[effort=1,dither=0]"
        }
        var buffer: UnsafeMutableRawPointer?
        var length = 0
        try check(skein_vips_save_buffer(toSave, suffix, &buffer, &length))
        defer { skein_vips_free(buffer) }
        return Array(UnsafeRawBufferPointer(start: buffer, count: length))
    }

    /// Colour fields at three scales, blended at a reduced size and enlarged once, plus
    /// gaussian grain at full size; an 8-bit sRGB image.
    private static func paint(width: Int, height: Int, grain: Double, materialise: Bool, random: inout SeededRandom) throws -> OpaquePointer? {
        let aspect = Double(height) / Double(width)
        let paintWidth = min(width, 480)
        let paintHeight = max(2, Int(Double(paintWidth) * aspect))
        let scales: [(cells: Int, weight: Double)] = [(3, 0.55), (12, 0.3), (48, 0.15)]
        var sum: OpaquePointer?
        for (cells, weight) in scales {
            let gw = max(2, cells), gh = max(2, Int((Double(cells) * aspect).rounded()))
            var pixels = [UInt8](repeating: 0, count: gw * gh * 3)
            for i in pixels.indices { pixels[i] = UInt8.random(in: 0...255, using: &random) }
            var grid: OpaquePointer?
            try check(skein_vips_from_memory(pixels, Int32(gw), Int32(gh), 3, &grid))
            var field: OpaquePointer?
            let resized = skein_vips_resize_to(grid, Int32(paintWidth), Int32(paintHeight), &field)
            skein_vips_unref(grid)
            try check(resized)
            var weighted: OpaquePointer?
            let result = sum.map { skein_vips_mix($0, 1, field, weight, &weighted) } ?? skein_vips_mix(field, weight, field, 0, &weighted)
            skein_vips_unref(sum)
            skein_vips_unref(field)
            try check(result)
            sum = weighted
        }
        var full: OpaquePointer?
        let enlarged = skein_vips_resize_to(sum, Int32(width), Int32(height), &full)
        skein_vips_unref(sum)
        try check(enlarged)
        if grain > 0 {
            var noise: OpaquePointer?
            try check(skein_vips_grain(Int32(width), Int32(height), grain, Int32(truncatingIfNeeded: random.next() & 0x7FFF_FFFF), &noise))
            var mixed: OpaquePointer?
            let result = skein_vips_mix(full, 1, noise, 1, &mixed)
            skein_vips_unref(full)
            skein_vips_unref(noise)
            try check(result)
            full = mixed
        }
        var final: OpaquePointer?
        let result = skein_vips_to_uchar(full, materialise ? 1 : 0, &final)
        skein_vips_unref(full)
        try check(result)
        return final
    }

    private static func check(_ result: Int32) throws {
        guard result == 0 else {
            let message = skein_vips_error_copy().map { pointer -> String in
                defer { skein_vips_free(pointer) }
                return String(cString: pointer)
            } ?? "unknown error"
            throw Failure(description: "libvips: \(message)")
        }
    }
}
