import Foundation

/// What the kernel says about processes, for tests that prove no zombie or orphan is left.
package enum ChildProcesses {
    /// Children of `parent` that have exited but were not reaped.
    package static func zombies(of parent: Int32 = getpid()) -> [Int32] {
        processes().filter { $0.parent == parent && $0.state == "Z" }.map(\.pid)
    }

    /// Whether a process with this PID exists (zombies count).
    package static func exists(_ pid: Int32) -> Bool {
        kill(pid, 0) == 0 || errno == EPERM
    }

    struct Entry { var pid: Int32; var parent: Int32; var state: String }

    static func processes() -> [Entry] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return names.compactMap { name -> Entry? in
            guard let pid = Int32(name), let stat = try? String(contentsOfFile: "/proc/\(name)/stat", encoding: .utf8),
                  let close = stat.lastIndex(of: ")") else { return nil }
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            guard fields.count > 2, let parent = Int32(fields[1]) else { return nil }
            return Entry(pid: pid, parent: parent, state: String(fields[0]))
        }
    }
}
