import CThumbs
import CVips
import Foundation
import GalleryServer
import NIOCore
import SafeFiles
import SkeinTesting
import Testing
import Thumbnailer

/// The direct path (TurboJPEG, PNG over libdeflate, giflib, our Lanczos-3) checked against
/// libvips, an independent implementation, on the same files.
@Suite("Direct thumbnails")
struct DirectThumbnailTests {
    static func write(_ bytes: [UInt8], to path: String) {
        _ = FileManager.default.createFile(atPath: path, contents: Data(bytes))
    }

    /// Encodes interleaved 8-bit pixels with libvips (`suffix` like ".png[interlace]"), after
    /// converting them to the ICC profile `profile` (like "cmyk") when one is given.
    static func encode(_ pixels: [UInt8], width: Int, height: Int, bands: Int, to profile: String? = nil,
                       as suffix: String) throws -> [UInt8] {
        try Vips.start()
        var image: OpaquePointer?, converted: OpaquePointer?
        try #require(skein_vips_from_memory(pixels, Int32(width), Int32(height), Int32(bands), &image) == 0)
        defer { skein_vips_unref(image); skein_vips_unref(converted) }
        if let profile { try #require(skein_vips_icc_transform(image, profile, &converted) == 0) }
        var buffer: UnsafeMutableRawPointer?
        var length = 0
        try #require(skein_vips_save_buffer(converted ?? image, suffix, &buffer, &length) == 0)
        defer { skein_vips_free(buffer) }
        return Array(UnsafeRawBufferPointer(start: buffer, count: length))
    }

    /// `jpeg` with an EXIF segment declaring `orientation`, in either byte order.
    static func withOrientation(_ jpeg: [UInt8], _ orientation: UInt8, bigEndian: Bool) -> [UInt8] {
        let tiff: [UInt8] = bigEndian
            ? [0x4D, 0x4D, 0, 42, 0, 0, 0, 8, 0, 1, 0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, orientation, 0, 0, 0, 0, 0, 0]
            : [0x49, 0x49, 42, 0, 8, 0, 0, 0, 1, 0, 0x12, 0x01, 3, 0, 1, 0, 0, 0, orientation, 0, 0, 0, 0, 0, 0, 0]
        let body = Array("Exif".utf8) + [0, 0] + tiff
        let size = body.count + 2
        return [0xFF, 0xD8, 0xFF, 0xE1, UInt8(size >> 8), UInt8(size & 0xFF)] + body + jpeg.dropFirst(2)
    }

    static func thumbnail(_ path: String, into folder: String, box: Int = 128, backend: ThumbnailBackend) throws -> ThumbnailResult {
        try Thumbnailer(spec: ThumbnailSpec(width: box, height: box), outputDirectory: folder, backend: backend)
            .makeThumbnail(of: path)
    }

    @Test("direct thumbnails match libvips' on every kind of the corpus, and take the direct path")
    func matchesLibvips() async throws {
        try await TemporaryFolder.with { folder in
            let images = try await ThumbnailTests.seed(folder, count: 20)
            #expect(Set(images.map(\.kind)).count == 3)
            try FileManager.default.createDirectory(atPath: folder + "/direct", withIntermediateDirectories: true)
            try FileManager.default.createDirectory(atPath: folder + "/vips", withIntermediateDirectories: true)
            for image in images {
                let source = folder + "/" + image.fileName
                let direct = try Self.thumbnail(source, into: folder + "/direct", backend: .direct)
                let vips = try Self.thumbnail(source, into: folder + "/vips", backend: .libvips)
                #expect(direct.backend == .direct && vips.backend == .libvips)
                #expect(direct.width == vips.width && direct.height == vips.height, "\(image.fileName)")
                #expect(ImageKind.sniff(bytes(of: direct.output) ?? [])?.rawValue == image.kind.rawValue)
                let a = try ImagePixels(path: direct.output), b = try ImagePixels(path: vips.output)
                let difference = try #require(a.meanDifference(from: b))
                // Different resamplers and encoders differ by a few levels; GIFs are dithered
                // onto a palette by both, with different palettes and noise.
                let limit = image.kind == .gif ? 14.0 : 5.0
                #expect(difference < limit, "\(image.fileName): mean difference \(difference)")
            }
        }
    }

    @Test("EXIF orientation is applied, in both byte orders", arguments: [(UInt8(6), true), (8, false), (3, true), (1, false)])
    func orientation(orientation: UInt8, bigEndian: Bool) async throws {
        try await TemporaryFolder.with { folder in
            let images = try await ThumbnailTests.seed(folder, count: 20)
            let jpeg = try #require(images.first { $0.kind == .jpeg && $0.width > $0.height * 5 / 4 })
            let bytes = Self.withOrientation(Array(jpeg.bytes.readableBytesView), orientation, bigEndian: bigEndian)
            #expect(bytes.withUnsafeBufferPointer { skein_thumb_jpeg_orientation($0.baseAddress, $0.count) } == Int32(orientation))
            let source = folder + "/turned.jpg"
            Self.write(bytes, to: source)
            try FileManager.default.createDirectory(atPath: folder + "/vips", withIntermediateDirectories: true)
            let direct = try Self.thumbnail(source, into: folder, backend: .direct)
            let vips = try Self.thumbnail(source, into: folder + "/vips", backend: .libvips)
            let turned = orientation >= 5
            #expect(direct.backend == .direct)
            #expect(turned ? direct.height > direct.width : direct.width > direct.height)
            #expect(direct.width == vips.width && direct.height == vips.height)
            let difference = try #require(try ImagePixels(path: direct.output).meanDifference(from: ImagePixels(path: vips.output)))
            #expect(difference < 5.0, "mean difference \(difference)")
        }
    }

    @Test("a flat colour stays exactly that colour through box reduction and Lanczos-3")
    func flatColour() async throws {
        try await TemporaryFolder.with { folder in
            let (w, h) = (333, 211)
            let pixels = (0..<(w * h)).flatMap { _ -> [UInt8] in [10, 200, 30] }
            Self.write(try Self.encode(pixels, width: w, height: h, bands: 3, as: ".png"), to: folder + "/flat.png")
            let result = try Self.thumbnail(folder + "/flat.png", into: folder, box: 50, backend: .direct)
            #expect(result.width == 50 && result.height == 32)
            let thumb = try ImagePixels(path: result.output)
            #expect(thumb.bands == 3)
            for y in 0..<thumb.height { for x in 0..<thumb.width {
                let p = thumb.pixel(x: x, y: y)
                #expect(p.elementsEqual([10, 200, 30]), "(\(x), \(y)): \(Array(p))")
            } }
        }
    }

    @Test("a tall thin image averages right: sums past 2^32 for RGBA, blocks past 65,536 pixels", arguments: [1, 4])
    func tallThin(bands: Int) async throws {
        try await TemporaryFolder.with { folder in
            // 1 x 140,000 into a 1x1 box: one block of 70,000 rows after the box reduction,
            // where alpha-weighted sums (255 x 255 x rows) no longer fit in 32 bits.
            let height = 140_000
            let pixels = [UInt8](repeating: 255, count: height * bands)
            Self.write(try Self.encode(pixels, width: 1, height: height, bands: bands, as: ".png"), to: folder + "/tall.png")
            let result = try Thumbnailer(spec: ThumbnailSpec(width: 1, height: 1), outputDirectory: folder, backend: .direct)
                .makeThumbnail(of: folder + "/tall.png")
            #expect(result.backend == .direct && result.width == 1 && result.height == 1)
            let thumb = try ImagePixels(path: result.output)
            #expect(thumb.samples.allSatisfy { $0 == 255 }, "\(thumb.samples)")
        }
    }

    @Test("transparent pixels stay transparent and lend no colour, in PNG and GIF", arguments: [".png", ".gif"])
    func transparency(suffix: String) async throws {
        try await TemporaryFolder.with { folder in
            let (w, h) = (400, 200)
            var pixels = [UInt8](repeating: 0, count: w * h * 4)
            for y in 0..<h { for x in (w / 2)..<w {
                pixels.replaceSubrange(((y * w + x) * 4)..<((y * w + x) * 4 + 4), with: [220, 30, 40, 255])
            } }
            let source = folder + "/half" + suffix
            Self.write(try Self.encode(pixels, width: w, height: h, bands: 4, as: suffix), to: source)
            let result = try Self.thumbnail(source, into: folder, box: 64, backend: .direct)
            #expect(result.backend == .direct && result.width == 64 && result.height == 32)
            let thumb = try ImagePixels(path: result.output)
            #expect(thumb.bands == 4)
            #expect(thumb.pixel(x: 3, y: 16).last == 0)
            let opaque = thumb.pixel(x: 60, y: 16)
            #expect(opaque.last == 255)
            // Every visible pixel is the red, edge ones too: premultiplied filtering keeps the
            // transparent black from darkening the border. (Below alpha 32 of 255, 8-bit
            // premultiplied samples are too coarse to hold a colour, and nobody sees it.)
            for x in 0..<thumb.width {
                let p = Array(thumb.pixel(x: x, y: 16))
                if p[3] >= 32 { #expect(abs(Int(p[0]) - 220) <= 8 && abs(Int(p[1]) - 30) <= 8, "x \(x): \(p)") }
            }
            #expect(abs(Int(opaque[opaque.startIndex]) - 220) <= 3 && abs(Int(opaque[opaque.startIndex + 1]) - 30) <= 3)
        }
    }

    @Test("what the direct path doesn't handle (an interlaced PNG) is made by libvips")
    func fallback() async throws {
        try await TemporaryFolder.with { folder in
            let (w, h) = (300, 150)
            let pixels = (0..<(w * h)).flatMap { i -> [UInt8] in [UInt8(i % 251), UInt8(i % 241), 90] }
            Self.write(try Self.encode(pixels, width: w, height: h, bands: 3, as: ".png[interlace]"), to: folder + "/interlaced.png")
            let result = try Self.thumbnail(folder + "/interlaced.png", into: folder, box: 100, backend: .direct)
            #expect(result.backend == .libvips)
            #expect(result.width == 100 && result.height == 50)
        }
    }

    @Test("colour-managed JPEGs (an ICC profile, CMYK) go to libvips and come out as sRGB")
    func colourManaged() async throws {
        try await TemporaryFolder.with { folder in
            let (w, h) = (300, 200)
            let colour: [UInt8] = [200, 100, 50]
            let pixels = (0..<(w * h)).flatMap { _ in colour }
            // The same bytes labelled sRGB and Display P3: the P3 ones are a more saturated
            // orange, so their sRGB thumbnail must have more red and less blue.
            Self.write(try Self.encode(pixels, width: w, height: h, bands: 3, as: ".jpg[Q=95,profile=srgb]"), to: folder + "/srgb.jpg")
            Self.write(try Self.encode(pixels, width: w, height: h, bands: 3, as: ".jpg[Q=95,profile=p3]"), to: folder + "/p3.jpg")
            Self.write(try Self.encode(pixels, width: w, height: h, bands: 3, to: "cmyk", as: ".jpg[Q=95]"), to: folder + "/cmyk.jpg")
            var centre: [String: [UInt8]] = [:]
            for name in ["srgb", "p3", "cmyk"] {
                let result = try Self.thumbnail(folder + "/\(name).jpg", into: folder, box: 60, backend: .direct)
                #expect(result.backend == .libvips, "\(name)")
                #expect(result.width == 60 && result.height == 40, "\(name)")
                let thumb = try ImagePixels(path: result.output)
                #expect(thumb.bands == 3, "\(name): \(thumb.bands) bands")
                centre[name] = Array(thumb.pixel(x: 30, y: 20))
            }
            let srgb = try #require(centre["srgb"]), p3 = try #require(centre["p3"]), cmyk = try #require(centre["cmyk"])
            #expect(zip(srgb, colour).allSatisfy { abs(Int($0) - Int($1)) <= 3 }, "\(srgb)")
            #expect(Int(p3[0]) > Int(srgb[0]) + 5 && Int(p3[2]) < Int(srgb[2]) - 5, "p3 \(p3) against srgb \(srgb)")
            // Through CMYK and back: close to where it started.
            #expect(zip(cmyk, colour).allSatisfy { abs(Int($0) - Int($1)) <= 12 }, "\(cmyk)")
        }
    }

    @Test("grey JPEGs stay grey")
    func greyJPEG() async throws {
        try await TemporaryFolder.with { folder in
            let (w, h) = (640, 480)
            let pixels = (0..<(w * h)).map { i in UInt8((i % w) * 255 / w) }
            Self.write(try Self.encode(pixels, width: w, height: h, bands: 1, as: ".jpg"), to: folder + "/grey.jpg")
            let result = try Self.thumbnail(folder + "/grey.jpg", into: folder, backend: .direct)
            #expect(result.backend == .direct && result.width == 128 && result.height == 96)
            let thumb = try ImagePixels(path: result.output)
            #expect(thumb.bands == 1)
            // A left-to-right ramp: dark on the left, bright on the right.
            #expect(thumb.pixel(x: 4, y: 48).first! < 20 && thumb.pixel(x: 123, y: 48).first! > 235)
        }
    }

    @Test("damaged PNGs, GIFs and JPEG headers fail with the cause named, and leave nothing behind")
    func damaged() async throws {
        try await TemporaryFolder.with { folder in
            let images = try await ThumbnailTests.seed(folder, count: 20)
            let png = Array(try #require(images.first { $0.kind == .png }).bytes.readableBytesView)
            let gif = Array(try #require(images.first { $0.kind == .gif }).bytes.readableBytesView)
            var flipped = png
            flipped[png.count / 2] ^= 0x5A
            let samples: [(String, [UInt8], String)] = [
                ("crc.png", flipped, "CRC"),
                ("cut.png", Array(png.prefix(png.count * 2 / 3)), "truncated"),
                ("cut.gif", Array(gif.prefix(gif.count / 3)), "cannot decode"),
                ("header.gif", Array(gif.prefix(12)), "header"),
                // TurboJPEG calls this header a success with a warning and leaves the size
                // unset; it once came out as "too many pixels", or not, at random.
                ("app0.jpg", [0xFF, 0xD8, 0xFF, 0xE0] + [UInt8](repeating: 0x42, count: 500), "cannot read the header"),
            ]
            let out = folder + "/out"
            try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
            for (name, bytes, cause) in samples {
                Self.write(bytes, to: folder + "/" + name)
                let error = try #require(throws: ThumbnailError.self) {
                    try Self.thumbnail(folder + "/" + name, into: out, backend: .direct)
                }
                #expect(error.code == .corrupt, "\(name): \(error)")
                #expect(error.description.contains(name) && error.message.contains(cause), "\(name): \(error)")
                #expect(!error.description.contains("\n"))
            }
            #expect(TemporaryFolder.files(in: out).isEmpty)
        }
    }
}
