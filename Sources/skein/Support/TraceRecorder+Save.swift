import Basics
import SafeFiles

extension TraceRecorder {
    /// Writes the trace at `path`, whole or not at all; a failure is said on stderr.
    /// - Returns: whether the trace was written.
    @discardableResult
    func save(to path: String) -> Bool {
        do {
            try StagedFile.replacing(path, with: Array(json()))
            return true
        } catch {
            Console.error("error: cannot write the trace \(path): \(error)")
            return false
        }
    }
}
