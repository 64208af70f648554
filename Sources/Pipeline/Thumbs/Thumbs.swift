import Engines
import Foundation
import SafeFiles
import Thumbnailer

/// Makes thumbnails of every image in a folder on an engine.
public struct Thumbs: Sendable {
    public var thumbnailer: Thumbnailer
    public var engine: Engine
    public var batch: BatchOptions

    public init(thumbnailer: Thumbnailer, engine: Engine, batch: BatchOptions = BatchOptions()) {
        self.thumbnailer = thumbnailer
        self.engine = engine
        self.batch = batch
    }

    /// The images of `folder` that need thumbnails.
    public static func sources(in folder: String) throws(PipelineError) -> [String] {
        do {
            return try ImageFolder.images(in: folder)
        } catch {
            throw PipelineError(.configuration, error.description)
        }
    }

    public func run(folder: String) async throws(PipelineError) -> RunReport {
        if let out = thumbnailer.outputDirectory { try Fetch.prepareFolder(out) }
        try Vips.startOrFail(for: thumbnailer)
        let paths = try Self.sources(in: folder)
        return await run(paths: paths, source: folder)
    }

    public func run(paths: [String], source: String) async -> RunReport {
        let start = ContinuousClock.now
        let startedAt = Date()
        let outcomes = await engine.run(ThumbnailWorkload(thumbnailer: thumbnailer), paths, options: batch)
        let items = zip(paths, outcomes).map { path, outcome in Self.item(path, outcome) }
        let stopped = RunReport.stopReason(outcomes.compactMap(\.failure))
        let output = thumbnailer.outputDirectory.map { "\($0)/*\(Thumbnailer.marker).*" } ?? "\(source)/*\(Thumbnailer.marker).*"
        return RunReport(command: "thumbs", engine: engine.kind.rawValue, workers: engine.workers, source: source,
                         output: output, startedAt: startedAt, seconds: (ContinuousClock.now - start).seconds,
                         items: items, skipped: [], stopped: stopped, rateLimit: nil, stages: nil)
    }

    static func item(_ path: String, _ outcome: JobOutcome<ThumbnailResult>) -> ItemReport {
        switch outcome.result {
        case .success(let result):
            return ItemReport(item: path, id: nil, source: nil, file: result.output, bytes: result.bytes, status: .thumbnailed,
                              error: nil, seconds: outcome.seconds, attempts: nil, crc32: nil,
                              width: result.width, height: result.height)
        case .failure(let failure):
            return ItemReport(item: path, id: nil, source: nil, file: nil, bytes: 0, status: .failed,
                              error: .init(failure, item: path),
                              seconds: outcome.seconds, attempts: nil, crc32: nil)
        }
    }
}

extension Vips {
    /// Starts libvips before any work when the thumbnailer uses it for everything, so a missing
    /// library is one configuration error rather than a failure per image. The direct backend
    /// loads it only if a file needs it (about 40 ms and 17 MB that most runs never pay).
    static func startOrFail(for thumbnailer: Thumbnailer) throws(PipelineError) {
        guard thumbnailer.backend == .libvips else { return }
        do { try start() } catch { throw PipelineError(.configuration, "libvips did not start: \(error.message)") }
    }
}
