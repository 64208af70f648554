import Foundation
import NIOCore

/// Generated corpora saved on disk, so a second `skein demo` or `skein bench` starts at once.
/// One file per spec: a JSON header line, then the images' bytes back to back. Written to a
/// temporary name and renamed, so a reader never sees half a file; anything unreadable is
/// simply generated again.
struct CorpusStore {
    /// Bumped whenever generation changes, so stale files are never served.
    static let version = 5
    let folder: String

    struct Header: Codable {
        var version: Int
        var spec: CorpusSpec
        var images: [Image]
        var entries: [GalleryEntry]
        var removedPNGLength: Int
        var seconds: Double
    }

    struct Image: Codable {
        var id: String
        var kind: CorpusImage.Kind
        var animated: Bool
        var width: Int
        var height: Int
        var title: String
        var datetime: Int
        var typeless: Bool
        var length: Int
        /// The mp4 and the preview follow the image's bytes.
        var videoLength: Int?
        var videoPending: Bool?
        var previewLength: Int?
    }

    func path(for spec: CorpusSpec) -> String {
        let key = "\(Self.version)-\(spec.items)-\(spec.seed)-\(spec.jpegWidths)-\(spec.pngWidths)-\(spec.gifWidths)-\(spec.pngShare)-\(spec.gifShare)-\(spec.albumShare)-\(spec.videos && VideoMaker.ffmpeg != nil)"
        var hash: UInt64 = 0xcbf29ce484222325
        for byte in key.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100000001b3 }
        return folder + "/corpus-\(spec.items)-\(spec.seed)-" + String(hash, radix: 16) + ".bin"
    }

    func load(_ spec: CorpusSpec) -> Corpus? {
        guard let data = FileManager.default.contents(atPath: path(for: spec)),
              let newline = data.firstIndex(of: 0x0A),
              let header = try? JSONDecoder().decode(Header.self, from: data[..<newline]),
              header.version == Self.version, header.spec == spec else { return nil }
        var offset = newline + 1
        var images: [CorpusImage] = []
        func take(_ length: Int?) -> ByteBuffer?? {
            guard let length else { return .some(nil) }
            guard length >= 0, offset + length <= data.count else { return nil }
            defer { offset += length }
            return ByteBuffer(bytes: data[offset..<(offset + length)])
        }
        for image in header.images {
            guard let bytes = take(image.length), let bytes, let video = take(image.videoLength),
                  let preview = take(image.previewLength) else { return nil }
            images.append(CorpusImage(id: image.id, kind: image.kind, animated: image.animated, width: image.width,
                                      height: image.height, title: image.title, datetime: image.datetime,
                                      typeless: image.typeless, bytes: bytes, video: video,
                                      videoPending: image.videoPending ?? false, preview: preview))
        }
        guard offset + header.removedPNGLength == data.count else { return nil }
        return Corpus(spec: spec, images: images, entries: header.entries, seconds: 0,
                      removedPNG: ByteBuffer(bytes: data[offset...]))
    }

    func save(_ corpus: Corpus) {
        let header = Header(version: Self.version, spec: corpus.spec, images: corpus.images.map {
            Image(id: $0.id, kind: $0.kind, animated: $0.animated, width: $0.width, height: $0.height, title: $0.title,
                  datetime: $0.datetime, typeless: $0.typeless, length: $0.bytes.readableBytes,
                  videoLength: $0.video?.readableBytes, videoPending: $0.videoPending, previewLength: $0.preview?.readableBytes)
        }, entries: corpus.entries, removedPNGLength: corpus.removedPNG.readableBytes, seconds: corpus.generationSeconds)
        guard var data = try? JSONEncoder().encode(header) else { return }
        data.append(0x0A)
        for image in corpus.images {
            data.append(contentsOf: image.bytes.readableBytesView)
            if let video = image.video { data.append(contentsOf: video.readableBytesView) }
            if let preview = image.preview { data.append(contentsOf: preview.readableBytesView) }
        }
        data.append(contentsOf: corpus.removedPNG.readableBytesView)
        try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try? data.write(to: URL(fileURLWithPath: path(for: corpus.spec)), options: .atomic)
    }

    /// `$XDG_CACHE_HOME/skein`, else `~/.cache/skein`.
    static var defaultFolder: String {
        let environment = ProcessInfo.processInfo.environment
        if let xdg = environment["XDG_CACHE_HOME"], !xdg.isEmpty { return xdg + "/skein" }
        return NSHomeDirectory() + "/.cache/skein"
    }
}

extension CorpusCache {
    /// Where corpora are kept on disk by default.
    package static var defaultDiskCache: String { CorpusStore.defaultFolder }
}

extension CorpusCache {
    /// The corpus saved in `folder` for `spec`, if a complete one is there.
    package static func stored(_ spec: CorpusSpec, in folder: String) -> Corpus? {
        CorpusStore(folder: folder).load(spec)
    }
}
