import NIOCore
import NIOHTTP1
import Foundation
import GalleryServer
import ImgurAPI
import SafeFiles
import SkeinTesting
import Testing
import Thumbnailer

@Suite("Embedded gallery server")
struct GalleryServerTests {
    @Test("/3/ without a Client-ID gets Imgur's 403 envelope")
    func forbiddenWithoutClientID() async throws {
        try await TestGallery.with { url, _ in
            let response = try await httpGet(url + "/3/gallery/hot/viral/day/0")
            #expect(response.status == 403)
            let envelope = try JSONDecoder().decode(Envelope<ErrorPayload>.self, from: Data(response.body))
            #expect(envelope.success == false)
            #expect(envelope.status == 403)
            #expect(envelope.data.error == "Authentication required")
            #expect(envelope.data.request == "/3/gallery/hot/viral/day/0")
        }
    }

    @Test("a rejected Client-ID gets 403; the accepted one gets 200")
    func rejectedClientID() async throws {
        try await TestGallery.with(options: ServerOptions(acceptedClientID: "good")) { url, _ in
            let bad = try await httpGet(url + "/3/gallery/hot/viral/day/0", headers: [("Authorization", "Client-ID bad")])
            #expect(bad.status == 403)
            let good = try await httpGet(url + "/3/gallery/hot/viral/day/0", headers: [("Authorization", "Client-ID good")])
            #expect(good.status == 200)
        }
    }

    @Test("API answers carry X-RateLimit headers that count down")
    func rateLimitHeaders() async throws {
        try await TestGallery.with { url, _ in
            let auth = [("Authorization", "Client-ID test")]
            let first = try await httpGet(url + "/3/gallery/hot/viral/day/0", headers: auth)
            let second = try await httpGet(url + "/3/gallery/hot/viral/day/1", headers: auth)
            let a = try #require(RateLimitStatus(headers: first.headers))
            let b = try #require(RateLimitStatus(headers: second.headers))
            #expect(a.clientLimit == 12_500)
            #expect(b.clientRemaining! == a.clientRemaining! - 1)
            #expect(b.userReset != nil)
        }
    }

    @Test("a gallery page lists the corpus entries in order, as Imgur shapes them")
    func galleryPageMatchesCorpus() async throws {
        try await TestGallery.with(items: 40) { url, server in
            let response = try await httpGet(url + "/3/gallery/top/time/week/0", headers: [("Authorization", "Client-ID t")])
            let envelope = try JSONDecoder().decode(Envelope<LossyList<ImgurItem>>.self, from: Data(response.body))
            let expected = Array(server.corpus.page(0, of: "top/time/week"))
            #expect(envelope.data.elements.count == expected.count)
            #expect(envelope.data.rejected.isEmpty)
            var sawEmbedded = false, sawBare = false, sawTypeless = false
            for (item, entry) in zip(envelope.data.elements, expected) {
                switch entry {
                case .image(let index):
                    let image = server.corpus.images[index]
                    #expect(item.id == image.id)
                    #expect(!item.isAlbum)
                    #expect(item.type == (image.typeless ? nil : image.kind.mimeType))
                    #expect(item.size == image.bytes.readableBytes)
                    if image.typeless { sawTypeless = true }
                case .album(let id, _, let members, let embeds):
                    #expect(item.id == id)
                    #expect(item.isAlbum)
                    #expect(item.type == nil)
                    #expect(item.imagesCount == members.count)
                    #expect((item.images != nil) == embeds)
                    if embeds { sawEmbedded = true } else { sawBare = true }
                }
            }
            // The corpus of 40 small images from seed 7 has all three shapes on page 0.
            #expect(sawEmbedded && sawBare && sawTypeless)
        }
    }

    @Test("album, album images and image endpoints")
    func albumAndImageEndpoints() async throws {
        try await TestGallery.with(items: 40) { url, server in
            let auth = [("Authorization", "Client-ID t")]
            guard case .album(let id, _, let members, let embeds)? = server.corpus.entries.first(where: {
                if case .album = $0 { true } else { false }
            }) else { Issue.record("no album in the corpus"); return }
            let images = try await httpGet(url + "/3/album/\(id)/images", headers: auth)
            let list = try JSONDecoder().decode(Envelope<[ImgurItem]>.self, from: Data(images.body))
            #expect(list.data.map(\.id) == members.map { server.corpus.images[$0].id })
            let album = try await httpGet(url + "/3/album/\(id)", headers: auth)
            let decoded = try JSONDecoder().decode(Envelope<ImgurItem>.self, from: Data(album.body))
            // Albums answer with their images or without them (then /images has them).
            #expect(decoded.data.isAlbum && decoded.data.imagesCount == members.count)
            #expect(decoded.data.images?.count == (embeds ? members.count : nil))
            let first = server.corpus.images[members[0]]
            let image = try await httpGet(url + "/3/image/\(first.id)", headers: auth)
            #expect(try JSONDecoder().decode(Envelope<ImgurItem>.self, from: Data(image.body)).data.link == url + "/" + first.fileName)
            let missing = try await httpGet(url + "/3/album/nope0/images", headers: auth)
            #expect(missing.status == 404)
        }
    }

    @Test("media files are served byte for byte; unknown ones redirect to removed.png")
    func mediaFiles() async throws {
        try await TestGallery.with { url, server in
            for image in server.corpus.images.prefix(4) {
                let response = try await httpGet(url + "/" + image.fileName)
                #expect(response.status == 200)
                #expect(response.body == Array(image.bytes.readableBytesView))
                #expect(response.headers.first(name: "Content-Type") == image.kind.mimeType)
            }
            // AsyncHTTPClient follows the redirect: what arrives is the placeholder PNG.
            let gone = try await httpGet(url + "/zzzzzzz.jpg")
            #expect(ImageKind.sniff(gone.body) == .png)
            #expect(gone.body == Array(server.corpus.removedPNG.readableBytesView))
        }
    }

    @Test("the corpus is deterministic and every file is the image it claims")
    func corpusIsDeterministic() async throws {
        let spec = CorpusSpec.small(items: 10, seed: 99)
        let a = try await TestCorpus.offThread { try Corpus.generate(spec) }
        let b = try await TestCorpus.offThread { try Corpus.generate(spec) }
        #expect(a.images.map(\.id) == b.images.map(\.id))
        #expect(a.images.map { Array($0.bytes.readableBytesView) } == b.images.map { Array($0.bytes.readableBytesView) })
        let other = try await TestCorpus.offThread { try Corpus.generate(.small(items: 10, seed: 100)) }
        #expect(other.images.map(\.id) != a.images.map(\.id))
        for image in a.images {
            let kind = try #require(ImageKind.sniff(image.bytes.readableBytesView))
            #expect(kind.rawValue == image.kind.rawValue)
        }
    }

    @Test("a corpus saved to the disk cache loads back byte for byte")
    func diskCache() async throws {
        try await TemporaryFolder.with { folder in
            let spec = CorpusSpec.small(items: 6, seed: 4242)
            let generated = try await TestCorpus.offThread { try CorpusCache.corpus(for: spec, diskCache: folder) }
            let stored = try #require(CorpusCache.stored(spec, in: folder))
            #expect(stored.images.map(\.id) == generated.images.map(\.id))
            #expect(stored.images.map { Array($0.bytes.readableBytesView) } == generated.images.map { Array($0.bytes.readableBytesView) })
            #expect(stored.entries == generated.entries)
            #expect(CorpusCache.stored(.small(items: 7, seed: 4242), in: folder) == nil)
        }
    }

    @Test("generated images decode to their listed size; animated GIFs have several frames")
    func corpusImagesDecode() async throws {
        let corpus = try await TestCorpus.load(.small(items: 40, seed: 7))
        try await TemporaryFolder.with { folder in
            var animated = 0
            for image in corpus.images {
                let path = folder + "/" + image.fileName
                _ = FileManager.default.createFile(atPath: path, contents: Data(image.bytes.readableBytesView))
                let probe = try ImageProbe(path: path)
                #expect(probe.width == image.width && probe.height == image.height)
                if image.animated { #expect(probe.pages > 1); animated += 1 }
            }
            #expect(animated > 0)
        }
    }
}
