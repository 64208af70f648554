import Basics
import Downloader
import Foundation
import ImgurAPI
import SafeFiles

/// `--write-metadata`: what the API said of each file, as JSON beside it (`abc1234.jpg.json`),
/// and one line per file in `metadata.jsonl`, which is published when the run ends (a killed
/// run leaves the one before). JSON is written by an encoder, so titles hold anything.
final class Sidecars: Sendable {
    /// The JSON of one file.
    struct Record: Encodable {
        var id: String?
        var title: String?
        var description: String?
        /// ISO 8601, UTC.
        var datetime: String?
        var account: String?
        var albumID: String?
        var albumTitle: String?
        var tags: [String]
        var nsfw: Bool?
        var width: Int?
        var height: Int?
        var size: Int?
        var animated: Bool
        var mp4: String?
        var views: Int?
        var index: Int?
        /// What was downloaded, where it was listed, and the file it is in.
        var url: String
        var source: String?
        var file: String
        var kind: String
        var bytes: Int

        enum CodingKeys: String, CodingKey {
            case id, title, description, datetime, account, tags, nsfw, width, height, size, animated, mp4, views, index
            case url, source, file, kind, bytes
            case albumID = "album_id", albumTitle = "album_title"
        }

        /// Every key on every record, `null` when the API didn't say.
        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(id, forKey: .id)
            try c.encode(title, forKey: .title)
            try c.encode(description, forKey: .description)
            try c.encode(datetime, forKey: .datetime)
            try c.encode(account, forKey: .account)
            try c.encode(albumID, forKey: .albumID)
            try c.encode(albumTitle, forKey: .albumTitle)
            try c.encode(tags, forKey: .tags)
            try c.encode(nsfw, forKey: .nsfw)
            try c.encode(width, forKey: .width)
            try c.encode(height, forKey: .height)
            try c.encode(size, forKey: .size)
            try c.encode(animated, forKey: .animated)
            try c.encode(mp4, forKey: .mp4)
            try c.encode(views, forKey: .views)
            try c.encode(index, forKey: .index)
            try c.encode(url, forKey: .url)
            try c.encode(source, forKey: .source)
            try c.encode(file, forKey: .file)
            try c.encode(kind, forKey: .kind)
            try c.encode(bytes, forKey: .bytes)
        }

        init(_ meta: ItemMetadata?, _ request: DownloadRequest, _ result: DownloadResult) {
            let meta = meta ?? ItemMetadata(id: request.id)
            id = meta.id
            title = meta.title
            description = meta.description
            datetime = meta.datetime.map { Sidecars.iso.string(from: Date(timeIntervalSince1970: TimeInterval($0))) }
            account = meta.account
            albumID = meta.albumID
            albumTitle = meta.albumTitle
            tags = meta.tags
            nsfw = meta.nsfw
            width = meta.width
            height = meta.height
            size = meta.size
            animated = meta.animated
            mp4 = meta.mp4
            views = meta.views
            index = meta.index
            url = request.url
            source = request.source
            file = result.file
            kind = result.kind
            bytes = result.bytes
        }
    }

    nonisolated(unsafe) static let iso: ISO8601DateFormatter = {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter
    }()

    private let folder: String
    private struct State {
        var lines: StagedFile?
        var failure: String?
        let encoder: JSONEncoder = {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            return encoder
        }()
    }
    private let state: Locked<State>

    /// - Throws: `PipelineError` when the folder can't take the staged `metadata.jsonl`.
    init(folder: String) throws(PipelineError) {
        self.folder = folder
        do {
            state = Locked(State(lines: try StagedFile(in: folder)))
        } catch {
            throw PipelineError(.configuration, "cannot write metadata in \(folder): \(error.description)")
        }
    }

    /// Writes `<file>.json` and the file's line of `metadata.jsonl`.
    /// - Returns: a one-line reason when it could not.
    func write(_ meta: ItemMetadata?, _ request: DownloadRequest, _ result: DownloadResult) -> String? {
        state.withLock { state in
            guard let data = try? state.encoder.encode(Record(meta, request, result)) else { return "cannot encode its metadata" }
            do throws(FileError) {
                let sidecar = try StagedFile(in: folder)
                try sidecar.write(Array(data))
                try sidecar.publishReplacing(as: result.file + ".json")
                var line = data
                line.append(0x0A)
                try state.lines?.write(Array(line))
                return nil
            } catch {
                return "cannot write \(result.file).json: \(error.description)"
            }
        }
    }

    /// Publishes `metadata.jsonl` (replacing the one an earlier run wrote).
    func finish() -> String? {
        state.withLock { state in
            defer { state.lines = nil }
            do throws(FileError) { try state.lines?.publishReplacing(as: "metadata.jsonl") } catch {
                return "cannot write metadata.jsonl: \(error.description)"
            }
            return nil
        }
    }
}
