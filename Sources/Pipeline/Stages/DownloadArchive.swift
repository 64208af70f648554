import ImgurAPI

/// A download archive in gallery-dl's sense: what was downloaded before, by any run and into
/// any folder, is skipped. Items are known by a key: the Imgur id when the API gave one, else
/// the URL.
package protocol DownloadArchive: Sendable {
    /// Which of the items with `keys` were downloaded before (asked for a batch at a time: a
    /// store across a network answers a batch in about the time of one key).
    func known(_ keys: [String]) async -> Set<String>
    /// Notes a download done (written when `flush` is called, or sooner).
    func add(_ key: String, file: String)
    /// Writes what `add` noted. - Returns: a problem to report, if writing failed.
    func flush() async -> String?
}

extension ImageLink {
    /// The key an item is known by in a job and in an archive.
    package var archiveKey: String { Self.archiveKey(id: id, url: url) }

    package static func archiveKey(id: String?, url: String) -> String { id.map { "imgur:\($0)" } ?? url }
}
