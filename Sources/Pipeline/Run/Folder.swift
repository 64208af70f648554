import Foundation
import SafeFiles

/// The folders a run writes to.
enum Folder {
    /// Makes sure `path` exists and can be written, and sweeps the temporary files a killed run
    /// left in it.
    /// - Throws: `PipelineError` (configuration) naming the folder.
    static func prepare(_ path: String) throws(PipelineError) {
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        } catch {
            throw PipelineError(.configuration, "cannot create the output folder \(path): \(error.localizedDescription)")
        }
        guard FileManager.default.isWritableFile(atPath: path) else {
            throw PipelineError(.configuration, "the output folder \(path) is not writable")
        }
        TemporaryFiles.sweep(path)
    }
}
