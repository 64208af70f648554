#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension StagedFile {
    /// Writes the whole file at `path` through a temporary file in its folder, renamed over
    /// `path` once `body` has written every byte: a reader sees the old file or the new one,
    /// never half of one, and a failure leaves no temporary file behind.
    /// - Throws: `FileError`, or what `body` throws.
    package static func replacing(_ path: String, writing body: (StagedFile) throws -> Void) throws {
        let slash = path.lastIndex(of: "/")
        let folder = slash.map { $0 == path.startIndex ? "/" : String(path[..<$0]) } ?? "."
        let name = slash.map { String(path[path.index(after: $0)...]) } ?? path
        let file = try StagedFile(in: folder)
        do {
            try body(file)
            try file.publishReplacing(as: name)
        } catch {
            file.discard()
            throw error
        }
    }

    /// Writes `bytes` as the whole file at `path`, as `replacing(_:writing:)` does.
    /// - Throws: `FileError`.
    package static func replacing(_ path: String, with bytes: [UInt8]) throws {
        try replacing(path) { file in try file.write(bytes) }
    }
}
