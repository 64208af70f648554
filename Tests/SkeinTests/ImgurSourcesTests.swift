import Downloader
import Engines
import Foundation
import GalleryServer
import ImgurAPI
import NIOCore
import Pipeline
import SafeFiles
import SkeinTesting
import Testing

/// Every source end to end against the embedded gallery: the links its listing gives, and the
/// files a fetch of them leaves, byte for byte what the gallery served.
@Suite("Imgur sources end to end")
struct ImgurSourcesTests {
    static let items = 60
    static let seed: UInt64 = 11
    static let pageSize = 5

    static func with<T: Sendable>(pageSize: Int = Self.pageSize,
                                  _ body: @Sendable (_ url: String, _ server: GalleryServer) async throws -> T) async throws -> T {
        var options = ServerOptions()
        options.pageSize = pageSize
        return try await TestGallery.with(items: items, seed: seed, videos: true, options: options, body)
    }

    static func source(_ url: String, _ sources: [ImgurSource], limit: Int = 10_000,
                       animated: LinkExtractor.AnimatedPolicy = .mp4) -> LinkSource {
        .api(base: url, clientID: ClientID("test"), sources: sources, limit: limit, extractor: LinkExtractor(animated: animated))
    }

    /// The ids of the images of `entries` (an album's members in order).
    static func imageIDs(_ corpus: Corpus, _ entries: [Int]) -> [String] {
        entries.flatMap { index -> [String] in
            switch corpus.entries[index] {
            case .image(let image): [corpus.images[image].id]
            case .album(_, _, let members, _): members.map { corpus.images[$0].id }
            }
        }
    }

    /// The file a fetch keeps of an image: its mp4 when it has one, else the image.
    static func expectedFile(_ image: CorpusImage) -> (name: String, bytes: ByteBuffer) {
        if image.animated, let video = image.video { return (image.videoFileName, video) }
        return (image.fileName, image.bytes)
    }

    /// What each page URL of the gallery should list, from its catalogue.
    static func cases(_ corpus: Corpus) throws -> [(url: String, ids: [String])] {
        let catalogue = corpus.catalogue
        let albumIndex = corpus.entries.firstIndex { if case .album = $0 { true } else { false } }!
        guard case .album(let albumID, _, _, _) = corpus.entries[albumIndex] else { return [] }
        let postIndex = corpus.entries.firstIndex { if case .image = $0 { true } else { false } }!
        guard case .image(let postImage) = corpus.entries[postIndex] else { return [] }
        let animated = try #require(corpus.images.first { $0.video != nil && $0.preview == nil }, "no mp4 in the corpus: is ffmpeg installed?")
        let search = corpus.entries.indices.filter { index in
            imageIDs(corpus, [index]).contains { id in corpus.image(id: id)!.title.lowercased().contains("harbour") }
                || { if case .album(_, let title, _, _) = corpus.entries[index] { title.lowercased().contains("harbour") } else { false } }()
        }
        return [
            ("https://imgur.com/t/cats", imageIDs(corpus, catalogue.byTag["cats"]!)),
            ("https://imgur.com/r/EarthPorn", imageIDs(corpus, catalogue.bySubreddit["EarthPorn"]!)),
            ("https://imgur.com/user/alice", imageIDs(corpus, catalogue.byUser["alice"]!)),
            ("https://imgur.com/user/bob/favorites", imageIDs(corpus, catalogue.favoritesOf["bob"]!)),
            ("https://imgur.com/search?q=Harbour", imageIDs(corpus, search)),
            ("https://imgur.com/a/\(albumID)", imageIDs(corpus, [albumIndex])),
            ("https://imgur.com/gallery/some-words-\(albumID)", imageIDs(corpus, [albumIndex])),
            ("https://imgur.com/gallery/\(corpus.images[postImage].id)", [corpus.images[postImage].id]),
            ("https://i.imgur.com/\(animated.id).gifv", [animated.id]),
        ]
    }

    @Test("each page URL lists what the gallery holds under it, and the files are byte-identical to the served ones",
          arguments: 0..<9)
    func eachSource(_ index: Int) async throws {
        try await Self.with { url, server in
            let corpus = server.corpus
            let (page, expected) = try Self.cases(corpus)[index]
            #expect(expected.count >= 1, "\(page) lists nothing: the test would prove nothing")
            let source = Self.source(url, [try ImgurURL.parse(page)])
            let links = try await source.load()
            #expect(links.links.map { $0.id ?? "" }.sorted() == expected.sorted(), "\(page)")
            #expect(links.skipped.isEmpty, "\(page): \(links.skipped)")
            try await TemporaryFolder.with { out in
                let report = try await Fetch(output: out, engine: Engine(.async, workers: 8)).run(links)
                #expect(report.failed.isEmpty, "\(report.failed.map { $0.error?.message ?? "" })")
                for id in expected {
                    let image = try #require(corpus.image(id: id))
                    let file = Self.expectedFile(image)
                    #expect(bytes(of: out + "/" + file.name) == Array(file.bytes.readableBytesView), "\(page): \(file.name)")
                }
                let kept = TemporaryFolder.files(in: out).filter { !$0.hasPrefix(".") }
                #expect(kept.count == expected.count, "\(kept)")
            }
        }
    }

    @Test("animated items come as their mp4; a GIF over 20 MB never as its preview; mp4_size 0 takes the GIF")
    func animatedChoice() async throws {
        try await Self.with { url, server in
            let corpus = server.corpus
            let large = try #require(corpus.images.first { $0.preview != nil })
            let pending = try #require(corpus.images.first { $0.videoPending })
            #expect(large.bytes.readableBytes > 20 << 20, "the large GIF is \(large.bytes.readableBytes) bytes")
            try await TemporaryFolder.with { out in
                let sources: [ImgurSource] = [.image(id: large.id), .image(id: pending.id)]
                let asVideo = try await Self.source(url, sources).load()
                #expect(asVideo.links.map(\.url) == [url + "/" + large.videoFileName, url + "/" + pending.fileName])
                #expect(asVideo.links.map(\.kind) == ["mp4", "gif"])

                let asGIF = try await Self.source(url, sources, animated: .gif).load()
                #expect(asGIF.links.map(\.url) == [url + "/" + large.fileName, url + "/" + pending.fileName])
                let report = try await Fetch(output: out, engine: Engine(.async, workers: 4)).run(asGIF)
                #expect(report.failed.isEmpty, "\(report.failed.map { $0.error?.message ?? "" })")
                #expect(bytes(of: out + "/" + large.fileName) == Array(large.bytes.readableBytesView))
                let preview = Array(large.preview!.readableBytesView)
                for name in TemporaryFolder.files(in: out) { #expect(bytes(of: out + "/" + name) != preview, "\(name) is the preview") }
                // Only the mp4s: the animated GIFs are left out, and said so.
                let noGIF = LinkSource.api(base: url, clientID: ClientID("t"), sources: sources, limit: 10,
                                           extractor: LinkExtractor(types: ["mp4"], animated: .gif))
                let videos = try await noGIF.load()
                #expect(videos.links.map(\.url) == [url + "/" + large.videoFileName])
                #expect(videos.skipped.map(\.cause) == [.typeNotWanted])
            }
        }
    }

    @Test("listings page from 0 to the first empty page, and --limit stops them")
    func pagingAndLimit() async throws {
        try await Self.with { url, server in
            let corpus = server.corpus
            let entries = corpus.catalogue.byTag["cats"]!
            // Albums listed without their images are fetched, one request each.
            let unembedded = entries.filter { if case .album(_, _, _, false) = corpus.entries[$0] { true } else { false } }.count
            let pages = (entries.count + Self.pageSize - 1) / Self.pageSize
            #expect(pages >= 2, "cats has \(entries.count) entries: one page only")
            let before = server.stats.apiRequestCount
            let all = try await Self.source(url, [.tag("cats", sort: "time", window: "all")]).load()
            #expect(all.apiRequests == pages + 1 + unembedded)
            #expect(server.stats.apiRequestCount - before == pages + 1 + unembedded)

            let limited = try await Self.source(url, [.tag("cats", sort: "time", window: "all")], limit: 3).load()
            #expect(limited.links.count == 3)
            #expect(limited.links.map(\.id) == Array(all.links.prefix(3)).map(\.id))
            #expect(limited.apiRequests < all.apiRequests)
        }
    }

    @Test("an item reached through two sources is listed and downloaded once")
    func dedupAcrossSources() async throws {
        try await Self.with { url, server in
            let corpus = server.corpus
            let cats = Set(Self.imageIDs(corpus, corpus.catalogue.byTag["cats"]!))
            let alice = Set(Self.imageIDs(corpus, corpus.catalogue.byUser["alice"]!))
            #expect(!cats.intersection(alice).isEmpty, "the two sources share nothing: the test would prove nothing")
            let links = try await Self.source(url, [.tag("cats", sort: "time", window: "all"), .user("alice"),
                                                    .tag("cats", sort: "top", window: "week")]).load()
            let ids = links.links.compactMap(\.id)
            #expect(ids.count == Set(ids).count)
            #expect(Set(ids) == cats.union(alice))
            let duplicates = links.skipped.filter { $0.cause == .duplicate }.count
            #expect(duplicates == cats.intersection(alice).count + cats.count)
            #expect(!links.skipped.contains { $0.cause == .listingCut })
        }
    }

    @Test("a source whose pages all repeat earlier sources is still read to its end (barren means repeating itself)")
    func duplicatePagesAreNotBarren() async throws {
        try await Self.with(pageSize: 2) { url, server in
            let corpus = server.corpus
            let alice = corpus.catalogue.byUser["alice"]!
            #expect(alice.count > 4 * 2, "alice has \(alice.count) entries: fewer than 5 pages")
            // alice's posts, then alice's posts again: every page of the second is duplicates.
            let links = try await Self.source(url, [.user("alice"), .user("alice")]).load()
            let pages = (alice.count + 2 - 1) / 2
            let unembedded = alice.filter { if case .album(_, _, _, false) = corpus.entries[$0] { true } else { false } }.count
            #expect(links.apiRequests == 2 * (pages + 1 + unembedded))
            #expect(links.skipped.filter { $0.cause == .duplicate }.count == Self.imageIDs(corpus, alice).count)
        }
    }

    @Test("--limit reached: the sources not read yet and the albums not fetched yet are said, not dropped")
    func limitReachedIsSaid() async throws {
        try await Self.with { url, server in
            let links = try await Self.source(url, [.tag("cats", sort: "time", window: "all"), .user("bob")], limit: 2).load()
            #expect(links.links.count == 2)
            #expect(links.skipped.contains { $0.item == "user bob" && $0.cause == .overLimit })
            #expect(links.skipped.allSatisfy { $0.cause == .overLimit }, "\(links.skipped.filter { $0.cause != .overLimit })")
        }
    }

    @Test("a source of several that can't be listed is said, and the others go on")
    func oneSourceFails() async throws {
        try await Self.with { url, server in
            let links = try await Self.source(url, [.user("nobody"), .tag("cats", sort: "time", window: "all")]).load()
            #expect(!links.links.isEmpty)
            #expect(links.skipped.contains { $0.cause == .sourceUnavailable && $0.item == "user nobody" && $0.reason.contains("404") })
            // Alone, it fails the run.
            await #expect(throws: PipelineError.self) { _ = try await Self.source(url, [.user("nobody")]).load() }
        }
    }

    @Test("--print-links prints one JSON line per link and downloads nothing")
    func printLinks() async throws {
        try await Self.with { url, server in
            try await TemporaryFolder.with { folder in
                let run = try await SkeinExecutable.run(
                    ["fetch", "--api-base", url, "https://imgur.com/t/cats", "https://imgur.com/user/alice", "--print-links",
                     "--out", folder + "/never"], environment: ["IMGUR_CLIENT_ID": "test", "PATH": "/usr/bin:/bin"])
                #expect(run.status == 0, "\(run.stderr)")
                let lines = run.stdout.split(separator: "\n")
                let corpus = server.corpus
                let expected = Set(Self.imageIDs(corpus, corpus.catalogue.byTag["cats"]!) + Self.imageIDs(corpus, corpus.catalogue.byUser["alice"]!))
                #expect(lines.count == expected.count)
                for line in lines {
                    let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: String])
                    #expect(Set(object.keys) == ["id", "url", "kind", "source"])
                    let image = try #require(corpus.image(id: object["id"] ?? ""))
                    #expect(object["url"] == url + "/" + Self.expectedFile(image).name)
                    #expect(["jpeg", "png", "gif", "mp4"].contains(object["kind"] ?? ""))
                }
                #expect(run.stderr.contains("nothing downloaded"))
                #expect(!FileManager.default.fileExists(atPath: folder + "/never"))
            }
        }
    }

    @Test("--print-links of a links file: every key on every line, null where unknown")
    func printLinksOfFile() async throws {
        try await TemporaryFolder.with { folder in
            try "https://i.imgur.com/AbC1234.jpg\nhttps://example.com/x.png\n".write(toFile: folder + "/links.txt", atomically: true, encoding: .utf8)
            let run = try await SkeinExecutable.run(["fetch", "--links", folder + "/links.txt", "--print-links"])
            #expect(run.status == 0, "\(run.stderr)")
            let lines = run.stdout.split(separator: "\n")
            #expect(lines.count == 2)
            for line in lines {
                let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
                #expect(Set(object.keys) == ["id", "url", "kind", "source"])
                #expect(object["id"] is NSNull)
            }
        }
    }

    @Test("an unknown URL is a usage error naming it, before anything is fetched")
    func badURL() async throws {
        let run = try await SkeinExecutable.run(["fetch", "--api-base", "http://127.0.0.1:9", "https://example.com/a/AbC12"],
                                                environment: ["IMGUR_CLIENT_ID": "test", "PATH": "/usr/bin:/bin"])
        #expect(run.status == 2, "status \(run.status)")
        #expect(run.stderr.contains("https://example.com/a/AbC12") && run.stderr.contains("not an Imgur URL"), "\(run.stderr)")
    }

    @Test("the gallery's mp4s pass the structural check; cut, or without their index, they fail")
    func mp4Structure() async throws {
        try await Self.with { _, server in
            let image = try #require(server.corpus.images.first { $0.video != nil })
            let video = Array(image.video!.readableBytesView)
            #expect(ImageKind.sniff(video) == .mp4)
            let size = try video.withUnsafeBytes { try ImageStructure.check($0, as: .mp4, maxPixels: 1 << 30) }
            #expect(size.width == image.width / 2 * 2 && size.height == image.height / 2 * 2)
            let cut = Array(video.prefix(video.count / 2))
            #expect(throws: ImageStructure.Problem.self) { try cut.withUnsafeBytes { try ImageStructure.check($0, as: .mp4, maxPixels: 1 << 30) } }
            #expect(throws: ImageStructure.Problem.self) { try video.withUnsafeBytes { try ImageStructure.check($0, as: .mp4, maxPixels: 100) } }
            // The moov box renamed: no index.
            var noIndex = video
            if let at = (0..<(video.count - 4)).first(where: { video[$0..<($0 + 4)].elementsEqual("moov".utf8) }) {
                noIndex.replaceSubrange(at..<(at + 4), with: Array("free".utf8))
            }
            #expect(noIndex != video)
            #expect(throws: ImageStructure.Problem.corrupt("the MP4 has no moov box (its index): it was cut short or never finished")) {
                try noIndex.withUnsafeBytes { try ImageStructure.check($0, as: .mp4, maxPixels: 1 << 30) }
            }
            // Hostile box sizes: each is refused, none crashes.
            func box(_ size: UInt32, _ type: String, _ body: [UInt8] = []) -> [UInt8] {
                withUnsafeBytes(of: size.bigEndian, Array.init) + Array(type.utf8) + body
            }
            let ftyp = box(16, "ftyp", Array("isom".utf8) + [0, 0, 2, 0])
            let hostile: [[UInt8]] = [
                ftyp + box(1, "mdat") + [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF],   // a 64-bit size past Int.max
                ftyp + box(1, "mdat") + [0, 0, 0, 0, 0, 0, 0, 4],                           // a 64-bit size under its header
                ftyp + box(4, "moov"),                                                      // a size under 8
                ftyp + box(0xFFFF_FFF0, "mdat"),                                            // past the end
                ftyp + box(24, "moov", box(200, "trak")),                                  // a child larger than its parent
                ftyp + box(20, "moov", box(12, "trak", box(4, "tkhd"))),                  // a track header too short
                ftyp + box(8, "moov") + box(0, "mdat"),                                     // no video track
                Array(ftyp.prefix(10)),
                box(8, "moov") + ftyp,
            ]
            for bytes in hostile {
                #expect(throws: ImageStructure.Problem.self) { try bytes.withUnsafeBytes { try ImageStructure.check($0, as: .mp4, maxPixels: 1 << 30) } }
            }
        }
    }
}
