import CVips
import SafeFiles

/// Makes one thumbnail with libvips: shrink-on-load, fitted into a box with the aspect ratio
/// kept, never enlarged, EXIF orientation applied, written atomically beside the original as
/// `<stem>_thumbnail<suffix>` (or into another folder).
///
/// Safe to call from many threads at once: each call is independent.
public struct Thumbnailer: Sendable, Codable, Hashable {
    public var spec: ThumbnailSpec
    /// Where thumbnails go; nil puts each beside its original.
    public var outputDirectory: String?

    public init(spec: ThumbnailSpec = .standard, outputDirectory: String? = nil) {
        self.spec = spec
        self.outputDirectory = outputDirectory
    }

    /// The marker every thumbnail name carries before its suffix.
    public static let marker = "_thumbnail"

    /// `photo.jpg` → `photo_thumbnail.jpg`.
    public static func thumbnailName(for name: String) -> String {
        let (stem, ext) = FileName.split(name)
        return stem + marker + ext
    }

    /// True for names this tool produced (so a second run doesn't thumbnail thumbnails).
    public static func isThumbnailName(_ name: String) -> Bool {
        FileName.split(name).stem.hasSuffix(marker)
    }

    /// Makes the thumbnail of the image at `path`.
    /// - Returns: where it was written and its size.
    /// - Throws: `ThumbnailError` naming the file: empty, not an image, too many pixels,
    ///   corrupt or truncated, or not writable.
    public func makeThumbnail(of path: String) throws(ThumbnailError) -> ThumbnailResult {
        try Vips.start()
        let kind = try checkedKind(of: path)
        try checkPixels(of: path)

        var buffer: UnsafeMutableRawPointer?
        var length = 0
        var width: Int32 = 0, height: Int32 = 0
        let saveOptions = Self.saveSuffix(for: kind, quality: spec.jpegQuality)
        guard skein_vips_thumbnail(path, Int32(spec.width), Int32(spec.height), 1, saveOptions,
                                   &buffer, &length, &width, &height) == 0, let buffer else {
            throw ThumbnailError(.corrupt, path: path, message: "cannot decode: \(Vips.lastError())")
        }
        defer { skein_vips_free(buffer) }

        let (folder, name) = Self.splitPath(path)
        let targetFolder = outputDirectory ?? folder
        let targetName = Self.thumbnailName(for: name)
        do {
            let file = try StagedFile(in: targetFolder)
            try file.write(UnsafeRawBufferPointer(start: buffer, count: length))
            try file.publishReplacing(as: targetName)
        } catch {
            throw ThumbnailError(.write, path: path, message: error.description)
        }
        return ThumbnailResult(source: path, output: targetFolder + "/" + targetName,
                               width: Int(width), height: Int(height), bytes: length)
    }

    private func checkedKind(of path: String) throws(ThumbnailError) -> ImageKind {
        guard let head = ImageKind.head(ofFile: path) else {
            throw ThumbnailError(.unreadable, path: path, message: "cannot open the file")
        }
        if head.isEmpty { throw ThumbnailError(.emptyFile, path: path, message: "empty file (0 bytes)") }
        guard let kind = ImageKind.sniff(head) else {
            throw ThumbnailError(.notAnImage, path: path,
                                 message: "not an image: the file holds \(ImageKind.describe(head))")
        }
        return kind
    }

    private func checkPixels(of path: String) throws(ThumbnailError) {
        let probe = try ImageProbe(path: path)
        // Only the first frame is decoded for a thumbnail, and one frame's pixels are what a
        // bomb inflates.
        let pixels = probe.width * probe.height
        if pixels > spec.maxPixels {
            throw ThumbnailError(.tooManyPixels, path: path,
                                 message: "refused: \(probe.width)x\(probe.height) is \(pixels) pixels, over the limit of \(spec.maxPixels) (--max-pixels)")
        }
    }

    static func saveSuffix(for kind: ImageKind, quality: Int) -> String {
        switch kind {
        case .jpeg: ".jpg[Q=\(quality),strip]"
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
public struct ThumbnailResult: Sendable, Codable, Hashable {
    public var source: String
    public var output: String
    public var width: Int
    public var height: Int
    public var bytes: Int
}
