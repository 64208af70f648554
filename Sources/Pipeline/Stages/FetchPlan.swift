import Basics
import Downloader
import Engines
import Foundation
import ImgurAPI
import Thumbnailer

/// What a fetch does with each link as the listing hands it over, in a folder that may hold an
/// earlier run's work: a link whose file the manifest shows intact is done already; one whose
/// file was damaged has it deleted and is fetched again (repaired); the rest are fetched. Each
/// link's file stem is decided here, in listing order, so that two different links never aim
/// at the same name: the second `abc` becomes `abc-2`, and so on.
///
/// Memory hardly grows with the listing: the stems in use are kept as hashes (8 bytes each; a
/// collision only costs a needless `-2`), and the requests being fetched carry what their
/// report needs.
final class FetchPlan: Sendable {
    enum Step {
        /// Intact from an earlier run: reported as already there, nothing fetched.
        case done(DownloadResult, DownloadRequest)
        /// To download.
        case fetch(DownloadRequest)
    }

    let manifest: Manifest
    private let known: [String: Manifest.Entry]
    private struct State {
        var usedStems = HashSeen()
        /// Requests whose damaged file was removed: their success is a repair.
        var repairing = Set<String>()
        /// What the API said of the requests planned and not yet reported (sidecars).
        var metadata: [String: ItemMetadata] = [:]
    }
    private let state = Locked(State())
    private let folder: String
    private let naming: NameTemplate?
    private let sidecars: Sidecars?

    init(folder: String, naming: NameTemplate? = nil, sidecars: Sidecars? = nil) {
        self.folder = folder
        self.naming = naming
        self.sidecars = sidecars
        manifest = Manifest(folder: folder)
        known = manifest.load()
    }

    /// Plans one link, in listing order.
    func plan(_ link: ImageLink) -> Step {
        let request = DownloadRequest(url: link.url, stem: stem(for: link), id: link.id, source: link.source)
        if sidecars != nil, let metadata = link.metadata { state.withLock { $0.metadata[link.url] = metadata } }
        guard let entry = known[link.url] else { return .fetch(request) }
        switch manifest.check(entry) {
        case .intact:
            return .done(DownloadResult(url: entry.url, file: entry.file, bytes: entry.bytes, crc32: entry.crc32 ?? "",
                                        kind: Self.kind(of: entry.file), alreadyPresent: true, attempts: 0), request)
        case .corrupt:
            try? FileManager.default.removeItem(atPath: folder + "/" + entry.file)
            state.withLock { _ = $0.repairing.insert(request.url) }
            return .fetch(request)
        case .missing:
            return .fetch(request)
        }
    }

    private func stem(for link: ImageLink) -> String {
        var base = naming?.stem(for: link) ?? SafeName.stem(id: link.id, url: link.url)
        // A download named like a thumbnail (`cat_thumbnail`) would be taken for one, and
        // replaced by the thumbnail of `cat`.
        if base.hasSuffix(Thumbnailer.marker) { base += "-file" }
        return state.withLock { state in
            var stem = base
            var n = 2
            while !state.usedStems.insert(stem) {
                stem = "\(base)-\(n)"
                n += 1
            }
            return stem
        }
    }

    /// Records a download that just completed in the folder's manifest.
    func record(_ result: DownloadResult, for request: DownloadRequest) {
        manifest.append(Manifest.Entry(id: request.id, url: result.url, file: result.file, bytes: result.bytes, crc32: result.crc32))
    }

    /// The report item of a request's outcome (its sidecar written, with `--write-metadata`).
    func item(_ request: DownloadRequest, _ outcome: JobOutcome<DownloadResult>) -> ItemReport {
        var item = DownloadStage.item(request, outcome)
        let (repaired, metadata) = state.withLock { ($0.repairing.remove(request.url) != nil, $0.metadata.removeValue(forKey: request.url)) }
        if repaired, item.status == .downloaded { item.status = .repaired }
        if let sidecars, let result = outcome.output, let problem = sidecars.write(metadata, request, result) {
            item.note = problem
        }
        return item
    }

    /// The run is over: `metadata.jsonl` is published.
    func finish() -> String? { sidecars?.finish() }

    private static func kind(of file: String) -> String {
        switch (file as NSString).pathExtension.lowercased() {
        case "png": "png"
        case "gif": "gif"
        case "mp4": "mp4"
        default: "jpeg"
        }
    }
}
