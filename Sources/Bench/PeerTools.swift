import Foundation
import GalleryServer
import NIOCore
import Thumbnailer

/// One measurement of one tool.
package struct PeerSample: Sendable, Codable {
    package var seconds: Double
    package var peakBytes: Int
    /// What the check of its output found, like `500/500 identical`.
    package var verified: String
    package var ok: Bool
}

/// The tools and how each is run and checked.
struct PeerTools: Sendable {
    enum Stage: String, Sendable, Codable { case fetch, thumbs, pipeline }

    struct Task: Sendable {
        var name: String
        var stage: Stage
        var command: @Sendable (_ out: String) -> [String]
        var verify: @Sendable (_ out: String) -> (String, Bool)
        var versionCommand: [String]
        var workFolder: String

        func measure() throws -> PeerSample {
            let out = workFolder + "/out-" + name.replacingOccurrences(of: " ", with: "-")
            try? FileManager.default.removeItem(atPath: out)
            try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
            if stage == .pipeline, name.hasPrefix("img2dataset") { try? FileManager.default.removeItem(atPath: out) }
            let peakFile = workFolder + "/peak.txt"
            let run = try ChildRun.run("/usr/bin/time", ["-o", peakFile, "-f", "%M"] + command(out))
            let peakKB = (try? String(contentsOfFile: peakFile, encoding: .utf8))?
                .split(separator: "\n").last.flatMap { Int($0.trimmingCharacters(in: .whitespaces)) } ?? 0
            let (verified, ok) = verify(out)
            try? FileManager.default.removeItem(atPath: out)
            return PeerSample(seconds: run.wallSeconds, peakBytes: peakKB * 1024,
                              verified: run.status == 0 ? verified : "exit \(run.status); \(verified)", ok: ok)
        }

        func version() -> String {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = versionCommand
            let pipe = Pipe()
            process.standardOutput = pipe
            process.standardError = pipe
            guard (try? process.run()) != nil else { return "not found" }
            let text = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            return text.split(separator: "\n").first.map(String.init) ?? "unknown"
        }
    }

    let runner: PeersRunner
    let corpus: Corpus
    let source: String
    var links: String { runner.workFolder + "/links.txt" }
    var curlConfig: String { runner.workFolder + "/curl.cfg" }

    func writeLinks(_ url: String) throws {
        try corpus.images.map { url + "/" + $0.fileName }.joined(separator: "\n").appending("\n")
            .write(toFile: links, atomically: true, encoding: .utf8)
        try corpus.images.map { "url = \"\(url)/\($0.fileName)\"\noutput = \"\($0.fileName)\"" }.joined(separator: "\n")
            .appending("\n").write(toFile: curlConfig, atomically: true, encoding: .utf8)
    }

    var tasks: [Task] {
        let n = String(runner.items), c = String(runner.connections), w = String(runner.thumbWorkers)
        let skein = runner.executable, links = self.links, source = self.source, config = curlConfig
        let pillow = runner.scripts + "/peers/pillow_thumbs.py"
        let corpus = self.corpus
        let fetched: @Sendable (String) -> (String, Bool) = { Self.verifyFetch($0, corpus) }
        let boxed: @Sendable (String) -> (String, Bool) = { Self.verifyThumbnails($0, corpus, box: true) }
        func task(_ name: String, _ stage: Stage, _ version: [String], _ verify: @escaping @Sendable (String) -> (String, Bool),
                  _ command: @escaping @Sendable (String) -> [String]) -> Task {
            Task(name: name, stage: stage, command: command, verify: verify, versionCommand: version, workFolder: runner.workFolder)
        }
        return [
            task("skein fetch", .fetch, [skein, "--version"], fetched) { out in
                [skein, "fetch", "--links", links, "--limit", n, "--out", out, "--workers", c]
            },
            task("curl --parallel", .fetch, ["curl", "--version"], fetched) { out in
                ["/usr/bin/env", "curl", "--parallel", "--parallel-max", c, "--silent", "--fail", "--output-dir", out, "--config", config]
            },
            task("aria2c", .fetch, ["aria2c", "--version"], fetched) { out in
                ["/usr/bin/env", "aria2c", "-i", links, "-d", out, "-j", c, "-x", "16", "-s", "1", "--console-log-level=error",
                 "--summary-interval=0", "--download-result=hide", "--allow-overwrite=true", "--auto-file-renaming=false",
                 "--file-allocation=none", "--quiet=true"]
            },
            task("skein thumbs", .thumbs, [skein, "--version"], boxed) { out in
                [skein, "thumbs", source, "--thumbs-out", out, "--workers", w]
            },
            task("Pillow thumbnail() ×2 proc", .thumbs, ["python3", "-c", "import PIL; print('Pillow', PIL.__version__)"], boxed) { out in
                ["/usr/bin/env", "python3", pillow, source, out, "128", "128", "2"]
            },
            task("vipsthumbnail per file", .thumbs, ["vipsthumbnail", "--vips-version"], boxed) { out in
                ["/bin/bash", "-c", "ls '\(source)' | xargs -P 2 -I{} vipsthumbnail '\(source)/{}' -s 128x128 -o '\(out)/%s_thumbnail.jpg'"]
            },
            task("skein run", .pipeline, [skein, "--version"], { Self.verifyPipeline($0, corpus) }) { out in
                [skein, "run", "--links", links, "--limit", n, "--out", out, "--fetch-workers", c, "--thumb-workers", w]
            },
            task("img2dataset", .pipeline, ["python3", "-c", "import importlib.metadata as m; print('img2dataset', m.version('img2dataset'))"],
                 { Self.verifyImg2dataset($0, corpus) }) { out in
                ["/usr/bin/env", "img2dataset", "--url_list", links, "--input_format", "txt", "--output_folder", out,
                 "--output_format", "files", "--image_size", "128", "--resize_mode", "keep_ratio", "--processes_count", "2",
                 "--thread_count", c, "--timeout", "30", "--retries", "0", "--encode_format", "jpg"]
            },
        ]
    }

    /// Median of 10 starts of `skein --help`.
    func helpStartup() throws -> Double {
        let times = try (0..<10).map { _ in
            try ChildRun.run(runner.executable, ["--help"]).wallSeconds
        }.sorted()
        return times[times.count / 2]
    }

    // MARK: checks

    static func verifyFetch(_ out: String, _ corpus: Corpus) -> (String, Bool) {
        let same = corpus.images.filter {
            FileManager.default.contents(atPath: out + "/" + $0.fileName).map { Array($0) } == Array($0.bytes.readableBytesView)
        }.count
        return ("\(same)/\(corpus.images.count) identical", same == corpus.images.count)
    }

    /// Thumbnails: one per image, within 128x128 (`box`), or with the smaller side 128 (keep-ratio).
    static func verifyThumbnails(_ out: String, _ corpus: Corpus, box: Bool) -> (String, Bool) {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: out)) ?? []
        let thumbnails = names.filter { $0.contains("_thumbnail") }
        let good = thumbnails.filter { name in
            guard let probe = try? ImageProbe(path: out + "/" + name) else { return false }
            return max(probe.width, probe.height) <= 128 && max(probe.width, probe.height) >= 127
        }.count
        return ("\(good)/\(corpus.images.count) thumbnails fit 128x128", good == corpus.images.count)
    }

    static func verifyPipeline(_ out: String, _ corpus: Corpus) -> (String, Bool) {
        let (fetched, fetchedOK) = verifyFetch(out, corpus)
        let (thumbs, thumbsOK) = verifyThumbnails(out, corpus, box: true)
        return ("\(fetched), \(thumbs)", fetchedOK && thumbsOK)
    }

    /// img2dataset writes `00000/000000123.jpg` files, resized so the smaller side is 128.
    static func verifyImg2dataset(_ out: String, _ corpus: Corpus) -> (String, Bool) {
        let files = (FileManager.default.enumerator(atPath: out)?.allObjects as? [String] ?? []).filter { $0.hasSuffix(".jpg") }
        let good = files.filter { name in
            guard let probe = try? ImageProbe(path: out + "/" + name) else { return false }
            return min(probe.width, probe.height) <= 128
        }.count
        return ("\(good)/\(corpus.images.count) images at 128 px (smaller side)", good == corpus.images.count)
    }
}
