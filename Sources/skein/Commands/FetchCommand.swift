import ArgumentParser
import Downloader
import Engines
import Foundation
import ImgurAPI
import Jobs
import Pipeline

/// `skein fetch`: links from the API (or a file), downloaded concurrently into a folder.
struct FetchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fetch",
        abstract: "Download a gallery's images concurrently.",
        discussion: """
            Links come from an Imgur-compatible API, from the page URLs given (albums, posts, \
            images, tags, subreddits, users, favorites, searches; several at once), --search, \
            --album or --gallery (the Client-ID is read from IMGUR_CLIENT_ID or --client-id-file \
            and never printed), or from a file of URLs (--links). \
            Each body is streamed to a temporary file in the output folder and renamed only when \
            complete and checked; nothing is written outside the folder and no different file is \
            ever overwritten.
            """
    )

    @OptionGroup var source: SourceOptions
    @OptionGroup var download: DownloadOptions
    @OptionGroup var engineOptions: EngineOptions
    @OptionGroup var output: OutputOptions
    @OptionGroup var page: PageOption

    @Option(help: "Write a JSON report of every item to this file.")
    var json: String?

    @Option(help: "Refuse images whose header declares more pixels than this (decompression bombs).")
    var maxPixels = 100_000_000

    func validate() throws {
        try Validate.path(json, "--json")
        try Validate.range(maxPixels, "--max-pixels", 1...(1 << 40))
    }

    mutating func run() async throws {
        let links = try source.linkSource()
        if source.printLinks { return try await PrintLinks.run(links) }
        try output.start()
        defer { output.finish() }
        let stop = Interrupt.install()
        let progress = ProgressLine("fetch")
        var fetch = Fetch(output: download.out, engine: engineOptions.engine(default: .async, workers: 16),
                          policy: try download.policy(types: source.typeSet(), maxPixels: maxPixels),
                          batch: BatchOptions(timeout: engineOptions.timeoutDuration, stop: stop, progress: progress.handler()))
        try download.apply(to: &fetch.stage)
        fetch.contactSheet = page.path(in: download.out)
        let archive = try await download.openArchive()
        fetch.archive = archive
        let report: RunReport
        do { report = try await run(fetch, links: links) } catch {
            await archive?.close()
            throw error
        }
        await archive?.close()
        progress.finish()
        try Report.finish(report, lines: [Summary.fetchLine(report)], json: json)
    }

    private func run(_ fetch: Fetch, links: LinkSource) async throws -> RunReport {
        do { return try await fetch.run(listing: links) } catch { throw Report.fail(error) }
    }
}

/// How each download behaves.
struct DownloadOptions: ParsableArguments {
    @Option(help: "Output folder.")
    var out = "./images"

    @Option(help: "Largest file accepted, in bytes.")
    var maxBytes = 50 << 20

    @Option(help: "Retries for server errors, dropped connections and truncated bodies.")
    var retries = 6

    @Option(help: "Seconds to wait for a connection.")
    var connectTimeout = 10.0

    @Option(help: "Seconds without a byte before a stalled download is abandoned (and retried).")
    var readTimeout = 20.0

    @Option(help: "How each image is checked before it is kept: structure (the header, the size, complete to its end marker) or decode (every pixel decoded too).")
    var verify = "structure"

    @Option(help: "Where each file goes in --out: {id} {title} {album} {album_id} {account} {tag} {index} {date:%Y-%m-%d}, / for folders, .{ext} at the end (like {album}/{index}-{title}).")
    var name: String?

    @Flag(help: "Write what the API said of each file beside it (FILE.json) and one line per file in metadata.jsonl.")
    var writeMetadata = false

    @Option(help: ArgumentHelp("Skip what was downloaded before by any run using this archive (a job store: sqlite:PATH or postgres://…), and add what this run downloads.",
                               valueName: "store"))
    var archive: String?

    func validate() throws {
        try Validate.path(out, "--out")
        try Validate.range(maxBytes, "--max-bytes", 1...(1 << 40))
        try Validate.range(retries, "--retries", 0...20)
        try Validate.seconds(connectTimeout, "--connect-timeout", maximum: 3600)
        try Validate.seconds(readTimeout, "--read-timeout", maximum: 3600)
        if let archive {
            do throws(JobStoreError) { _ = try StoreAddress.parse(archive) } catch { throw ValidationError("--archive: \(error.message)") }
        }
        guard ["structure", "decode"].contains(verify) else {
            throw ValidationError("--verify must be structure or decode, not '\(verify.prefix(40))'")
        }
        _ = try naming()
    }

    /// The `--name` template, checked.
    func naming() throws -> NameTemplate? {
        guard let name else { return nil }
        return try Self.template(name)
    }

    static func template(_ text: String) throws -> NameTemplate {
        do throws(PipelineError) { return try NameTemplate(text) } catch { throw ValidationError(error.message) }
    }

    /// The `--archive` store, opened (nil without the option).
    func openArchive() async throws -> StoreArchive? {
        guard let archive else { return nil }
        do throws(JobStoreError) {
            return StoreArchive(store: try await JobStore.open(try StoreAddress.parse(archive)))
        } catch {
            throw StoreFailure.exit(error)
        }
    }

    /// The download stage's file options on `stage`.
    func apply(to stage: inout DownloadStage) throws {
        stage.naming = try naming()
        stage.writesMetadata = writeMetadata
    }

    func policy(types: Set<String> = LinkExtractor.allKinds, maxPixels: Int) throws -> DownloadPolicy {
        var policy = DownloadPolicy(allowedKinds: types, maxBytes: maxBytes, maxPixels: maxPixels, retries: retries,
                                    connectTimeout: connectTimeout, readTimeout: readTimeout)
        policy.verifyDecode = verify == "decode"
        return policy
    }
}
