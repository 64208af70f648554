import Foundation
import ImgurAPI
import Engines
@testable import Pipeline
import Testing

/// Items that give no file are named, grouped by cause, and counted so the totals add up.
@Suite("Skipped items: nothing dropped without a word")
struct SkippedItemsTests {
    static let listing = """
        {"data": [
          {"id": "ok1", "type": "image/jpeg", "link": "https://i.imgur.com/ok1.jpg"},
          {"id": "js1", "type": "image/jpeg", "link": "javascript:alert(1)"},
          {"id": "fi1", "type": "image/png", "link": "file:///etc/passwd"},
          {"id": "ft1", "type": "image/png", "link": "ftp://example.com/a.png"},
          {"id": "da1", "type": "image/gif", "link": "data:image/gif;base64,R0lGODlh"},
          {"id": "nu1", "type": "image/jpeg", "link": null},
          {"id": "mi1", "type": "image/jpeg"},
          {"id": "nb1", "type": "image/jpeg", "link": 12345},
          {"id": "em1", "type": "image/jpeg", "link": ""},
          {"id": "rel", "type": "image/jpeg", "link": "i.imgur.com/rel.jpg"},
          {"id": "mp1", "type": "video/mp4", "link": "https://i.imgur.com/mp1.mp4"},
          {"id": "al1", "is_album": true, "images_count": 1, "images": [{"id": "in1", "type": "image/png", "link": "https://i.imgur.com/in1.png"}]}
        ], "success": true, "status": 200}
        """

    @Test("hostile and missing links, unwanted types and skipped albums each get their cause")
    func causes() throws {
        let items = try JSONDecoder().decode(Envelope<LossyList<ImgurItem>>.self, from: Data(Self.listing.utf8)).data
        #expect(items.elements.count == 12)
        let yield = LinkExtractor(types: ["jpeg", "png"], albums: .skip).extract(items.elements, source: "test")
        #expect(yield.links.map(\.id) == ["ok1"])
        let causes = Dictionary(grouping: yield.skipped, by: \.cause).mapValues { $0.map(\.item) }
        #expect(causes[.refusedScheme]?.sorted() == ["image da1", "image fi1", "image ft1", "image js1", "image rel"])
        #expect(causes[.noLink]?.sorted() == ["image em1", "image mi1", "image nb1", "image nu1"])
        #expect(causes[.typeNotWanted] == ["image mp1"])
        #expect(causes[.albumSkipped] == ["album al1"])
        #expect(yield.links.count + yield.skipped.count == items.elements.count, "every item is accounted for")
    }

    @Test("the summary groups what was skipped by cause, names the items, cuts long lists, and the counts add up")
    func summary() {
        let skipped = (0..<7).map { SkippedItem(item: "image d\($0)", cause: .duplicate, reason: "duplicate of a link already listed") }
            + [SkippedItem(item: "image js1", cause: .refusedScheme, reason: "refused: the scheme javascript: is not http or https")]
        let items = [ItemReport(item: "https://x/a.jpg", id: "a", source: "t", file: "a.jpg", bytes: 10, status: .downloaded,
                                error: nil, seconds: 0.1, attempts: 1, crc32: nil),
                     ItemReport(item: "https://x/b.jpg", id: "b", source: "t", file: nil, bytes: 0, status: .failed,
                                error: .init(JobFailure(code: "http-404", message: "https://x/b.jpg: HTTP 404"), item: "https://x/b.jpg"), seconds: 0.1, attempts: 1, crc32: nil)]
        let report = RunReport(command: "fetch", engine: "async", workers: 2, source: "t", output: "o", startedAt: Date(),
                               seconds: 1, items: items, skipped: skipped, stopped: nil, rateLimit: nil, stages: nil)
        let lines = Summary.skippedLines(report, perCause: 5)
        #expect(lines.first == "  skipped 8 that give no file: duplicate 7, refused-scheme 1")
        #expect(lines.contains { $0 == "    duplicate (duplicate of a link already listed): image d0, image d1, image d2, image d3, image d4, … and 2 more" })
        #expect(lines.contains { $0 == "    refused-scheme (refused: the scheme javascript: is not http or https): image js1" })
        #expect(lines.last == "  listed 10: 1 fetched, 1 failed, 8 skipped")
        #expect(Summary.skippedLines(RunReport(command: "fetch", engine: "async", workers: 2, source: "t", output: "o",
                                               startedAt: Date(), seconds: 1, items: items, skipped: [], stopped: nil,
                                               rateLimit: nil, stages: nil)).isEmpty)
    }
}
