import Downloader
import Foundation
import Engines
import ImgurAPI

/// What a fetch still has to do in a folder that may hold an earlier run's work: items whose
/// file is intact (per the manifest) are done; items whose file was damaged are deleted and
/// fetched again (repaired); the rest are fetched.
struct ResumePlan {
    /// One request per link, in order.
    var requests: [DownloadRequest]
    /// Items already complete, by index.
    var done: [Int: DownloadResult]
    /// Items whose damaged file was removed, to be downloaded again.
    var repaired: Set<Int>
    let manifest: Manifest

    /// Indexes still to download.
    var pending: [Int] { requests.indices.filter { done[$0] == nil } }

    init(links: [ImageLink], folder: String) {
        manifest = Manifest(folder: folder)
        requests = FetchPlanner.plan(links)
        done = [:]
        repaired = []
        let known = manifest.load()
        for (index, request) in requests.enumerated() {
            guard let entry = known[request.url] else { continue }
            switch manifest.check(entry) {
            case .intact:
                done[index] = DownloadResult(url: entry.url, file: entry.file, bytes: entry.bytes, crc32: entry.crc32 ?? "",
                                             kind: Self.kind(of: entry.file), alreadyPresent: true, attempts: 0)
            case .corrupt:
                try? FileManager.default.removeItem(atPath: folder + "/" + entry.file)
                repaired.insert(index)
            case .missing:
                break
            }
        }
    }

    /// Records a download that just completed.
    func record(_ result: DownloadResult, for index: Int) {
        manifest.append(Manifest.Entry(id: requests[index].id, url: result.url, file: result.file,
                                       bytes: result.bytes, crc32: result.crc32))
    }

    /// The report items of every link: the ones done before, and the outcomes of `pending`.
    func items(_ links: [ImageLink], outcomes: [JobOutcome<DownloadResult>]) -> [ItemReport] {
        var all = [JobOutcome<DownloadResult>?](repeating: nil, count: links.count)
        for (index, result) in done { all[index] = JobOutcome(result: .success(result), seconds: 0, worker: nil) }
        for (index, outcome) in zip(pending, outcomes) { all[index] = outcome }
        return links.indices.map { index in
            var item = DownloadStage.item(links[index], all[index] ?? .notStarted(.cancelled))
            if repaired.contains(index), item.status == .downloaded { item.status = .repaired }
            return item
        }
    }

    private static func kind(of file: String) -> String {
        switch (file as NSString).pathExtension.lowercased() {
        case "png": "png"
        case "gif": "gif"
        default: "jpeg"
        }
    }
}
