import CThumbs
import CVips
import SafeFiles

/// Makes one thumbnail: fitted into a box with the aspect ratio kept, never enlarged, EXIF
/// orientation applied, Lanczos-3, written atomically beside the original as
/// `<stem>_thumbnail<suffix>` (or into another folder). The direct backend decodes JPEG at a
/// reduced DCT scale with TurboJPEG, PNG over libdeflate and GIF with giflib; libvips takes what
/// they don't (and everything with `.libvips`).
///
/// Safe to call from many threads at once: each call is independent.
package struct Thumbnailer: Sendable, Codable, Hashable {
    package var spec: ThumbnailSpec
    /// Where thumbnails go; nil puts each beside its original.
    package var outputDirectory: String?
    /// Which code decodes, resizes and encodes.
    package var backend: ThumbnailBackend
    /// With `outputDirectory`: the folder the originals are under, whose subfolders the
    /// thumbnails keep (`A/1.jpg` → `OUT/A/1_thumbnail.jpg`, apart from `B/1.jpg`'s).
    package var sourceRoot: String? = nil

    package init(spec: ThumbnailSpec = .standard, outputDirectory: String? = nil, backend: ThumbnailBackend = .direct) {
        self.spec = spec
        self.outputDirectory = outputDirectory
        self.backend = backend
    }

    /// The marker every thumbnail name carries before its suffix.
    package static let marker = "_thumbnail"

    /// `photo.jpg` → `photo_thumbnail.jpg`; a video's is a JPEG: `clip.mp4` → `clip_thumbnail.jpg`.
    package static func thumbnailName(for name: String) -> String {
        let (stem, ext) = FileName.split(name)
        return stem + marker + (ext.lowercased() == ".mp4" ? ".jpg" : ext)
    }

    /// True for names this tool produced (so a second run doesn't thumbnail thumbnails).
    package static func isThumbnailName(_ name: String) -> Bool {
        FileName.split(name).stem.hasSuffix(marker)
    }

    /// Makes the thumbnail of the image at `path`.
    /// - Returns: where it was written and its size.
    /// - Throws: `ThumbnailError` naming the file: empty, not an image, too many pixels,
    ///   corrupt or truncated, or not writable.
    package func makeThumbnail(of path: String) throws(ThumbnailError) -> ThumbnailResult {
        var sniffed: ImageKind?
        if backend == .direct, let made = try makeDirect(of: path, sniffed: &sniffed) { return made }
        // A video's bytes are let go before FFmpeg reads the file itself.
        if sniffed?.isVideo == true { return try makeVideoThumbnail(of: path) }
        return try makeWithLibvips(of: path, kind: sniffed)
    }

    /// The direct path: the file read once, its kind sniffed from those bytes (into `sniffed`);
    /// nil when this path doesn't take it (a video, or what libvips must do).
    private func makeDirect(of path: String, sniffed: inout ImageKind?) throws(ThumbnailError) -> ThumbnailResult? {
        guard let bytes = try SourceFile.read(path) else { return nil }
        let kind = try Self.kind(of: bytes.prefix(64), path: path)
        sniffed = kind
        if kind.isVideo { return nil }
        // Array.withUnsafeBytes rethrows untyped; the closure only throws ThumbnailError.
        let made: Result<ThumbnailResult?, ThumbnailError> = bytes.withUnsafeBytes { raw in
            Result { () throws(ThumbnailError) -> ThumbnailResult? in
                guard let thumbnail = try DirectThumbnail.make(raw, kind: kind, spec: spec, path: path) else { return nil }
                var made = try publish(thumbnail.bytes, width: thumbnail.width, height: thumbnail.height, for: path, by: .direct)
                made.note = thumbnail.note
                return made
            }
        }
        return try made.get()
    }

    /// libvips' `thumbnail`: the `.libvips` backend, and what the direct path hands over
    /// (its `kind` already sniffed).
    private func makeWithLibvips(of path: String, kind sniffed: ImageKind?) throws(ThumbnailError) -> ThumbnailResult {
        let kind: ImageKind
        if let sniffed { kind = sniffed } else { kind = try Self.kind(ofFileAt: path) }
        // A video needs FFmpeg, not libvips (over 256 MB, or with the libvips backend).
        if kind.isVideo { return try makeVideoThumbnail(of: path) }
        try Vips.start()
        let probe = try checkedProbe(of: path)

        var made = try vipsThumbnail(path, kind: kind, toSRGB: probe.hasColourProfile && !probe.colourProfileBroken) { bytes, width, height
            throws(ThumbnailError) in try publish(bytes, width: width, height: height, for: path, by: .libvips)
        }
        if probe.colourProfileBroken { made.note = "the embedded ICC profile is broken: ignored, the image taken as sRGB" }
        return made
    }

    /// Decodes the file with libvips, as a thumbnail that is not kept (`DecodeVerifier`).
    func decodeWithLibvips(_ path: String, kind: ImageKind) throws(ThumbnailError) {
        try Vips.start()
        try vipsThumbnail(path, kind: kind, toSRGB: false) { _, _, _ in }
    }

    /// libvips' `thumbnail` of `path`, encoded as `kind`, handed to `body` (the buffer is
    /// freed after).
    private func vipsThumbnail<T>(_ path: String, kind: ImageKind, toSRGB: Bool,
                                  _ body: (UnsafeRawBufferPointer, Int, Int) throws(ThumbnailError) -> T) throws(ThumbnailError) -> T {
        var buffer: UnsafeMutableRawPointer?
        var length = 0
        var width: Int32 = 0, height: Int32 = 0
        guard skein_vips_thumbnail(path, Int32(spec.width), Int32(spec.height), 1, toSRGB ? 1 : 0,
                                   Self.saveSuffix(for: kind, quality: spec.jpegQuality),
                                   &buffer, &length, &width, &height) == 0, let buffer else {
            throw ThumbnailError(.corrupt, path: path, message: "cannot decode: \(Vips.lastError())")
        }
        defer { skein_vips_free(buffer) }
        return try body(UnsafeRawBufferPointer(start: buffer, count: length), Int(width), Int(height))
    }

    /// Writes an encoded thumbnail under its final name, atomically.
    private func publish(_ encoded: UnsafeRawBufferPointer, width: Int, height: Int, for path: String,
                         by backend: ThumbnailBackend) throws(ThumbnailError) -> ThumbnailResult {
        let (folder, name) = Self.splitPath(path)
        var targetFolder = outputDirectory ?? folder
        if let outputDirectory, let root = sourceRoot, folder.hasPrefix(root + "/") {
            let relative = String(folder.dropFirst(root.count + 1))
            targetFolder = outputDirectory + "/" + relative
            do { try StagedFile.makeFolders(for: relative + "/" + name, in: outputDirectory) } catch {
                throw ThumbnailError(.write, path: path, message: error.description)
            }
        }
        let targetName = Self.thumbnailName(for: name)
        do {
            let file = try StagedFile(in: targetFolder)
            try file.write(encoded)
            try file.publishReplacing(as: targetName)
        } catch {
            throw ThumbnailError(.write, path: path, message: error.description)
        }
        return ThumbnailResult(source: path, output: targetFolder + "/" + targetName,
                               width: width, height: height, bytes: encoded.count, backend: backend)
    }

    private static func kind(of head: some Collection<UInt8>, path: String) throws(ThumbnailError) -> ImageKind {
        if head.isEmpty { throw ThumbnailError(.emptyFile, path: path, message: "empty file (0 bytes)") }
        guard let kind = ImageKind.sniff(head) else {
            throw ThumbnailError(.notAnImage, path: path,
                                 message: "not an image: the file holds \(ImageKind.describe(head))")
        }
        return kind
    }

    private static func kind(ofFileAt path: String) throws(ThumbnailError) -> ImageKind {
        guard let head = ImageKind.head(ofFile: path) else {
            throw ThumbnailError(.unreadable, path: path, message: "cannot open the file")
        }
        return try kind(of: head, path: path)
    }

    /// The file's header, once its pixels are known to be within the limit.
    private func checkedProbe(of path: String) throws(ThumbnailError) -> ImageProbe {
        let probe = try ImageProbe(path: path)
        // Only the first frame is decoded for a thumbnail, and one frame's pixels are what a
        // bomb inflates.
        if probe.width * probe.height > spec.maxPixels {
            throw Self.tooManyPixels(path: path, width: probe.width, height: probe.height, limit: spec.maxPixels)
        }
        return probe
    }

    static func tooManyPixels(path: String, width: Int, height: Int, limit: Int) -> ThumbnailError {
        ThumbnailError(.tooManyPixels, path: path,
                       message: "refused: \(width)x\(height) is \(width * height) pixels, over the limit of \(limit) (--max-pixels)")
    }

    static func video(_ path: String) -> ThumbnailError {
        ThumbnailError(.notAnImage, path: path, message: "a video: not decoded as an image (its thumbnail comes from its first frame)")
    }

    /// A video's first frame, as a JPEG thumbnail (FFmpeg's libraries, loaded on first use).
    private func makeVideoThumbnail(of path: String) throws(ThumbnailError) -> ThumbnailResult {
        var request = skein_thumb_request(box_width: Int32(spec.width), box_height: Int32(spec.height),
                                          max_pixels: Int64(spec.maxPixels), jpeg_quality: Int32(spec.jpegQuality))
        var result = skein_thumb_result()
        let status = skein_thumb_video(path, &request, &result)
        defer { skein_thumb_free(result.data) }
        let message = withUnsafeBytes(of: result.message) { raw in String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self) }
        switch status {
        case SKEIN_THUMB_OK:
            guard let data = result.data else { throw ThumbnailError(.library, path: path, message: "the encoder returned no bytes") }
            return try publish(UnsafeRawBufferPointer(start: data, count: result.length), width: Int(result.width),
                               height: Int(result.height), for: path, by: .direct)
        case SKEIN_THUMB_NO_DECODER: throw ThumbnailError(.noVideoDecoder, path: path, message: message)
        case SKEIN_THUMB_TOO_MANY_PIXELS:
            throw Self.tooManyPixels(path: path, width: Int(result.source_width), height: Int(result.source_height), limit: spec.maxPixels)
        case SKEIN_THUMB_NO_MEMORY: throw ThumbnailError(.library, path: path, message: message)
        default: throw ThumbnailError(.corrupt, path: path, message: message)
        }
    }

    static func saveSuffix(for kind: ImageKind, quality: Int) -> String {
        switch kind {
        case .jpeg, .mp4: ".jpg[Q=\(quality),strip]"
        case .png: ".png[compression=6,strip]"
        case .gif: ".gif[effort=1]"
        }
    }

    static func splitPath(_ path: String) -> (folder: String, name: String) {
        guard let slash = path.lastIndex(of: "/") else { return (".", path) }
        let folder = String(path[..<slash])
        return (folder.isEmpty ? "/" : folder, String(path[path.index(after: slash)...]))
    }
}

/// One thumbnail made.
package struct ThumbnailResult: Sendable, Codable, Hashable {
    package var source: String
    package var output: String
    package var width: Int
    package var height: Int
    package var bytes: Int
    /// The code that made it: `.direct`, or `.libvips` (asked for, or taking over a file the
    /// direct path doesn't handle).
    package var backend: ThumbnailBackend
    /// A benign oddity of the source decoded through (junk between JPEG markers, a broken
    /// ICC profile, a GIF without a colour table), in one line.
    package var note: String? = nil
}
