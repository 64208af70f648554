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
        if access(shm, W_OK) == 0 { return shm + "/skein-\(name)-\(getpid())" }
        return results + "/." + name
    }

    /// The folder the bench writes in and removes when done: one of its own inside `given`
    /// (so a folder a person names is never emptied or removed), else the default.
    package static func resolve(_ given: String?, results: String, name: String) -> String {
        given.map { $0 + "/skein-\(name)-\(getpid())" } ?? `default`(results: results, name: name)
    }
}
