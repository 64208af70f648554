#if canImport(Glibc)
import Glibc
#endif

/// Finds and removes the temporary files `StagedFile` leaves behind when its process dies
/// mid-write (kill -9, a crashed worker).
package enum TemporaryFiles {
    /// Names of temporary files in `folder`.
    package static func list(in folder: String) -> [String] {
        (DirectoryNames.list(folder) ?? []).filter(StagedFile.isTemporaryName).sorted()
    }

    /// Deletes the temporary files whose writing process no longer exists (and, with
    /// `includingOwn`, this process's own, once it knows none is being written).
    /// - Returns: how many were deleted.
    @discardableResult
    package static func sweep(_ folder: String, includingOwn: Bool = false) -> Int {
        var removed = 0
        let me = getpid()
        for name in list(in: folder) {
            let pidText = name.dropFirst(StagedFile.temporaryPrefix.count).prefix { $0 != "-" }
            guard let pid = pid_t(pidText) else { continue }
            let alive = pid == me ? !includingOwn : (kill(pid, 0) == 0 || errno == EPERM)
            if !alive, unlink(folder + "/" + name) == 0 { removed += 1 }
        }
        return removed
    }
}
