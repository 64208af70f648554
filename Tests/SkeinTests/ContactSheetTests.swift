import Foundation
import GalleryServer
import Pipeline
import SkeinTesting
import Testing

/// The contact sheet (`--html`) in a real browser: headless Chromium (as root it needs
/// `--no-sandbox`) loads the page from a folder moved after the run, and every image on it
/// must load; a screenshot is kept beside the test binary (`test-artifacts/`).
@Suite("Contact sheet", .serialized)
struct ContactSheetTests {
    static let chromium = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"].first {
        FileManager.default.isExecutableFile(atPath: $0)
    }

    static func browser(_ arguments: [String]) async throws -> SkeinExecutable.Run {
        guard let chromium else { throw CocoaError(.fileNoSuchFile) }
        return try await SkeinExecutable.run(tool: chromium, ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                                                              "--no-first-run", "--hide-scrollbars"] + arguments)
    }

    /// The value of `data-NAME` on the page's body, from the DOM as the browser left it.
    static func bodyData(_ dom: String, _ name: String) -> String? {
        guard let body = dom.range(of: "<body[^>]*>", options: .regularExpression) else { return nil }
        let tag = String(dom[body])
        guard let value = tag.range(of: "data-\(name)=\"([^\"]*)\"", options: .regularExpression) else { return nil }
        return String(tag[value].split(separator: "\"").dropFirst().first ?? "")
    }

    @Test("run --html: thumbnails linking to originals with their titles, the failures, relative links; every image loads in Chromium after the folder moves",
          .enabled(if: chromium != nil, "needs Chromium (make test installs it)"))
    func inChromium() async throws {
        var options = ServerOptions()
        options.faults.removedRate = 0.15
        options.faults.seed = 3
        try await TestGallery.with(items: 20, options: options) { url, server in
            try await TemporaryFolder.with("skein-sheet") { folder in
                var environment = ProcessInfo.processInfo.environment
                environment["IMGUR_CLIENT_ID"] = "sheet-client"
                let run = try await SkeinExecutable.run(["run", "--api-base", url, "--limit", "100", "--out", folder + "/gallery",
                                                         "--write-metadata", "--html", "--json", folder + "/run.json"], environment: environment)
                #expect(run.status == 1, "some items are removed by the gallery: \(run.stdout)\(run.stderr)")
                #expect(run.stdout.contains("contact sheet: \(folder)/gallery/index.html"), "\(run.stdout)")
                let html = try String(contentsOfFile: folder + "/gallery/index.html", encoding: .utf8)
                let links = html.matches(of: /(?:href|src)="([^"]*)"/).map { String($0.1) }
                #expect(!links.isEmpty && links.allSatisfy { !$0.hasPrefix("/") && !$0.contains("://") && !$0.contains(folder) }, "every link is relative: \(links.prefix(5))")
                #expect(html.contains("name=\"viewport\""))
                let report = try RunReport.read(from: folder + "/run.json")
                let failures = report.items.filter { $0.error != nil }
                #expect(!failures.isEmpty && html.contains("\(failures.count) failed"), "\(run.stdout)")
                for failure in failures { #expect(html.contains(failure.item), "the page lists \(failure.item)") }
                let titled = server.corpus.images.map(\.title).filter { html.contains($0) }
                #expect(!titled.isEmpty, "captions carry the API's titles")

                // The folder moves; the page still finds everything.
                try FileManager.default.moveItem(atPath: folder + "/gallery", toPath: folder + "/moved")
                let page = URL(fileURLWithPath: folder + "/moved/index.html").absoluteString
                let dom = try await Self.browser(["--virtual-time-budget=15000", "--dump-dom", page])
                #expect(dom.status == 0, "\(dom.stderr.suffix(2000))")
                let total = Self.bodyData(dom.stdout, "images-total").flatMap { Int($0) }
                let loaded = Self.bodyData(dom.stdout, "images-loaded").flatMap { Int($0) }
                let shots = html.components(separatedBy: "class=\"shot\"").count - 1
                #expect(shots > 0 && total == shots, "the page's self-check ran over every image: \(String(dom.stdout.prefix(600)))")
                #expect(loaded == shots, "every image loads")
                #expect(Self.bodyData(dom.stdout, "images-broken") == "0")

                let artifacts = (SkeinExecutable.path as NSString).deletingLastPathComponent + "/test-artifacts"
                try FileManager.default.createDirectory(atPath: artifacts, withIntermediateDirectories: true)
                let shot = artifacts + "/contact-sheet.png"
                try? FileManager.default.removeItem(atPath: shot)
                let screenshot = try await Self.browser(["--virtual-time-budget=15000", "--window-size=1100,900", "--screenshot=\(shot)", page])
                #expect(screenshot.status == 0, "\(screenshot.stderr.suffix(2000))")
                let png = try Data(contentsOf: URL(fileURLWithPath: shot))
                #expect(png.starts(with: [0x89, 0x50, 0x4E, 0x47]) && png.count > 10_000, "a real screenshot: \(png.count) bytes")
            }
        }
    }

    @Test("fetch --html FILE and thumbs --html: the page lands where asked and links the files it shows")
    func fetchAndThumbsPages() async throws {
        try await TestGallery.with(items: 12) { url, server in
            try await TemporaryFolder.with("skein-sheet") { folder in
                try server.corpus.images.map { url + "/" + $0.fileName }.joined(separator: "\n").write(toFile: folder + "/links.txt", atomically: true, encoding: .utf8)
                let fetch = try await SkeinExecutable.run(["fetch", "--links", folder + "/links.txt", "--out", folder + "/img", "--html", folder + "/sheet.html"])
                #expect(fetch.status == 0, "\(fetch.stderr)")
                let fetched = try String(contentsOfFile: folder + "/sheet.html", encoding: .utf8)
                for image in server.corpus.images { #expect(fetched.contains("img/\(image.fileName)"), "\(image.fileName)") }
                let thumbs = try await SkeinExecutable.run(["thumbs", folder + "/img", "--thumbs-out", folder + "/t", "--html"])
                #expect(thumbs.status == 0, "\(thumbs.stderr)")
                let sheet = try String(contentsOfFile: folder + "/t/index.html", encoding: .utf8)
                #expect(sheet.contains("href=\"../img/"), "thumbnails link to their originals")
                #expect(sheet.components(separatedBy: "class=\"shot\"").count - 1 == server.corpus.images.count)
            }
        }
    }

    @Test("a page that can't be written is a failed item, said in one line; the images stay and no temporary file is left")
    func unwritablePage() async throws {
        try await TestGallery.with(items: 12) { url, server in
            try await TemporaryFolder.with("skein-sheet") { folder in
                try server.corpus.images.map { url + "/" + $0.fileName }.joined(separator: "\n").write(toFile: folder + "/links.txt", atomically: true, encoding: .utf8)
                // A page in a folder that is a file.
                try Data("not a folder".utf8).write(to: URL(fileURLWithPath: folder + "/taken"))
                let fetch = try await SkeinExecutable.run(["fetch", "--links", folder + "/links.txt", "--out", folder + "/img",
                                                           "--html", folder + "/taken/sheet.html", "--json", folder + "/run.json"])
                #expect(fetch.status == 1, "a failed item: \(fetch.stdout)\(fetch.stderr)")
                #expect((fetch.stdout + fetch.stderr).contains("the contact sheet \(folder)/taken/sheet.html was not written"), "\(fetch.stdout)\(fetch.stderr)")
                let report = try RunReport.read(from: folder + "/run.json")
                #expect(report.contactSheet == nil)
                let failed = report.items.filter { $0.error?.code == "write-failed" }
                #expect(failed.map(\.item) == [folder + "/taken/sheet.html"])
                #expect(report.items.filter { $0.status == .downloaded }.count == server.corpus.images.count, "every image is kept")
                let left = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasPrefix(".skein-") }
                #expect(left.isEmpty, "no temporary file: \(left)")
            }
        }
    }
}
