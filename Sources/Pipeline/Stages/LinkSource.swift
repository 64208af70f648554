import Downloader
import Engines
import Foundation
import ImgurAPI
import Basics

/// Where the links of a fetch come from.
package enum LinkSource: Sendable {
    /// An Imgur-compatible API: a gallery or an album.
    case api(base: String, clientID: ClientID?, selection: GallerySelection, limit: Int, extractor: LinkExtractor)
    /// A text file with one URL a line (blank lines and `#` comments are ignored).
    case file(path: String, limit: Int?)

    /// The links, and what was skipped on the way.
    package struct Links: Sendable {
        package var links: [ImageLink]
        package var skipped: [SkippedItem]
        /// Human description: `gallery hot/viral/day at http://…`, `links.txt`.
        package var description: String
        package var apiRequests: Int
        package var rateLimit: RateLimitStatus?
        package var seconds: Double

        package init(links: [ImageLink], skipped: [SkippedItem] = [], description: String, apiRequests: Int = 0,
                    rateLimit: RateLimitStatus? = nil, seconds: Double = 0) {
            self.links = links
            self.skipped = skipped
            self.description = description
            self.apiRequests = apiRequests
            self.rateLimit = rateLimit
            self.seconds = seconds
        }
    }

    /// Reads the links.
    /// - Throws: `PipelineError` when the source can't be read at all.
    package func load() async throws(PipelineError) -> Links {
        let start = ContinuousClock.now
        switch self {
        case .api(let base, let clientID, let selection, let limit, let extractor):
            let client = ImgurClient(base: base, clientID: clientID, http: HTTPClients.client(connectTimeout: 10, readTimeout: 30))
            let collector = LinkCollector(client: client, extractor: extractor)
            do {
                let found = try await collector.collect(selection, limit: limit)
                return Links(links: found.links, skipped: found.skipped, description: "\(selection) at \(base)",
                             apiRequests: found.requests, rateLimit: found.rateLimit, seconds: (ContinuousClock.now - start).seconds)
            } catch {
                let code: PipelineError.Code = error.code == .unauthorized || error.code == .badRequest ? .configuration : .source
                throw PipelineError(code, "cannot list \(selection): \(error)")
            }
        case .file(let path, let limit):
            guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
                throw PipelineError(.configuration, "cannot read the links file \(path)")
            }
            var links: [ImageLink] = []
            var skipped: [SkippedItem] = []
            var seen = Set<String>()
            let name = (path as NSString).lastPathComponent
            for (number, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                let line = rawLine.trimmingCharacters(in: .whitespacesAndNewlines)
                if line.isEmpty || line.hasPrefix("#") { continue }
                let source = "\(name) line \(number + 1)"
                guard seen.insert(line).inserted else {
                    skipped.append(SkippedItem(item: source, cause: .duplicate, reason: "duplicate of a link already listed"))
                    continue
                }
                if let limit, links.count >= limit {
                    skipped.append(SkippedItem(item: source, cause: .overLimit, reason: "listed after --limit \(limit) links"))
                    continue
                }
                links.append(ImageLink(id: nil, url: line, type: nil, source: source))
            }
            return Links(links: links, skipped: skipped, description: name, apiRequests: 0, rateLimit: nil,
                         seconds: (ContinuousClock.now - start).seconds)
        }
    }
}
