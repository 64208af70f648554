@testable import Downloader
import Foundation
@testable import GalleryServer
import ImgurAPI
import Pipeline
import NIOCore
import PropertyBased
import SafeFiles
import Basics
@testable import Engines
import SkeinTesting
import Testing
@testable import Thumbnailer

/// Random and mutated inputs for everything that parses what a server or a user hands Skein:
/// the API's JSON, links, range headers, image headers. None may crash; each gives a result
/// that holds up or a named error. (swift-property-based prints the seed of a failing case;
/// `.fixedSeed(...)` on the test replays it.)
@Suite("Properties: random and mutated inputs never crash and always get a named answer")
struct PropertyTests {
    // MARK: Mutations

    /// Tokens inserted into JSON: the shapes a broken or hostile API answers with.
    static let tokens: [String] = ["null", "1e999", "-0", "\"\"", "\"x\"", "[", "]", "{", "}", ",", ":", "true",
                                   "\"\\u0000\"", "\"\\ud800\"", "[[[[", "{\"data\":", "9223372036854775808", "\u{FEFF}"]

    /// Applies mutations to `bytes`, each one encoded in an integer: flip a byte, delete a
    /// few, insert a token (or random bytes), truncate, or set a byte to 0xFF (dimensions,
    /// lengths). Half of the positions fall in the first 64 bytes, where headers are.
    static func mutate(_ bytes: [UInt8], _ operations: [Int]) -> [UInt8] {
        var out = bytes
        for op in operations {
            let span = op & 1 == 0 ? min(out.count, 64) : out.count
            let at = span == 0 ? 0 : (op >> 4) % (span + 1)
            switch (op >> 1) % 6 {
            case 0: if at < out.count { out[at] ^= UInt8(truncatingIfNeeded: op >> 24) | 1 }
            case 1: out.removeSubrange(at..<min(out.count, at + 1 + (op >> 40) % 16))
            case 2: out.insert(contentsOf: Array(tokens[(op >> 20) % tokens.count].utf8), at: at)
            case 3: out.insert(contentsOf: (0..<(op >> 36) % 9).map { UInt8(truncatingIfNeeded: op >> (8 * ($0 % 7))) }, at: at)
            case 4: if at > 0 { out.removeSubrange(at...) }
            default: if at < out.count { out[at] = 0xFF }
            }
        }
        return out
    }

    static let operations = Gen.int(in: 0...Int.max).array(of: 1...6)

    // MARK: The API's JSON

    /// A gallery answer with what real ones hold: an album with images, an animated item, an
    /// item without a link, one with a link that isn't http.
    static let galleryAnswer = """
        {"data":[{"id":"a1","is_album":true,"images_count":2,"link":"https://imgur.com/a/a1","images":[
        {"id":"i1","type":"image/jpeg","link":"https://i.imgur.com/i1.jpg"},{"id":"i2","type":"image/png","link":"https://i.imgur.com/i2.png"}]},
        {"id":"g1","type":"image/gif","animated":true,"mp4":"https://i.imgur.com/g1.mp4","link":"https://i.imgur.com/g1.gif"},
        {"id":"n1","type":"image/jpeg","link":null},{"id":"j1","type":"image/jpeg","link":"javascript:alert(1)"},
        {"id":"h1","type":"image/jpeg","link":"http:.com/h1.jpg"},
        {"id":"p1","type":"image/png","link":"http://i.imgur.com/p1.png","width":"640","size":12.5}],
        "success":true,"status":200}
        """

    static let answers: [[UInt8]] = [
        Array(galleryAnswer.utf8),
        Array((try? Data(contentsOf: fixture("gallery-subreddit.json"))) ?? Data()),
        Array((try? Data(contentsOf: fixture("error-404-follow-tag.json"))) ?? Data()),
    ]

    /// Decodes `bytes` as a gallery answer; checks whatever comes out.
    static func checkAnswer(_ bytes: [UInt8]) {
        let path = "/3/gallery/hot/viral/day/0"
        let data = Data(bytes)
        do throws(ImgurError) {
            let list = try ImgurClient.decodeItems(data, path: path)
            // Every element of `data` is an item or a line saying why not: none vanishes.
            if let json = try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed]) as? [String: Any],
               let array = json["data"] as? [Any] {
                #expect(list.elements.count + list.rejected.count == array.count)
            }
            let yield = LinkExtractor().extract(list.elements, source: "property")
            for link in yield.links {
                #expect(link.url.lowercased().hasPrefix("http://") || link.url.lowercased().hasPrefix("https://"), "\(link.url)")
            }
            for skipped in yield.skipped { #expect(!skipped.reason.isEmpty) }
        } catch {
            #expect([ImgurError.Code.malformed, .unsuccessful].contains(error.code), "\(error)")
            #expect(error.description.hasPrefix(path + ": ") && !error.message.isEmpty)
        }
    }

    @Test("the API's answers, mutated: decoded with every element accounted for, or refused as malformed naming the request")
    func mutatedAnswers() async {
        #expect(Self.answers.allSatisfy { !$0.isEmpty })
        // Unmutated, the gallery answer gives four links and says why the other three give none.
        // (`http:.com/h1.jpg` is the case this property found: http, but no host.)
        let items = try? ImgurClient.decodeItems(Data(Self.answers[0]), path: "/3/gallery").elements
        let yield = LinkExtractor().extract(items ?? [], source: "test")
        #expect(Set(yield.links.compactMap(\.id)) == ["i1", "i2", "g1", "p1"])
        #expect(Set(yield.skipped.map { "\($0.item) \($0.cause)" }) == ["image n1 no-link", "image j1 refused-scheme", "image h1 bad-link"])
        await propertyCheck(count: 400, input: Gen.int(in: 0...(Self.answers.count - 1)), Self.operations) { which, ops in
            Self.checkAnswer(Self.mutate(Self.answers[which], ops))
        }
    }

    static let elements: [String] = [
        #"{"id":"ok1","type":"image/jpeg","link":"https://i.imgur.com/ok1.jpg"}"#, "5", #""text""#, "null", "[1,2]", "{}",
        #"{"id":5}"#, "true", #"{"link":null}"#, #"{"id":"x","link":["a"]}"#, #"{"images":7,"is_album":true}"#, "-1.5e300",
    ]

    @Test("any JSON value in a listing: each is an item or a rejected line, and the ones after it are still read")
    func listingElements() async {
        await propertyCheck(count: 300, input: Gen<String?>.element(of: Self.elements).map { $0! }.array(of: 0...12)) { values in
            let answer = #"{"data":["# + values.joined(separator: ",") + #"],"success":true,"status":200}"#
            do {
                let list = try ImgurClient.decodeItems(Data(answer.utf8), path: "/3/gallery")
                #expect(list.elements.count + list.rejected.count == values.count, "\(answer)")
                #expect(list.elements.count >= values.filter { $0.hasPrefix(#"{"id":"ok1""#) }.count)
            } catch {
                Issue.record("a well-formed listing was refused: \(error)")
            }
        }
    }

    // MARK: Links and headers

    static let linkPieces: [String] = ["http://", "https://", "HTTPS://", "ftp://", "file:///", "javascript:", "data:image/png;base64,",
                                       "//", "..", "/", "%2F", "%00", "?", "#", "@", ":", ":99999", "[::1]", "é", " ", "\u{0}",
                                       "host", "i.imgur.com", "a.jpg", "\\", "\n", "%", "..%2F..%2F", String(repeating: "x", count: 300)]

    static let links = Gen<String?>.element(of: Self.linkPieces).map { $0! }.array(of: 0...8).map { $0.joined() }

    @Test("links: only absolute http(s) with a host are fetched, any other is a bad-link; every file name stays safe")
    func linksAndNames() async {
        await propertyCheck(count: 500, input: Self.links, Gen.latin1.string(of: 0...40).optional()) { link, id in
            do throws(DownloadError) {
                let url = try Downloader.validatedURL(link)
                #expect(["http", "https"].contains(url.scheme?.lowercased() ?? ""))
                #expect(!(url.host ?? "").isEmpty)
            } catch {
                #expect(error.code == .badLink && !error.message.isEmpty, "\(error)")
            }
            let stem = SafeName.stem(id: id, url: link)
            #expect(!stem.isEmpty && !stem.hasPrefix(".") && !stem.contains("/") && !stem.contains("\u{0}"), "\(stem)")
            #expect(stem.utf8.count <= SafeName.maxStemLength * 4 && stem.count <= SafeName.maxStemLength)
        }
    }

    static let urlPieces: [String] = ["https://", "http://", "ftp://", "imgur.com", "i.imgur.com", "m.imgur.io", "evil.com", "@",
                                      "/", "/a/", "/gallery/", "/t/", "/r/", "/user/", "/favorites", "/posts", "/search", "?q=",
                                      "&q_type=", "anigif", "AbC1234", "word-", "..", "%2F", "%00", "#", ".jpg", "h.gif", " ", "é",
                                      "+", "&", "=", "\u{0}", String(repeating: "z", count: 70)]

    @Test("page URLs: every one is a source whose API path stays under /3/ with safe characters, or a bad-request naming it")
    func pageURLs() async {
        let urls = Gen<String?>.element(of: Self.urlPieces).map { $0! }.array(of: 0...9).map { $0.joined() }
        await propertyCheck(count: 800, input: urls) { url in
            do throws(ImgurError) {
                let source = try ImgurURL.parse(url)
                for page in [0, 7] {
                    let path = source.path(page: page)
                    // The query (a search's words) may hold dots; the path may not climb.
                    let route = path.split(separator: "?", maxSplits: 1).first.map(String.init) ?? path
                    #expect(route.hasPrefix("/3/") && !route.split(separator: "/").contains(where: { $0.allSatisfy { $0 == "." } })
                            && !route.contains("//"), "\(url) → \(path)")
                    let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789/_-.~%?=&")
                    #expect(path.allSatisfy { allowed.contains($0) }, "\(url) → \(path)")
                }
            } catch {
                #expect(error.code == .badRequest && !error.message.isEmpty, "\(url): \(error)")
                #expect(error.request == String(url.trimmingCharacters(in: .whitespaces).prefix(120)) || url.utf8.count > 2048 || url.contains("\u{0}"),
                        "\(url): \(error.request)")
            }
        }
    }

    static let templatePieces: [String] = ["{id}", "{title}", "{album}", "{album_id}", "{account}", "{tag}", "{index}", "{date}",
                                           "{date:%Y}", "{date:%Q}", ".{ext}", "{ext}", "/", "//", "..", ".", "{", "}", "{{", "}}",
                                           "x", "é", " ", "\u{0}", "%", "-", "{nope}", "../", "/.."]
    static let values: [String] = ["", "..", ".", "/", "../../etc", "a/b", "\u{0}", " ", "é🐈", "\n", String(repeating: "v", count: 300), "ok"]

    @Test("name templates: refused before any fetch, or every path they make stays inside the folder with safe names")
    func nameTemplates() async {
        let templates = Gen<String?>.element(of: Self.templatePieces).map { $0! }.array(of: 0...7).map { $0.joined() }
        let value = Gen<String?>.element(of: Self.values).map { $0! }
        await propertyCheck(count: 600, input: templates, value, value) { text, title, album in
            let template: NameTemplate
            do throws(PipelineError) { template = try NameTemplate(text) } catch {
                #expect(error.code == .configuration && error.message.contains("--name"), "\(text): \(error)")
                return
            }
            var link = ImageLink(id: title.isEmpty ? nil : "AbC1234", url: "https://i.imgur.com/" + album, type: nil, source: "p")
            link.metadata = ItemMetadata(id: link.id, title: title, albumID: album, albumTitle: album, tags: [title], index: 1)
            let stem = template.stem(for: link)
            let names = stem.split(separator: "/", omittingEmptySubsequences: false)
            #expect(!stem.isEmpty && !stem.hasPrefix("/"), "\(text) → \(stem)")
            for name in names {
                #expect(!name.isEmpty && !name.hasPrefix(".") && !name.hasPrefix("-") && name.count <= SafeName.maxStemLength
                        && name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "._-".contains($0)) }, "\(text) → \(stem)")
            }
        }
    }

    static let rangePieces: [String] = ["bytes", "bytes=", "bytes ", "=", "-", "/", ",", "0", "1", "9", "-5", "100", "*", " ",
                                        "99999999999999999999", "items=", "\t", "+3", "0x10"]

    @Test("range headers: Range resolves inside the body or not at all; Content-Range only with start <= end < length")
    func rangeHeaders() async {
        let header = Gen<String?>.element(of: Self.rangePieces).map { $0! }.array(of: 0...7).map { $0.joined() }
        await propertyCheck(count: 500, input: header, Gen.int(in: 0...5000)) { text, total in
            switch ByteRange(header: text, total: total) {
            case .part(let start, let end)?:
                #expect(0 <= start && start <= end && end < total, "\(text) of \(total): \(start)-\(end)")
            case .unsatisfiable?, nil:
                break
            }
            if let range = ContentRange(text) {
                #expect(0 <= range.start && range.start <= range.end && range.end < range.length, "\(text)")
            }
        }
    }

    // MARK: Image headers

    /// A JPEG, a PNG and a GIF of the corpus.
    static func images() async throws -> [[UInt8]] {
        let corpus = try await TestCorpus.load(.small(items: 12, seed: 7))
        var picked: [[UInt8]] = []
        for kind in [CorpusImage.Kind.jpeg, .png, .gif] {
            if let image = corpus.images.first(where: { $0.kind == kind }) { picked.append(Array(image.bytes.readableBytesView)) }
        }
        return picked
    }

    /// What the direct decoders make of `bytes`: a size, nil (handed to libvips), or an error.
    static func direct(_ bytes: [UInt8], kind: ImageKind, spec: ThumbnailSpec) throws(ThumbnailError) -> (Int, Int)? {
        let made: Result<(Int, Int)?, ThumbnailError> = bytes.withUnsafeBytes { raw in
            Result { () throws(ThumbnailError) -> (Int, Int)? in
                guard let thumbnail = try DirectThumbnail.make(raw, kind: kind, spec: spec, path: "mutated") else { return nil }
                return (thumbnail.width, thumbnail.height)
            }
        }
        return try made.get()
    }

    @Test("images, mutated or random after a real signature: the structure check and the direct decoders give a size or a named error")
    func mutatedImages() async throws {
        let images = try await Self.images()
        #expect(images.count == 3)
        let signatures: [[UInt8]] = [[0xFF, 0xD8, 0xFF, 0xE0], [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A], Array("GIF89a".utf8)]
        let spec = ThumbnailSpec(width: 32, height: 32, maxPixels: 4_000_000)
        await propertyCheck(count: 400, input: Gen.int(in: 0...5), Self.operations, Gen.uint8().array(of: 0...300)) { which, ops, noise in
            let bytes = which < 3 ? Self.mutate(images[which], ops) : signatures[which - 3] + noise
            guard bytes.count > 0, bytes.count <= 8 << 20, !bytes.isEmpty, let kind = ImageKind.sniff(bytes.prefix(16)) else { return }
            let checked = bytes.withUnsafeBytes { raw in
                Result { () throws(ImageStructure.Problem) in try ImageStructure.check(raw, as: kind, maxPixels: spec.maxPixels) }
            }
            switch checked {
            case .success(let size):
                #expect(size.width > 0 && size.height > 0 && size.width * size.height <= spec.maxPixels)
            case .failure(let problem):
                #expect(!problem.description.isEmpty)
            }
            do throws(ThumbnailError) {
                if let (width, height) = try Self.direct(bytes, kind: kind, spec: spec) {
                    #expect((1...32).contains(width) && (1...32).contains(height), "\(width)x\(height)")
                }
            } catch {
                #expect([ThumbnailError.Code.corrupt, .tooManyPixels].contains(error.code), "\(error)")
                #expect(!error.message.isEmpty)
            }
        }
    }
}

/// The compact sets long runs keep instead of `Set`s.
@Suite("Compact sets: the same answers as Set, in a fraction of the memory")
struct CompactSetTests {
    @Test("HashSeen answers insert and contains as a Set does, across its merges")
    func hashSeen() async {
        await propertyCheck(count: 50, input: Gen.int(in: 0...3_000).array(of: 0...3_000)) { values in
            var compact = HashSeen()
            var oracle = Set<Int>()
            for value in values { #expect(compact.insert(value) == oracle.insert(value).inserted) }
            #expect(compact.count == oracle.count)
            for probe in 0...3_001 { #expect(compact.contains(probe) == oracle.contains(probe)) }
        }
    }

    @Test("IndexBits answers insert and contains as a Set does; negative indexes are never in it")
    func indexBits() async {
        await propertyCheck(count: 100, input: Gen.int(in: -5...5_000).array(of: 0...2_000)) { values in
            var bits = IndexBits()
            var oracle = Set<Int>()
            for value in values {
                let expected = value >= 0 && oracle.insert(value).inserted
                #expect(bits.insert(value) == expected)
            }
            #expect(bits.count == oracle.count)
            for probe in -5...5_001 { #expect(bits.contains(probe) == oracle.contains(probe)) }
        }
    }
}
