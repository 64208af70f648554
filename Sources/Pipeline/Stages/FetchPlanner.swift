import Downloader
import ImgurAPI

/// Decides each link's file stem before anything downloads, so that two different links
/// never aim at the same name: the second `abc` becomes `abc-2`, and so on.
package enum FetchPlanner {
    package static func plan(_ links: [ImageLink]) -> [DownloadRequest] {
        var used = Set<String>()
        return links.map { link in
            let base = SafeName.stem(id: link.id, url: link.url)
            var stem = base
            var n = 2
            while !used.insert(stem).inserted {
                stem = "\(base)-\(n)"
                n += 1
            }
            return DownloadRequest(url: link.url, stem: stem, id: link.id)
        }
    }
}
