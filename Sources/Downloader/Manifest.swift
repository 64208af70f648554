import Crypto
import Foundation
import Locking

/// What a folder holds, as far as Skein has finished writing it: one JSON line per completed
/// download (`id`, `url`, `file`, `bytes`, `sha256`) in `.skein-manifest.jsonl`.
///
/// A line is appended with one `write(2)` on a file opened for appending, after the file is
/// published, so a crash leaves at worst a last line cut short, which `load()` skips. A rerun
/// trusts a line only if the file is still there with that size and hash.
public final class Manifest: Sendable {
    public static let fileName = ".skein-manifest.jsonl"

    public struct Entry: Codable, Sendable, Hashable {
        public var id: String?
        public var url: String
        public var file: String
        public var bytes: Int
        public var sha256: String

        public init(id: String?, url: String, file: String, bytes: Int, sha256: String) {
            self.id = id
            self.url = url
            self.file = file
            self.bytes = bytes
            self.sha256 = sha256
        }
    }

    /// The state of a file a line describes.
    public enum Check: Sendable, Equatable {
        case intact
        case missing
        /// There, but not the bytes that were downloaded.
        case corrupt(String)
    }

    public let folder: String
    private let appending = Locked<Void>(())

    public init(folder: String) { self.folder = folder }

    public var path: String { folder + "/" + Self.fileName }

    /// Entries by URL (a later line for the same URL wins); unreadable lines are skipped.
    public func load() -> [String: Entry] {
        guard let data = FileManager.default.contents(atPath: path) else { return [:] }
        var entries: [String: Entry] = [:]
        let decoder = JSONDecoder()
        for line in data.split(separator: 0x0A) {
            if let entry = try? decoder.decode(Entry.self, from: Data(line)) { entries[entry.url] = entry }
        }
        return entries
    }

    /// Records a completed download.
    public func append(_ entry: Entry) {
        guard var line = try? JSONEncoder().encode(entry) else { return }
        line.append(0x0A)
        appending.withLock { _ in
            let fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
            guard fd >= 0 else { return }
            _ = line.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            close(fd)
        }
    }

    /// Whether the file of `entry` still holds what was downloaded.
    public func check(_ entry: Entry) -> Check {
        let path = folder + "/" + entry.file
        guard !entry.file.contains("/"), let handle = FileHandle(forReadingAtPath: path) else { return .missing }
        defer { try? handle.close() }
        var hasher = SHA256()
        var size = 0
        while let chunk = try? handle.read(upToCount: 1 << 20), !chunk.isEmpty {
            size += chunk.count
            hasher.update(data: chunk)
        }
        guard size == entry.bytes else { return .corrupt("\(size) bytes where \(entry.bytes) were downloaded") }
        let digest = hasher.finalize().map { String(format: "%02x", $0) }.joined()
        return digest == entry.sha256 ? .intact : .corrupt("its SHA-256 no longer matches")
    }
}
