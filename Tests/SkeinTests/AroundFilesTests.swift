import Basics
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

/// What goes around each file: sidecars and metadata.jsonl, name templates, filters, video
/// thumbnails, and politeness with the API (User-Agent, connection cap, credit budget, over
/// capacity).
@Suite("Around each file: sidecars, names, filters, video thumbnails, politeness")
struct AroundFilesTests {
    static func with<T: Sendable>(pageSize: Int = 5, configure: @Sendable (inout ServerOptions) -> Void = { _ in },
                                  _ body: @Sendable (_ url: String, _ server: GalleryServer) async throws -> T) async throws -> T {
        var options = ServerOptions()
        options.pageSize = pageSize
        configure(&options)
        return try await TestGallery.with(items: ImgurSourcesTests.items, seed: ImgurSourcesTests.seed, videos: true,
                                          options: options, body)
    }

    static func source(_ url: String, _ sources: [ImgurSource], filters: ItemFilters = ItemFilters(),
                       api: APIPoliteness = APIPoliteness()) -> LinkSource {
        .api(base: url, clientID: ClientID("test"), sources: sources, limit: 10_000, extractor: LinkExtractor(filters: filters), api: api)
    }

    static let environment = ["IMGUR_CLIENT_ID": "test", "PATH": "/usr/bin:/bin"]

    // MARK: Sidecars

    @Test("--write-metadata: a valid JSON sidecar per file with what the API said, and metadata.jsonl, for every source",
          arguments: 0..<9)
    func sidecars(_ index: Int) async throws {
        try await Self.with { url, server in
            let corpus = server.corpus
            let (page, expected) = try ImgurSourcesTests.cases(corpus)[index]
            try await TemporaryFolder.with { out in
                var fetch = Fetch(output: out, engine: Engine(.async, workers: 8))
                fetch.stage.writesMetadata = true
                let report = try await fetch.run(listing: Self.source(url, [try ImgurURL.parse(page)]))
                #expect(report.failed.isEmpty && report.itemCount == expected.count)
                let lines = try String(contentsOfFile: out + "/metadata.jsonl", encoding: .utf8).split(separator: "\n")
                #expect(lines.count == expected.count)
                for item in report.items {
                    let file = try #require(item.file)
                    let data = try #require(FileManager.default.contents(atPath: out + "/" + file + ".json"), "\(file).json")
                    let record = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
                    let image = try #require(corpus.image(id: item.id ?? ""))
                    for key in ["id", "title", "description", "datetime", "account", "album_id", "album_title", "tags", "nsfw",
                                "width", "height", "size", "animated", "mp4", "views", "url", "source", "file"] {
                        #expect(record.keys.contains(key), "\(file).json has no \(key)")
                    }
                    #expect(record["id"] as? String == image.id)
                    #expect(record["title"] as? String == image.title)
                    #expect(record["width"] as? Int == image.width && record["height"] as? Int == image.height)
                    #expect(record["animated"] as? Bool == image.animated)
                    #expect(record["file"] as? String == file)
                    let meta = try #require(corpus.meta(ofImage: image.id))
                    #expect(record["account"] as? String == meta.account)
                    #expect(record["tags"] as? [String] == meta.tags)
                    #expect(record["nsfw"] as? Bool == meta.nsfw)
                    let posted = try #require(record["datetime"] as? String)
                    #expect(ISO8601DateFormatter().date(from: posted) == Date(timeIntervalSince1970: TimeInterval(image.datetime)))
                    if case .album(let albumID, let title, _, _) = corpus.entries[corpus.catalogue.entryOfImage[corpus.images.firstIndex { $0.id == image.id }!]!] {
                        #expect(record["album_id"] as? String == albumID && record["album_title"] as? String == title)
                    } else {
                        #expect(record["album_id"] is NSNull)
                    }
                    #expect(lines.contains { $0.contains("\"id\":\"\(image.id)\"") })
                }
            }
        }
    }

    @Test("a title holding quotes, newlines, control characters and a path stays valid JSON and a safe name")
    func hostileTitle() async throws {
        try await Self.with { url, server in
            let image = server.corpus.images[3]
            #expect(image.title.contains("\"") && image.title.contains("\n") && image.title.contains("../"))
            try await TemporaryFolder.with { out in
                var fetch = Fetch(output: out, engine: Engine(.async, workers: 2))
                fetch.stage.writesMetadata = true
                fetch.stage.naming = try NameTemplate("{title}/{title}-{id}.{ext}")
                let report = try await fetch.run(listing: Self.source(url, [.image(id: image.id)]))
                let file = try #require(report.items.first?.file)
                let parts = file.split(separator: "/")
                #expect(parts.count == 2 && parts.allSatisfy { !$0.hasPrefix(".") && !$0.contains("\n") && !$0.contains("\"") }, "\(file)")
                let data = try #require(FileManager.default.contents(atPath: out + "/" + file + ".json"))
                let record = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
                #expect(record["title"] as? String == image.title)
            }
        }
    }

    // MARK: Names

    @Test("--name: every field, folders inside --out, the extension from the bytes, and no overwrite")
    func templates() async throws {
        try await Self.with { url, server in
            let corpus = server.corpus
            try await TemporaryFolder.with { out in
                var fetch = Fetch(output: out, engine: Engine(.async, workers: 4))
                fetch.stage.naming = try NameTemplate("{account}/{tag}/{date:%Y}-{album_id}{album}-{index}-{title}_{id}.{ext}")
                let report = try await fetch.run(listing: Self.source(url, [.user("carol")]))
                #expect(report.failed.isEmpty && report.itemCount > 0)
                for item in report.items {
                    let file = try #require(item.file)
                    let image = try #require(corpus.image(id: item.id ?? ""))
                    let meta = try #require(corpus.meta(ofImage: image.id))
                    let parts = file.split(separator: "/").map(String.init)
                    #expect(parts.count == 3, "\(file)")
                    #expect(parts[0] == "carol" && parts[1] == meta.tags.first)
                    #expect(parts[2].hasPrefix("2023-") && parts[2].hasSuffix("_\(image.id)" + ImgurSourcesTests.expectedFile(image).name.suffix(4)), "\(file)")
                    #expect(parts[2].contains(SafeName.segment(image.title)!))
                    #expect(bytes(of: out + "/" + file) == Array(ImgurSourcesTests.expectedFile(image).bytes.readableBytesView))
                }
                // Every item under one name: the first takes it, the others get -2, -3… and
                // nothing is overwritten.
                var same = Fetch(output: out + "/same", engine: Engine(.async, workers: 4))
                same.stage.naming = try NameTemplate("pictures/x")
                let again = try await same.run(listing: Self.source(url, [.tag("food", sort: "time", window: "all")]))
                let files = again.items.compactMap(\.file)
                #expect(Set(files).count == files.count && files.count == again.itemCount)
                #expect(files.allSatisfy { $0.hasPrefix("pictures/x") })
            }
        }
    }

    static let refusedTemplates: [(String, String)] = [
        ("", "empty"), ("/etc/{id}", "inside --out"), ("../{id}", "leave the folder"), ("{id}/../x", "leave the folder"),
        ("{title}", "could come out empty"), ("{album}/{tag}.{ext}", "could come out empty"), ("{nope}", "unknown field"),
        ("{id", "without its }"), ("id}", "without its {"), ("{ext}/{id}", "{ext} may only end"), ("{date:%Q}", "%Q"),
        (".{ext}", "empty"),
    ]

    @Test("a template that could leave the folder or name nothing is refused before anything is fetched", arguments: refusedTemplates.indices)
    func refusedTemplate(_ index: Int) async throws {
        let (template, reason) = Self.refusedTemplates[index]
        try await Self.with { url, server in
            let before = server.stats.apiRequestCount
            let run = try await SkeinExecutable.run(["fetch", "--api-base", url, "https://imgur.com/t/cats", "--name", template,
                                                     "--out", "/tmp/skein-never-written"], environment: Self.environment)
            #expect(run.status == 2, "\(template): \(run.stderr)")
            #expect(run.stderr.contains(reason), "\(template): \(run.stderr)")
            #expect(server.stats.apiRequestCount == before)
            #expect(!FileManager.default.fileExists(atPath: "/tmp/skein-never-written"))
        }
    }

    @Test("templates escape braces and format dates")
    func templateDetails() throws {
        var link = ImageLink(id: "AbC1234", url: "https://i.imgur.com/AbC1234.jpg", type: "image/jpeg", source: "test")
        link.metadata = ItemMetadata(id: "AbC1234", title: "Fog", datetime: 1_700_000_000, tags: ["x"], index: 3)
        #expect(try NameTemplate("{{{id}}}").stem(for: link) == "_AbC1234_")
        // A value never makes a folder: its / is cleaned like any other character.
        #expect(try NameTemplate("{date:%Y/%m/%d %H.%M.%S %j}-{index}").stem(for: link) == "2023_11_14_22.13.20_318-3")
        #expect(try NameTemplate("{date:%Y}/{date:%m}/{id}").stem(for: link) == "2023/11/AbC1234")
        #expect(try NameTemplate("{album}/{title}-{id}.{ext}").stem(for: link) == "Fog-AbC1234")
        let bare = ImageLink(id: nil, url: "https://example.com/a/b/photo%20one.png?x=1", type: nil, source: "links.txt line 1")
        #expect(try NameTemplate("{account}/{id}").stem(for: bare) == "photo_one")
    }

    // MARK: Filters

    @Test("--nsfw, --since/--until and --min-width/--min-height: each drop counted and named")
    func filters() async throws {
        try await Self.with { url, server in
            let corpus = server.corpus
            let all = try await Self.source(url, [.user("alice")]).load()
            let ids = all.links.compactMap(\.id)
            let nsfw = ids.filter { corpus.meta(ofImage: $0)?.nsfw == true }
            #expect(!nsfw.isEmpty && nsfw.count < ids.count)
            let skip = try await Self.source(url, [.user("alice")], filters: ItemFilters(nsfw: .skip)).load()
            #expect(Set(skip.links.compactMap(\.id)) == Set(ids).subtracting(nsfw))
            #expect(Set(skip.skipped.filter { $0.cause == .filteredNSFW }.map(\.item)) == Set(nsfw.map { "image \($0)" }))
            let only = try await Self.source(url, [.user("alice")], filters: ItemFilters(nsfw: .only)).load()
            #expect(Set(only.links.compactMap(\.id)) == Set(nsfw))

            let dates = ids.map { corpus.image(id: $0)!.datetime }.sorted()
            let middle = dates[dates.count / 2]
            let since = try await Self.source(url, [.user("alice")], filters: ItemFilters(since: middle)).load()
            #expect(since.links.count == dates.filter { $0 >= middle }.count)
            #expect(since.skipped.filter { $0.cause == .filteredDate }.count == dates.filter { $0 < middle }.count)
            let until = try await Self.source(url, [.user("alice")], filters: ItemFilters(until: middle)).load()
            #expect(until.links.count == dates.filter { $0 < middle }.count)

            let widths = ids.map { corpus.image(id: $0)!.width }.sorted()
            let cut = widths[widths.count / 2]
            let wide = try await Self.source(url, [.user("alice")], filters: ItemFilters(minWidth: cut, minHeight: 1)).load()
            #expect(wide.links.count == widths.filter { $0 >= cut }.count)
            #expect(wide.skipped.allSatisfy { $0.cause == .filteredSize && $0.reason.contains("--min-width") })

            // The summary names them.
            let run = try await SkeinExecutable.run(["fetch", "--api-base", url, "https://imgur.com/user/alice", "--nsfw", "skip",
                                                     "--print-links"], environment: Self.environment)
            #expect(run.status == 0)
            #expect(run.stderr.contains("filtered-nsfw \(nsfw.count)"), "\(run.stderr)")
        }
    }

    @Test("bad filter values are usage errors naming the option", arguments: [
        (["--nsfw", "maybe"], "--nsfw"), (["--since", "yesterday"], "--since"), (["--until", "2024-02-30"], "--until"),
        (["--since", "2024-05-01", "--until", "2024-04-01"], "--since"), (["--min-width", "0"], "--min-width"),
        (["--api-connections", "0"], "--api-connections"), (["--keep-credits", "-1"], "--keep-credits"),
        (["--links", "/tmp/links.txt", "--nsfw", "skip"], "a --links file says nothing"),
    ])
    func badFilters(_ arguments: [String], _ option: String) async throws {
        let url = arguments.contains("--links") ? [] : ["https://imgur.com/t/cats"]
        let run = try await SkeinExecutable.run(["fetch"] + url + arguments, environment: Self.environment)
        #expect(run.status == 2 && run.stderr.contains(option), "\(run.stderr)")
    }

    @Test("with --thumbs-out, thumbnails keep the template's folders; a name like a thumbnail's is never taken for one")
    func thumbnailsOfTemplateFolders() async throws {
        try await Self.with { url, server in
            try await TemporaryFolder.with { out in
                // Every image of two accounts named 1, 2, 3… in a folder per account.
                let run = try await SkeinExecutable.run(["run", "--api-base", url, "https://imgur.com/user/alice", "https://imgur.com/user/bob",
                                                         "--name", "{account}/{index}", "--out", out + "/img", "--thumbs-out", out + "/thumbs"],
                                                        environment: Self.environment)
                #expect(run.status == 0, "\(run.stdout) \(run.stderr)")
                let alice = TemporaryFolder.files(in: out + "/thumbs/alice"), bob = TemporaryFolder.files(in: out + "/thumbs/bob")
                #expect(alice.contains("1_thumbnail.jpg") || alice.contains("1_thumbnail.png") || alice.contains("1_thumbnail.gif"), "\(alice)")
                #expect(alice.count == TemporaryFolder.files(in: out + "/img/alice").count)
                #expect(bob.count == TemporaryFolder.files(in: out + "/img/bob").count)
                // A template that names a file like a thumbnail: kept apart from the thumbnails.
                let clash = try await SkeinExecutable.run(["run", "--api-base", url, "https://imgur.com/\(server.corpus.images[0].id)",
                                                           "--name", "cat_thumbnail", "--out", out + "/clash"], environment: Self.environment)
                #expect(clash.status == 0, "\(clash.stdout) \(clash.stderr)")
                let files = TemporaryFolder.files(in: out + "/clash").filter { !$0.hasPrefix(".") }
                #expect(files.contains { $0.hasPrefix("cat_thumbnail-file.") } && files.contains { $0.hasPrefix("cat_thumbnail-file_thumbnail.") },
                        "\(files)")
            }
        }
    }

    // MARK: Video thumbnails

    @Test("odd and broken videos get a named failure or a thumbnail, never a crash")
    func oddVideos() async throws {
        try await TemporaryFolder.with { folder in
            let ffmpeg = "/usr/bin/ffmpeg"
            let make: [(String, [String])] = [
                ("audio.mp4", ["-f", "lavfi", "-i", "sine=duration=1", "-c:a", "aac"]),
                ("yuv444.mp4", ["-f", "lavfi", "-i", "testsrc=size=320x240:duration=1", "-c:v", "libx264", "-pix_fmt", "yuv444p"]),
                ("big.mp4", ["-f", "lavfi", "-i", "testsrc=size=1920x1080:duration=0.2", "-c:v", "libx264", "-pix_fmt", "yuv420p"]),
                ("ten-bit.mp4", ["-f", "lavfi", "-i", "testsrc=size=160x120:duration=0.2", "-c:v", "libx264", "-pix_fmt", "yuv420p10le"]),
            ]
            for (name, arguments) in make {
                let run = try await SkeinExecutable.run(tool: ffmpeg, ["-v", "error", "-y"] + arguments + [folder + "/" + name])
                #expect(run.status == 0, "\(name): \(run.stderr)")
            }
            let whole = try #require(bytes(of: folder + "/yuv444.mp4"))
            _ = FileManager.default.createFile(atPath: folder + "/cut.mp4", contents: Data(whole.prefix(whole.count / 3)))
            let run = try await SkeinExecutable.run(["thumbs", folder, "--max-pixels", "1000000", "--json", folder + "/report.json"])
            #expect(run.status == 1, "\(run.stdout) \(run.stderr)")
            let out = run.stdout + run.stderr
            #expect(out.contains("audio.mp4: cannot decode the video: no video stream"), "\(out)")
            #expect(out.contains("big.mp4: refused: 1920x1080"), "\(out)")
            #expect(out.contains("cut.mp4: cannot decode the video"), "\(out)")
            #expect(FileManager.default.fileExists(atPath: folder + "/yuv444_thumbnail.jpg"))
            #expect(FileManager.default.fileExists(atPath: folder + "/ten-bit_thumbnail.jpg"))
            #expect(!out.contains("Fatal") && !out.contains("crashed"))
        }
    }

    @Test("an mp4 of the gallery gets a JPEG thumbnail of its first frame, close to what FFmpeg decodes")
    func videoThumbnail() async throws {
        try await Self.with { url, server in
            let image = try #require(server.corpus.images.first { $0.video != nil && $0.preview == nil })
            try await TemporaryFolder.with { out in
                let run = StreamingRun(output: out, fetchEngine: Engine(.async, workers: 2), thumbEngine: Engine(.threads, workers: 2))
                let report = try await run.run(listing: Self.source(url, [.image(id: image.id)]))
                #expect(report.failed.isEmpty, "\(report.failed.map { $0.error?.message ?? "" })")
                let thumbnail = out + "/" + image.id + "_thumbnail.jpg"
                let jpeg = try #require(bytes(of: thumbnail))
                #expect(ImageKind.sniff(jpeg) == .jpeg)
                let item = try #require(report.stages?[1].items.first)
                #expect((1...128).contains(item.width ?? 0) && (1...128).contains(item.height ?? 0))
                // Decoded by FFmpeg itself at the same size, and compared pixel by pixel.
                let size = "\(item.width!)x\(item.height!)"
                let reference = try await SkeinExecutable.run(tool: "/usr/bin/ffmpeg", ["-v", "error", "-i", out + "/" + image.videoFileName,
                    "-frames:v", "1", "-s", size, "-f", "rawvideo", "-pix_fmt", "rgb24", out + "/ref.rgb"])
                let ours = try await SkeinExecutable.run(tool: "/usr/bin/ffmpeg", ["-v", "error", "-i", thumbnail,
                    "-f", "rawvideo", "-pix_fmt", "rgb24", out + "/ours.rgb"])
                #expect(reference.status == 0 && ours.status == 0, "\(reference.stderr) \(ours.stderr)")
                let a = try #require(bytes(of: out + "/ref.rgb")), b = try #require(bytes(of: out + "/ours.rgb"))
                #expect(a.count == b.count && a.count == item.width! * item.height! * 3)
                let difference = zip(a, b).reduce(0) { $0 + abs(Int($1.0) - Int($1.1)) }
                #expect(Double(difference) / Double(max(1, a.count)) < 12, "mean difference \(Double(difference) / Double(max(1, a.count)))")
            }
        }
    }

    @Test("without FFmpeg's libraries: one clear line per video, the images still thumbnailed, no crash")
    func noVideoDecoder() async throws {
        try await Self.with { url, server in
            let image = try #require(server.corpus.images.first { $0.video != nil && $0.preview == nil })
            let still = try #require(server.corpus.images.first { !$0.animated && $0.kind == .jpeg })
            try await TemporaryFolder.with { out in
                var environment = Self.environment
                environment["SKEIN_FFMPEG_LIBS"] = out + "/no-such-folder"
                let run = try await SkeinExecutable.run(["run", "--api-base", url, "https://imgur.com/\(image.id)",
                                                         "https://imgur.com/\(still.id)", "--out", out + "/img"], environment: environment)
                #expect(run.status == 1, "\(run.stdout) \(run.stderr)")
                #expect((run.stdout + run.stderr).contains("\(image.id).mp4: no video decoder"), "\(run.stdout) \(run.stderr)")
                #expect(FileManager.default.fileExists(atPath: out + "/img/\(still.id)_thumbnail.jpg"))
                #expect(FileManager.default.fileExists(atPath: out + "/img/\(image.id).mp4"))
            }
        }
    }

    // MARK: Politeness

    @Test("every request says skein/VERSION; API connections are capped apart from the media's")
    func userAgentAndConnections() async throws {
        // Album fetches wait at the server until two are in flight (3 s at most), so that what
        // the client sends together is seen together, whatever the machine's load.
        try await Self.with(pageSize: 100, configure: { $0.apiRendezvous = 2 }) { url, server in
            let corpus = server.corpus
            // One page holds every entry, and the albums listed without their images are
            // fetched after it, as many at once as the cap allows.
            let albums = corpus.entries.filter { if case .album(_, _, _, false) = $0 { true } else { false } }
            #expect(albums.count >= 2)
            let gallery = ImgurSource.gallery(section: "hot", sort: "viral", window: "day")
            _ = try await Self.source(url, [gallery], api: APIPoliteness(connections: 1)).load()
            #expect(server.stats.peakConcurrentAPIRequests == 1)
            _ = try await Self.source(url, [gallery], api: APIPoliteness(connections: 4)).load()
            #expect(server.stats.peakConcurrentAPIRequests >= 2 && server.stats.peakConcurrentAPIRequests <= 4)
            try await TemporaryFolder.with { out in
                _ = try await Fetch(output: out, engine: Engine(.async, workers: 4)).run(listing: Self.source(url, [.user("bob")]))
            }
            #expect(server.stats.userAgents == ["skein/\(SkeinVersion.current)"], "\(server.stats.userAgents)")
        }
    }

    @Test("the credit budget stops the listing cleanly, says how to resume, and the rerun fetches only the rest")
    func creditBudget() async throws {
        try await TemporaryFolder.with { out in
            // The rerun must see the same links, so the second server takes the first one's port:
            // one below the kernel's range for port 0, which no other test's server can be given
            // in between.
            var port = Int.random(in: 20_000..<32_000)
            while !Self.canListen(on: port) { port = Int.random(in: 20_000..<32_000) }
            // 8 credits to spend before the 100 kept: the listing stops after a few pages.
            let first = try await Self.with(pageSize: 2, configure: { [port] in $0.clientLimit = 104; $0.userLimit = 500; $0.port = port }) { url, server in
                let run = try await SkeinExecutable.run(["fetch", "--api-base", url, "https://imgur.com/user/dave", "--out", out],
                                                        environment: Self.environment)
                #expect(run.status == 1, "\(run.stdout) \(run.stderr)")
                #expect(run.stdout.contains("credit-budget") && run.stdout.contains("--keep-credits 100") && run.stdout.contains("run the same command again"),
                        "\(run.stdout)")
                #expect(server.stats.apiRequestCount <= 4)
                return server.stats.requestsPerFile.count
            }
            #expect(first > 0)
            // Tomorrow, with the credits back (the same server, so the same links): the rest of
            // the listing, nothing fetched twice. The first server's listener may take a moment
            // to be gone: the port is waited for.
            for _ in 0..<100 where !Self.canListen(on: port) { try await Task.sleep(for: .milliseconds(100)) }
            try await Self.with(pageSize: 2, configure: { [port] in $0.port = port }) { url, server in
                let run = try await SkeinExecutable.run(["fetch", "--api-base", url, "https://imgur.com/user/dave", "--out", out],
                                                        environment: Self.environment)
                #expect(run.status == 0, "\(run.stdout) \(run.stderr)")
                #expect(run.stdout.contains("(\(first) already there)"), "\(run.stdout)")
                #expect(server.stats.requestsPerFile.values.allSatisfy { $0 == 1 })
                let dave = Self.allIDs(server.corpus, "dave")
                #expect(server.stats.requestsPerFile.count == dave.count - first)
            }
        }
    }

    /// Whether a listener can bind 127.0.0.1:`port` now (as the servers do, with SO_REUSEADDR).
    static func canListen(on port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var one: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        } == 0
    }

    static func allIDs(_ corpus: Corpus, _ user: String) -> [String] {
        ImgurSourcesTests.imageIDs(corpus, corpus.catalogue.byUser[user]!)
    }

    @Test("a 403 saying the API is over capacity is a throttle: waited out and retried, not an authentication error")
    func overCapacity() async throws {
        try await Self.with(configure: { $0.faults.overCapacityRequests = 2 }) { url, server in
            let links = try await Self.source(url, [.user("bob")]).load()
            let calm = try await Self.source(url, [.user("bob")]).load()
            #expect(!links.links.isEmpty && links.links.map(\.url) == calm.links.map(\.url))
            // The two 403s, then every request of a calm listing.
            #expect(server.stats.apiRequestCount == 2 + 2 * calm.apiRequests)
        }
    }
}
