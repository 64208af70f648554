import Crypto
import Foundation
import Basics
import SafeFiles

/// What a folder holds, as far as Skein has finished writing it: one JSON line per completed
/// download (`id`, `url`, `file`, `bytes`, `crc32`) in `.skein-manifest.jsonl`.
///
/// A line is appended with one `write(2)` on a file opened for appending, after the file is
/// published, so a crash leaves at worst a last line cut short, which `load()` skips. A rerun
/// trusts a line only if the file is still there with that size and checksum. (Lines written
/// before the CRC-32, with a `sha256`, are still checked with SHA-256.)
package final class Manifest: Sendable {
    package static let fileName = ".skein-manifest.jsonl"

    package struct Entry: Codable, Sendable, Hashable {
        package var id: String?
        package var url: String
        package var file: String
        package var bytes: Int
        package var crc32: String?
        /// Written by earlier versions instead of `crc32`.
        package var sha256: String?

        package init(id: String?, url: String, file: String, bytes: Int, crc32: String) {
            self.id = id
            self.url = url
            self.file = file
            self.bytes = bytes
            self.crc32 = crc32
        }
    }

    /// The state of a file a line describes.
    package enum Check: Sendable, Equatable {
        case intact
        case missing
        /// There, but not the bytes that were downloaded.
        case corrupt(String)
    }

    package let folder: String
    /// Lines appended by this process; the lock keeps them whole when workers finish together.
    private let appended = Locked<Int>(0)

    package init(folder: String) { self.folder = folder }

    package var path: String { folder + "/" + Self.fileName }

    /// Entries by URL (a later line for the same URL wins); unreadable lines are skipped.
    package func load() -> [String: Entry] {
        guard let data = FileManager.default.contents(atPath: path) else { return [:] }
        var entries: [String: Entry] = [:]
        let decoder = JSONDecoder()
        for line in data.split(separator: 0x0A) {
            if let entry = try? decoder.decode(Entry.self, from: Data(line)) { entries[entry.url] = entry }
        }
        return entries
    }

    /// Records a completed download.
    package func append(_ entry: Entry) {
        guard var line = try? JSONEncoder().encode(entry) else { return }
        line.append(0x0A)
        appended.withLock { count in
            let fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
            guard fd >= 0 else { return }
            if line.withUnsafeBytes({ write(fd, $0.baseAddress, $0.count) }) == line.count { count += 1 }
            close(fd)
        }
    }

    /// Whether the file of `entry` still holds what was downloaded.
    package func check(_ entry: Entry) -> Check {
        let path = folder + "/" + entry.file
        guard !entry.file.contains("/"), let handle = FileHandle(forReadingAtPath: path) else { return .missing }
        defer { try? handle.close() }
        var crc = CRC32()
        var sha = SHA256()
        var size = 0
        while let chunk = try? handle.read(upToCount: 1 << 20), !chunk.isEmpty {
            size += chunk.count
            if entry.crc32 != nil {
                chunk.withUnsafeBytes { crc.update($0) }
            } else {
                sha.update(data: chunk)
            }
        }
        guard size == entry.bytes else { return .corrupt("\(size) bytes where \(entry.bytes) were downloaded") }
        if let expected = entry.crc32 {
            return crc.hex == expected ? .intact : .corrupt("its CRC-32 no longer matches")
        }
        guard let expected = entry.sha256 else { return .corrupt("the manifest gives no checksum") }
        let digest = sha.finalize().map { String(format: "%02x", $0) }.joined()
        return digest == expected ? .intact : .corrupt("its SHA-256 no longer matches")
    }
}
