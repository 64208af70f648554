import ArgumentParser
import Downloader
import Engines
import Foundation
import ImgurAPI
import Pipeline

/// `skein fetch`: links from the API (or a file), downloaded concurrently into a folder.
struct FetchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fetch",
        abstract: "Download a gallery's images concurrently.",
        discussion: """
            Links come from an Imgur-compatible API (a gallery or an album; the Client-ID is read \
            from IMGUR_CLIENT_ID or --client-id-file and never printed) or from a file of URLs. \
            Each body is streamed to a temporary file in the output folder and renamed only when \
            complete and checked; nothing is written outside the folder and no different file is \
            ever overwritten.
            """
    )

    @OptionGroup var source: SourceOptions
    @OptionGroup var download: DownloadOptions
    @OptionGroup var engineOptions: EngineOptions

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
        let stop = Interrupt.install()
        let progress = ProgressLine("fetch")
        let fetch = Fetch(output: download.out, engine: engineOptions.engine(default: .async, workers: 16),
                          policy: try download.policy(types: source.typeSet(), maxPixels: maxPixels),
                          batch: BatchOptions(timeout: engineOptions.timeoutDuration, stop: stop, progress: progress.handler))
        let report = try await run(fetch, links: links)
        progress.finish()
        try Report.finish(report, lines: [Summary.fetchLine(report)], json: json)
    }

    private func run(_ fetch: Fetch, links: LinkSource) async throws -> RunReport {
        do { return try await fetch.run(listing: links) } catch { throw Report.fail(error) }
    }
}

/// Where links come from.
struct SourceOptions: ParsableArguments {
    @Option(help: "Base URL of the Imgur-compatible API.")
    var apiBase = "https://api.imgur.com"

    @Option(help: "Read the Client-ID from the first line of this file (else IMGUR_CLIENT_ID).")
    var clientIDFile: String?

    @Option(help: "Gallery to list: SECTION/SORT/WINDOW (hot|top|user, viral|top|time|rising, day|week|month|year|all) or random.")
    var gallery = "hot/viral/day"

    @Option(help: "Stop listing after this many links.")
    var limit = 60

    @Option(help: "Fetch the images of this album instead of a gallery.")
    var album: String?

    @Option(help: "Fetch the URLs listed in this file (one a line) instead of asking the API.")
    var links: String?

    @Option(help: "Image types to keep, comma separated (jpeg, png, gif).")
    var types = "jpeg,png,gif"

    @Option(help: "Albums in a gallery: expand (take their images) or skip.")
    var albums = "expand"

    func validate() throws {
        try Validate.httpURL(apiBase, "--api-base")
        try Validate.range(limit, "--limit", 1...10_000_000)
        try Validate.path(clientIDFile, "--client-id-file")
        try Validate.path(links, "--links")
        if let album, album.isEmpty { throw ValidationError("--album can't be empty") }
        if album != nil && links != nil { throw ValidationError("--album and --links can't be used together") }
        _ = try typeSet()
        guard LinkExtractor.AlbumPolicy(rawValue: albums) != nil else { throw ValidationError("--albums must be expand or skip") }
    }

    func typeSet() throws -> Set<String> {
        let wanted = Set(types.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
            .map { $0 == "jpg" ? "jpeg" : $0 })
        let known: Set<String> = ["jpeg", "png", "gif"]
        guard !wanted.isEmpty, wanted.isSubset(of: known) else {
            throw ValidationError("--types takes a comma-separated list of jpeg, png and gif")
        }
        return wanted
    }

    /// The source these options name; its links are listed as the run goes.
    func linkSource(defaultClientID: ClientID? = nil) throws -> LinkSource {
        let source: LinkSource
        if let links {
            source = .file(path: links, limit: limit)
        } else {
            let clientID: ClientID?
            do { clientID = try ClientID.resolve(file: clientIDFile) ?? defaultClientID } catch {
                throw Report.fail(PipelineError(.configuration, error.message))
            }
            guard let clientID else {
                throw Report.fail(PipelineError(.configuration, "no Client-ID: set IMGUR_CLIENT_ID or pass --client-id-file (the API refuses requests without one)"))
            }
            var selection = GallerySelection.album(id: album ?? "")
            if album == nil {
                do throws(ImgurError) { selection = try GallerySelection.parse(gallery) } catch {
                    throw ValidationError("--gallery: \(error.message)")
                }
            }
            source = .api(base: apiBase, clientID: clientID, selection: selection, limit: limit,
                          extractor: LinkExtractor(types: try typeSet(), albums: LinkExtractor.AlbumPolicy(rawValue: albums) ?? .expand))
        }
        return source
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

    func validate() throws {
        try Validate.path(out, "--out")
        try Validate.range(maxBytes, "--max-bytes", 1...(1 << 40))
        try Validate.range(retries, "--retries", 0...20)
        try Validate.seconds(connectTimeout, "--connect-timeout", maximum: 3600)
        try Validate.seconds(readTimeout, "--read-timeout", maximum: 3600)
        guard ["structure", "decode"].contains(verify) else {
            throw ValidationError("--verify must be structure or decode, not '\(verify.prefix(40))'")
        }
    }

    func policy(types: Set<String> = ["jpeg", "png", "gif"], maxPixels: Int) throws -> DownloadPolicy {
        var policy = DownloadPolicy(allowedKinds: types, maxBytes: maxBytes, maxPixels: maxPixels, retries: retries,
                                    connectTimeout: connectTimeout, readTimeout: readTimeout)
        policy.verifyDecode = verify == "decode"
        return policy
    }
}
