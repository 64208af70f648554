import NIOCore
import NIOHTTP1
import AsyncHTTPClient
import Downloader
import Foundation
import ImgurAPI
import SkeinTesting
import Testing

@Suite("Imgur API: models, link extraction, errors")
struct ImgurAPITests {
    @Test("Imgur's own subreddit gallery example decodes: 28 images, null counters, 64-bit bandwidth")
    func subredditGallery() throws {
        let data = try Data(contentsOf: fixture("gallery-subreddit.json"))
        let envelope = try JSONDecoder().decode(Envelope<LossyList<ImgurItem>>.self, from: data)
        #expect(envelope.success && envelope.status == 200)
        #expect(envelope.data.elements.count == 28)
        #expect(envelope.data.rejected.isEmpty)
        #expect(envelope.data.elements.allSatisfy { !$0.isAlbum && $0.type == "image/jpeg" })
        let yield = LinkExtractor().extract(envelope.data.elements, source: "r/EarthPorn")
        #expect(yield.links.count == 28)
        #expect(yield.links.allSatisfy { $0.url.hasPrefix("http://i.imgur.com/") && $0.type == "image/jpeg" })
    }

    @Test("albums without a type are recognised; animated items keep their mp4 and preview link")
    func tagsTopPosts() throws {
        struct Tags: Decodable {
            struct Gallery: Decodable { var name: String; var topPost: ImgurItem }
            var galleries: [Gallery]
        }
        let data = try Data(contentsOf: fixture("tags-default.json"))
        let tags = try JSONDecoder().decode(Envelope<Tags>.self, from: data).data
        let posts = tags.galleries.map(\.topPost)
        let albums = posts.filter(\.isAlbum)
        #expect(albums.count == 1)
        #expect(albums.first?.type == nil && albums.first?.imagesCount == 8 && albums.first?.images == nil)
        let animated = posts.filter(\.animated)
        #expect(animated.count == 2)
        #expect(animated.allSatisfy { $0.mp4 != nil && $0.type == "image/gif" })
        // The album has no images listed: expansion asks for them.
        let yield = LinkExtractor().extract(posts, source: "tags")
        #expect(yield.albumsToFetch.map(\.id) == albums.map(\.id))
        let skipping = LinkExtractor(albums: .skip).extract(posts, source: "tags")
        #expect(skipping.albumsToFetch.isEmpty && skipping.skipped.contains { $0.reason.contains("--albums skip") })
    }

    @Test("every one of Imgur's example responses decodes as its endpoint's answer, or fails as malformed naming the request")
    func everySample() throws {
        func data(_ name: String) throws -> Data { try Data(contentsOf: fixture(name)) }
        // The subreddit gallery and one of its images: what `/3/gallery/r/…` and `/3/image/…` answer.
        let gallery = try ImgurClient.decodeItems(try data("gallery-subreddit.json"), path: "/3/gallery/r/EarthPorn/time/all/0")
        #expect(gallery.elements.count == 28 && gallery.rejected.isEmpty)
        let image = try ImgurClient.decode(try data("gallery-subreddit-image.json"), as: ImgurItem.self, path: "/3/image/QJa0R6q")
        #expect(image.id == "QJa0R6q" && !image.isAlbum)
        #expect(LinkExtractor().extract([image], source: "image").links.map(\.kind) == ["jpeg"])
        // Tag info has no `items`: not a tag page.
        #expect {
            try ImgurClient.decode(try data("gallery-tag-info.json"), as: TagPage.self, path: "/3/gallery/t/x/time/all/0")
        } throws: { ($0 as? ImgurError)?.code == .malformed && ($0 as? ImgurError)?.request == "/3/gallery/t/x/time/all/0" }
        // The account submissions example is an empty body.
        #expect(try data("account-submissions.txt").isEmpty)
        #expect {
            try ImgurClient.decodeItems(try data("account-submissions.txt"), path: "/3/account/x/submissions/0")
        } throws: { ($0 as? ImgurError)?.code == .malformed }
        // The three error envelopes: the API's own message.
        for (name, message) in [("error-404-follow-tag.json", "Tag does not exist"), ("error-404-unfollow-tag.json", "Tag does not exist"),
                                ("error-409-unfollow-tag.json", "Not following tag")] {
            #expect {
                try ImgurClient.decodeItems(try data(name), path: "/3/x")
            } throws: { ($0 as? ImgurError)?.code == .unsuccessful && ($0 as? ImgurError)?.message.contains(message) == true }
        }
        // The tags example's posts: an album without images, two animated GIFs whose link is the
        // `h` preview. Their mp4 by default; with --animated gif, the whole GIF, never the preview.
        struct Tags: Decodable {
            struct Gallery: Decodable { var topPost: ImgurItem }
            var galleries: [Gallery]
        }
        let posts = try ImgurClient.decode(try data("tags-default.json"), as: Tags.self, path: "/3/tags").galleries.map(\.topPost)
        let animated = posts.filter(\.animated)
        #expect(animated.count == 2 && animated.allSatisfy { $0.link?.hasSuffix("h.gif") == true })
        let videos = LinkExtractor().extract(animated, source: "tags").links
        #expect(videos.map(\.url) == animated.map { $0.mp4! } && videos.allSatisfy { $0.kind == "mp4" })
        let gifs = LinkExtractor(animated: .gif).extract(animated, source: "tags").links
        #expect(gifs.map(\.url) == animated.map { "http://i.imgur.com/\($0.id).gif" })
    }

    @Test("Imgur's error envelope decodes")
    func errorEnvelope() throws {
        let data = try Data(contentsOf: fixture("error-404-follow-tag.json"))
        let envelope = try JSONDecoder().decode(Envelope<ErrorPayload>.self, from: data)
        #expect(!envelope.success && envelope.status == 404)
        #expect(envelope.data.error == "Tag does not exist" && envelope.data.method == "POST")
    }

    @Test("the extractor keeps wanted types, infers a missing type from the link, and explains every skip")
    func extractorRules() {
        let items = [
            ImgurItem(id: "a1", type: "image/png", link: "https://i.imgur.com/a1.png"),
            ImgurItem(id: "b2", link: "https://i.imgur.com/b2.gif?x=1"),                    // no type: from the link
            ImgurItem(id: "c3", type: "video/mp4", link: "https://i.imgur.com/c3.mp4"),
            ImgurItem(id: "d4", type: "image/jpeg", link: "javascript:alert(1)"),
            ImgurItem(id: "e5", link: "https://i.imgur.com/e5"),                             // no type, no extension
            ImgurItem(id: "f6", isAlbum: true, imagesCount: 1, images: [ImgurItem(id: "g7", type: "image/jpeg", link: "https://i.imgur.com/g7.jpg")]),
            ImgurItem(id: "../x", isAlbum: true, imagesCount: 3),
        ]
        let yield = LinkExtractor(types: ["png", "gif", "jpeg"]).extract(items, source: "test")
        #expect(yield.links.map(\.id) == ["a1", "b2", "g7"])
        #expect(yield.links[1].type == "image/gif")
        #expect(yield.links[2].source == "album f6")
        #expect(yield.skipped.count == 4)
        #expect(yield.albumsToFetch.isEmpty) // the hostile album id is never put in a path
        let onlyPNG = LinkExtractor(types: ["png"]).extract(items, source: "test")
        #expect(onlyPNG.links.map(\.id) == ["a1"])
    }

    @Test("gallery names parse, and bad ones are refused with the reason")
    func gallerySelection() throws {
        #expect(try ImgurSource.parseGallery("hot/viral/day") == .gallery(section: "hot", sort: "viral", window: "day"))
        #expect(try ImgurSource.parseGallery("top/top") == .gallery(section: "top", sort: "top", window: "day"))
        #expect(try ImgurSource.parseGallery("random") == .random)
        #expect(throws: ImgurError.self) { try ImgurSource.parseGallery("hot/sideways/day") }
        #expect(throws: ImgurError.self) { try ImgurSource.parseGallery("../../etc") }
    }

    @Test("the Client-ID never shows in its description")
    func clientIDIsSecret() throws {
        let id = try #require(ClientID("s3cr3t-client"))
        #expect(!"\(id)".contains("s3cr3t"))
        #expect(!String(reflecting: id).contains("s3cr3t"))
        #expect(ClientID("  ") == nil)
    }

    @Test("malformed JSON, wrong shapes and success:false are clear errors", arguments: [
        ("{\"data\": [1, 2", "malformed"),
        ("{\"data\": {\"id\": 3}, \"success\": true, \"status\": 200}", "unexpected response"),
        ("{\"data\": {\"error\": \"nope\"}, \"success\": false, \"status\": 200}", "nope"),
        ("<html>hello</html>", "malformed"),
    ])
    func badResponses(body: String, expected: String) async throws {
        try await AnyPathServer.with(body: Array(body.utf8), contentType: "application/json") { url in
            let client = ImgurClient(base: url, clientID: ClientID("x"), http: HTTPClients.client(connectTimeout: 5, readTimeout: 5))
            do throws(ImgurError) {
                _ = try await client.get("/3/gallery/hot/viral/day/0", as: [ImgurItem].self)
                Issue.record("expected a failure")
            } catch {
                #expect(error.description.contains(expected), "\(error)")
                #expect(error.description.hasPrefix("/3/gallery/hot/viral/day/0"))
            }
        }
    }

    @Test("an item of the wrong shape is skipped with a reason; the rest of the page is kept")
    func lossyItems() throws {
        let json = #"[{"id": "ok1", "type": "image/jpeg", "link": "https://x/ok1.jpg"}, {"title": "no id"}, 42, {"id": "ok2", "type": "image/png", "link": "https://x/ok2.png"}]"#
        let list = try JSONDecoder().decode(LossyList<ImgurItem>.self, from: Data(json.utf8))
        #expect(list.elements.map(\.id) == ["ok1", "ok2"])
        #expect(list.rejected.count == 2)
        #expect(list.rejected[0].contains("missing field \"id\""))
    }
}
