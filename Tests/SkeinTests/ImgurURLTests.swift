import Foundation
import ImgurAPI
import Testing

@Suite("Imgur page URLs: every form a user pastes, and what is refused")
struct ImgurURLTests {
    static let acceptedURLs: [(String, ImgurSource)] = [
        ("https://imgur.com/a/AbC12", .album(id: "AbC12")),
        ("http://imgur.com/a/AbC12/", .album(id: "AbC12")),
        ("imgur.com/a/AbC12", .album(id: "AbC12")),
        ("https://www.imgur.com/a/AbC12#comments", .album(id: "AbC12")),
        ("https://m.imgur.com/a/AbC12?share=1", .album(id: "AbC12")),
        ("https://imgur.io/a/AbC12", .album(id: "AbC12")),
        ("https://imgur.com/a/my-holiday-in-norway-AbC12", .album(id: "AbC12")),
        ("  https://IMGUR.com/a/AbC12  ", .album(id: "AbC12")),
        ("https://imgur.com/gallery/XyZ9876", .post(id: "XyZ9876")),
        ("https://imgur.com/gallery/cat-finds-a-box-XyZ9876", .post(id: "XyZ9876")),
        ("https://www.imgur.io/gallery/XyZ9876", .post(id: "XyZ9876")),
        ("https://imgur.com/t/cats/XyZ9876", .post(id: "XyZ9876")),
        ("https://imgur.com/Qwe1234", .image(id: "Qwe1234")),
        ("https://imgur.com/Qwe1234.jpg", .image(id: "Qwe1234")),
        ("https://i.imgur.com/Qwe1234.png", .image(id: "Qwe1234")),
        ("https://i.imgur.com/Qwe1234.gifv", .image(id: "Qwe1234")),
        ("https://i.imgur.com/Qwe1234h.gif", .image(id: "Qwe1234")),
        ("https://i.imgur.com/Qwe1234m.jpg", .image(id: "Qwe1234")),
        ("https://i.imgur.io/Qwe1234.mp4", .image(id: "Qwe1234")),
        ("https://imgur.com/t/cats", .tag("cats", sort: "time", window: "all")),
        ("https://m.imgur.com/t/aww_yeah/", .tag("aww_yeah", sort: "time", window: "all")),
        ("https://imgur.com/r/EarthPorn", .subreddit("EarthPorn", sort: "time", window: "all")),
        ("https://imgur.com/r/EarthPorn/Qwe1234", .image(id: "Qwe1234")),
        ("https://imgur.com/user/alice", .user("alice")),
        ("https://imgur.com/user/alice/posts", .user("alice")),
        ("https://imgur.com/user/alice/submitted", .user("alice")),
        ("https://imgur.com/user/alice/favorites", .favorites("alice")),
        ("https://imgur.com/search?q=cats", .search("cats", sort: "time", window: "all", type: nil)),
        ("https://imgur.com/search?q=red+cats&q_type=anigif", .search("red cats", sort: "time", window: "all", type: "anigif")),
        ("https://imgur.com/search/top/week?q=sunset%20sea", .search("sunset sea", sort: "top", window: "week", type: nil)),
        ("https://imgur.com/search/score?q=cats", .search("cats", sort: "top", window: "all", type: nil)),
        ("https://imgur.com/search/score/all?q=cats", .search("cats", sort: "top", window: "all", type: nil)),
        ("https://imgur.com/search/relevance?q=cats", .search("cats", sort: "viral", window: "all", type: nil)),
        ("imgur.com/a/AbC12?ref=https://reddit.com/r/pics", .album(id: "AbC12")),
        ("https://imgur.com:443/a/AbC12", .album(id: "AbC12")),
        ("https://imgur.com./gallery/XyZ9876/", .post(id: "XyZ9876")),
        ("https://i.imgur.com/Qwe1234.jpg/", .image(id: "Qwe1234")),
        ("https://i.imgur.com/Qwe1234.jpg?1", .image(id: "Qwe1234")),
        ("https://i.imgur.com/Qwe1234_d.webp?maxwidth=760&fidelity=grand", .image(id: "Qwe1234")),
        ("https://i.imgur.com/abcdeh.jpg", .image(id: "abcde")),
        ("https://m.imgur.io/user/alice/", .user("alice")),
        // The site's sort words are mapped; one the API doesn't know is left to the default.
        ("https://imgur.com/search/sideways/week?q=x", .search("x", sort: "time", window: "week", type: nil)),
    ]

    @Test("every URL form maps to its source", arguments: acceptedURLs.indices)
    func accepted(_ index: Int) throws {
        let (url, expected) = Self.acceptedURLs[index]
        #expect(try ImgurURL.parse(url) == expected, "\(url)")
    }

    static let refusedURLs: [(String, String)] = [
        ("", "empty"),
        ("   ", "empty"),
        ("ftp://imgur.com/a/AbC12", "not an http"),
        ("javascript://imgur.com/a/AbC12", "not an http"),
        ("https://example.com/a/AbC12", "not an Imgur URL"),
        ("https://imgur.com.evil.example/a/AbC12", "not an Imgur URL"),
        ("https://user@imgur.com/a/AbC12", "not an Imgur URL"),
        ("https:///a/AbC12", "no host"),
        ("https://imgur.com/", "no album"),
        ("https://imgur.com/a/", "not a page"),
        ("https://imgur.com/a/../../etc/passwd", "not a page"),
        ("https://imgur.com/a/%2E%2E", "no Imgur id"),
        ("https://imgur.com/gallery/", "not a page"),
        ("https://imgur.com/t/ca%2Fts", "not a tag"),
        ("https://imgur.com/t/../x", "not a tag"),
        ("https://imgur.com/user/alice/comments", "not a page"),
        ("https://imgur.com/upload", "not a page"),
        ("https://imgur.com/search", "without a query"),
        ("https://imgur.com/search?q=", "without a query"),
        ("https://imgur.com/search?q=x&q_type=exe", "unknown search type"),
        ("https://i.imgur.com/a/b.jpg", "not an image link"),
        ("https://i.imgur.com/<script>.jpg", "not an image link"),
        ("https://imgur.com/" + String(repeating: "a", count: 3000), "longer than 2048"),
        ("https://imgur.com/random", "not a page"),
        ("https://imgur.com/rules", "not a page"),
        ("https://imgur.com/abcdef", "not an Imgur id"),
        ("https://imgur.com/t/cats/top", "not an Imgur id"),
        ("https://imgur.com/r/pics/new", "not an Imgur id"),
        ("javascript:alert(1)", "not an http"),
    ]

    @Test("anything else is refused with a reason naming the URL", arguments: refusedURLs.indices)
    func refused(_ index: Int) {
        let (url, reason) = Self.refusedURLs[index]
        #expect {
            _ = try ImgurURL.parse(url)
        } throws: { error in
            guard let error = error as? ImgurError else { return false }
            return error.code == .badRequest && error.message.contains(reason) && error.request == String(url.trimmingCharacters(in: .whitespaces).prefix(120))
        }
    }

    @Test("--sort and --window apply where the endpoint takes them; a search URL's own order is the fallback")
    func order() throws {
        let order = ImgurURL.Order(sort: "top", window: "week")
        #expect(try ImgurURL.parse("https://imgur.com/t/cats", order: order) == .tag("cats", sort: "top", window: "week"))
        #expect(try ImgurURL.parse("https://imgur.com/r/pics", order: order) == .subreddit("pics", sort: "top", window: "week"))
        #expect(try ImgurURL.parse("https://imgur.com/search/viral/day?q=x", order: ImgurURL.Order(window: "year"))
                == .search("x", sort: "viral", window: "year", type: nil))
        #expect(try ImgurURL.parse("https://imgur.com/a/AbC12", order: order) == .album(id: "AbC12"))
        #expect(throws: ImgurError.self) { try ImgurURL.search("x", order: ImgurURL.Order(sort: "newest")) }
        #expect(throws: ImgurError.self) { try ImgurURL.search("  ", order: ImgurURL.Order()) }
    }

    @Test("each source asks the endpoint of its kind; the search query is percent-encoded")
    func paths() {
        #expect(ImgurSource.album(id: "AbC12").path(page: 3) == "/3/album/AbC12")
        #expect(ImgurSource.post(id: "XyZ9876").path(page: 0) == "/3/gallery/XyZ9876")
        #expect(ImgurSource.image(id: "Qwe1234").path(page: 0) == "/3/image/Qwe1234")
        #expect(ImgurSource.tag("cats", sort: "viral", window: "week").path(page: 2) == "/3/gallery/t/cats/viral/week/2")
        #expect(ImgurSource.subreddit("pics", sort: "time", window: "all").path(page: 0) == "/3/gallery/r/pics/time/all/0")
        #expect(ImgurSource.user("alice").path(page: 1) == "/3/account/alice/submissions/1")
        #expect(ImgurSource.favorites("bob").path(page: 4) == "/3/account/bob/gallery_favorites/4")
        #expect(ImgurSource.search("red cats & dogs/#1?", sort: "top", window: "all", type: "anigif").path(page: 0)
                == "/3/gallery/search/top/all/0?q=red%20cats%20%26%20dogs%2F%231%3F&q_type=anigif")
        #expect(ImgurSource.tag("cats", sort: "time", window: "all").shape == .taggedPages)
        #expect(ImgurSource.post(id: "x").shape == .single)
        #expect(ImgurSource.user("x").shape == .pages)
    }
}
