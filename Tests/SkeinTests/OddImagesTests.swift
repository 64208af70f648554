import Foundation
import SafeFiles
import SkeinTesting
import Testing
import Thumbnailer

/// Odd files real cameras, editors and old tools write, made by `scripts/odd-images.py`: junk
/// between JPEG markers, broken ICC profiles, a GIF without a colour table, beside plain files
/// and broken ones. Skein is held against another decoder, Pillow, on each: the benign ones
/// are shown (with a note), the broken ones refused, and the two agree.
@Suite("Odd images: benign oddities taken, broken files refused, as Pillow does")
struct OddImagesTests {
    static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("scripts/odd-images.py").path

    struct PillowVerdict: Decodable {
        var ok: Bool
        var width: Int?
        var height: Int?
        var error: String?
    }

    /// Skein's verdict on one file: a thumbnail (and its note) or the error's code.
    struct SkeinVerdict {
        var thumbnail: ThumbnailResult?
        var code: String?
        var message: String?
        var ok: Bool { thumbnail != nil }
    }

    static func verdict(_ path: String, backend: ThumbnailBackend, output: String) -> SkeinVerdict {
        do {
            let made = try Thumbnailer(spec: ThumbnailSpec(width: 128, height: 128), outputDirectory: output, backend: backend)
                .makeThumbnail(of: path)
            return SkeinVerdict(thumbnail: made)
        } catch {
            return SkeinVerdict(code: error.code.rawValue, message: error.message)
        }
    }

    @Test("the direct path and libvips agree with Pillow on every file; the download check too")
    func differential() async throws {
        try await TemporaryFolder.with { folder in
            let files = folder + "/odd"
            let make = try await SkeinExecutable.run(tool: "/usr/bin/env", ["python3", Self.script, "make", files])
            try #require(make.status == 0, "the odd files could not be made (Pillow is needed; make test installs it): \(make.stderr)")
            let expected = try JSONDecoder().decode([String: String].self,
                                                    from: Data(contentsOf: URL(fileURLWithPath: files + "/expected.json")))
            try FileManager.default.removeItem(atPath: files + "/expected.json")
            let judged = try await SkeinExecutable.run(tool: "/usr/bin/env", ["python3", Self.script, "judge", files])
            try #require(judged.status == 0, "\(judged.stderr)")
            let pillow = try JSONDecoder().decode([String: PillowVerdict].self, from: Data(judged.stdout.utf8))
            #expect(Set(pillow.keys) == Set(expected.keys))
            #expect(expected.values.filter { $0 == "benign" }.count >= 6 && expected.values.filter { $0 == "broken" }.count >= 6)

            for backend in [ThumbnailBackend.direct, .libvips] {
                try FileManager.default.createDirectory(atPath: folder + "/\(backend)", withIntermediateDirectories: true)
            }
            var agreed = 0, compared = 0
            for (name, kind) in expected.sorted(by: { $0.key < $1.key }) {
                let path = files + "/" + name
                let other = try #require(pillow[name])
                #expect(other.ok == (kind != "broken"), "Pillow on \(name) (\(kind)): \(other.error ?? "shown")")
                for backend in [ThumbnailBackend.direct, .libvips] {
                    let ours = Self.verdict(path, backend: backend, output: folder + "/\(backend)")
                    compared += 1
                    if ours.ok == other.ok { agreed += 1 }
                    #expect(ours.ok == (kind != "broken"), "\(backend) on \(name) (\(kind)): \(ours.message ?? "shown")")
                    if let thumbnail = ours.thumbnail, let width = other.width, let height = other.height {
                        // The same picture: the thumbnail fits Pillow's size (turned, when EXIF says so).
                        let fits = [(width, height), (height, width)].contains { w, h in
                            var fw: Int32 = 0, fh: Int32 = 0
                            skeinFit(w, h, &fw, &fh)
                            return abs(Int(fw) - thumbnail.width) <= 1 && abs(Int(fh) - thumbnail.height) <= 1
                        }
                        #expect(fits, "\(backend) on \(name): \(thumbnail.width)x\(thumbnail.height) from \(width)x\(height)")
                    }
                    if !ours.ok { #expect(ours.code == "corrupt-image", "\(backend) on \(name): \(ours.code ?? "")") }
                    // Nothing taken in spite of a warning goes unsaid.
                    if backend == .direct {
                        #expect((ours.thumbnail?.note != nil) == (kind == "benign"),
                                "\(name) (\(kind)): note \(ours.thumbnail?.note ?? "none")")
                    }
                }
                // What a download keeps: the structural check takes the same files.
                let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
                let imageKind = try #require(ImageKind.sniff(bytes.prefix(16)))
                let checked = bytes.withUnsafeBytes { raw in
                    Result { () throws(ImageStructure.Problem) in try ImageStructure.check(raw, as: imageKind, maxPixels: 100_000_000) }
                }
                if kind == "broken", case .success = checked {
                    // Damage inside the entropy-coded data can't be seen without decoding; only
                    // files cut short must fail this check.
                    #expect(!name.hasPrefix("half") && !name.hasPrefix("no-eoi") && !name.hasPrefix("header-only"),
                            "the download check kept \(name)")
                }
                if kind != "broken", case .failure(let problem) = checked {
                    Issue.record("the download check refused \(name) (\(kind)): \(problem)")
                }
            }
            print("odd images: Skein and Pillow agree on \(agreed) of \(compared) verdicts (\(expected.count) files, two backends)")
            #expect(agreed == compared)
        }
    }
}

/// Fits `width` x `height` into 128 x 128 as the thumbnailer does.
private func skeinFit(_ width: Int, _ height: Int, _ w: inout Int32, _ h: inout Int32) {
    let scale = min(128 / Double(width), 128 / Double(height), 1)
    w = Int32(max(1, (Double(width) * scale).rounded()))
    h = Int32(max(1, (Double(height) * scale).rounded()))
}
