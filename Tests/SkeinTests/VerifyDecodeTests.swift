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
import Thumbnailer

/// `--verify decode`: a JPEG whose image data is cut short but which ends with its end marker
/// is complete as far as its structure goes (header, size, end marker), so only a decode finds it.
@Suite("Verify decode: damage inside the image data is found before the file is kept")
struct VerifyDecodeTests {
    /// A corpus JPEG cut in the middle of its image data with an end marker put back (what
    /// broken tools and caches write): complete as far as the structure goes.
    static func damagedJPEG() async throws -> (whole: [UInt8], damaged: [UInt8]) {
        let corpus = try await TestCorpus.load(.small(items: 12, seed: 7))
        let jpeg = try #require(corpus.images.first { $0.kind == .jpeg && $0.bytes.readableBytes > 20_000 })
        let whole = Array(jpeg.bytes.readableBytesView)
        var damaged = Array(whole[..<(whole.count / 2)])
        if damaged.last == 0xFF { damaged.removeLast() }
        damaged += [0xFF, 0xD9]
        return (whole, damaged)
    }

    static func engine(_ kind: EngineKind) -> Engine {
        Engine(kind, workers: 2, processes: ProcessPoolConfiguration(executable: SkeinExecutable.path))
    }

    @Test("the structural check keeps the damaged JPEG; the decode refuses it, names the cause, and takes the whole one")
    func verifier() async throws {
        let (whole, damaged) = try await Self.damagedJPEG()
        let structure = damaged.withUnsafeBytes { raw in
            Result { () throws(ImageStructure.Problem) in try ImageStructure.check(raw, as: .jpeg, maxPixels: 100_000_000) }
        }
        #expect((try? structure.get()) != nil, "the damage is invisible to the structure")
        let verifier = DecodeVerifier()
        let problem = damaged.withUnsafeBytes { verifier.problem(decoding: $0, kind: .jpeg, path: "damaged.jpg", maxPixels: 100_000_000) }
        #expect(problem?.hasPrefix("does not decode: ") == true, "\(problem ?? "decoded")")
        #expect(whole.withUnsafeBytes { verifier.problem(decoding: $0, kind: .jpeg, path: "whole.jpg", maxPixels: 100_000_000) } == nil)
    }

    @Test("fetch keeps the damaged file by default; with verify decode it fails as corrupt-image, leaves no file, and keeps the whole one", arguments: [EngineKind.async, .processes])
    func fetchVerifies(_ kind: EngineKind) async throws {
        let (whole, damaged) = try await Self.damagedJPEG()
        try await AnyPathServer.with(body: damaged) { damagedURL in
            try await AnyPathServer.with(body: whole) { wholeURL in
                try await TemporaryFolder.with { parent in
                    let links = LinkSource.Links(links: [ImageLink(id: "bad", url: damagedURL + "/bad.jpg", type: nil, source: "test"),
                                                         ImageLink(id: "good", url: wholeURL + "/good.jpg", type: nil, source: "test")],
                                                 skipped: [], description: "test", apiRequests: 0, rateLimit: nil, seconds: 0)
                    let lax = try await Fetch(output: parent + "/lax", engine: Self.engine(kind)).run(links)
                    #expect(lax.failed.isEmpty, "the structural check alone can't see it")

                    var policy = DownloadPolicy()
                    policy.verifyDecode = true
                    let strict = try await Fetch(output: parent + "/strict", engine: Self.engine(kind), policy: policy).run(links)
                    let failed = try #require(strict.failed.first)
                    #expect(strict.failed.count == 1 && failed.item.hasSuffix("/bad.jpg"))
                    #expect(failed.error?.code == "corrupt-image")
                    #expect(failed.error?.message.contains("does not decode") == true, "\(failed.error?.message ?? "")")
                    let kept = TemporaryFolder.files(in: parent + "/strict").filter { $0 != Manifest.fileName }
                    #expect(kept == ["good.jpg"], "only the whole file under a final name, no temporary one: \(kept)")
                }
            }
        }
    }
}
