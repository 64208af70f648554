import Foundation

/// Where the measured commands of `skein bench` and `skein bench --peers` write.
package enum WorkFolder {
    /// A folder in /dev/shm (memory) when it is there and writable, else one under `results`.
    ///
    /// On a disk file system the bench's own churn times the tools: it deletes each tool's 500
    /// files before the next tool creates 500, and ext4 then scans past recently deleted
    /// inodes on every create (`recently_deleted`, `find_inode_bit` and the directory lock
    /// were 45 % of a fetch's samples under perf), which says more about the previous round
    /// than about the tool.
    package static func `default`(results: String, name: String) -> String {
        let shm = "/dev/shm"
        guard access(shm, W_OK) == 0 else { return results + "/." + name }
        sweepStale(in: shm)
        return shm + "/skein-\(name)-\(getpid())"
    }

    /// Removes the folders of benches that were killed before they could remove theirs
    /// (`skein-NAME-PID` whose process is gone): in /dev/shm they hold memory until reboot.
    static func sweepStale(in folder: String) {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        for name in names where name.hasPrefix("skein-") {
            guard let pid = name.split(separator: "-").last.flatMap({ Int32($0) }), pid > 0, pid != getpid() else { continue }
            // kill(pid, 0) fails with ESRCH when no such process exists.
            if kill(pid, 0) != 0, errno == ESRCH { try? FileManager.default.removeItem(atPath: folder + "/" + name) }
        }
    }

    /// The folder the bench writes in and removes when done: one of its own inside `given`
    /// (so a folder a person names is never emptied or removed), else the default.
    package static func resolve(_ given: String?, results: String, name: String) -> String {
        given.map { $0 + "/skein-\(name)-\(getpid())" } ?? `default`(results: results, name: name)
    }
}
