#if canImport(Glibc)
import Glibc
#endif

/// The names in a folder, read with `readdir`.
package enum DirectoryNames {
    /// Every name in `folder` but `.` and `..`, unsorted; nil when it can't be opened (errno
    /// says why).
    ///
    /// A name is read in place, from the `d_name` field of the entry `readdir` returned: the
    /// entry is only as long as its name (`d_reclen`), so copying the whole 256-byte field
    /// reads past it, and past the end of the buffer when the entry is the last one of a page
    /// (a crash seen with 20,000 files in a folder).
    package static func list(_ folder: String) -> [String]? {
        guard let dir = opendir(folder) else { return nil }
        defer { closedir(dir) }
        let offset = MemoryLayout<dirent>.offset(of: \dirent.d_name) ?? 19
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = String(cString: (UnsafeRawPointer(entry) + offset).assumingMemoryBound(to: CChar.self))
            if name != ".", name != ".." { names.append(name) }
        }
        return names
    }
}
