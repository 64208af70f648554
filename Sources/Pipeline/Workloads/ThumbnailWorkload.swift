import Engines
import Thumbnailer

/// The thumbnail job kind: one image path → one thumbnail. CPU-bound: the async form runs
/// the same blocking call (it occupies a thread either way).
package struct ThumbnailWorkload: Workload {
    package static let kind = "thumbnail"
    package var thumbnailer: Thumbnailer

    package init(thumbnailer: Thumbnailer) { self.thumbnailer = thumbnailer }

    package func perform(_ path: String, context: JobContext) throws -> ThumbnailResult {
        try context.checkStopped()
        do {
            return try thumbnailer.makeThumbnail(of: path)
        } catch {
            throw JobFailure(code: error.code.rawValue, message: error.description)
        }
    }

    package func byteCount(of output: ThumbnailResult) -> Int { output.bytes }

    // No prepareWorkerProcess: the direct path needs nothing loaded, and libvips (about 40 ms
    // and 17 MB a process) loads itself in the rare worker that meets a file needing it.
}
