import Foundation

/// A fresh folder under the system's temporary directory, removed by `remove()`.
package struct TemporaryFolder: Sendable {
    package let path: String

    package init(_ label: String = "skein-test") throws {
        let base = FileManager.default.temporaryDirectory.path
        path = "\(base)/\(label)-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    /// Runs `body` with a new folder, then deletes it.
    package static func with<T>(_ label: String = "skein-test", _ body: (String) async throws -> T) async throws -> T {
        let folder = try TemporaryFolder(label)
        defer { folder.remove() }
        return try await body(folder.path)
    }

    package func remove() { try? FileManager.default.removeItem(atPath: path) }

    /// Names of the files in the folder (not recursive), sorted.
    package func files() -> [String] { Self.files(in: path) }

    package static func files(in path: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).sorted()
    }
}
