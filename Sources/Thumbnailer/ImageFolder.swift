#if canImport(Glibc)
import Glibc
#endif
import SafeFiles

/// Finds the images in a folder that need thumbnails.
package enum ImageFolder {
    /// Suffixes (lowercased) of files that are thumbnailed, as in the classic tutorial plus
    /// `.jpeg`, and videos (`.mp4`, whose thumbnail is a JPEG of the first frame).
    package static let suffixes: Set<String> = [".jpg", ".jpeg", ".png", ".gif", ".mp4"]

    /// Every jpg/png/gif file directly in `folder`, sorted by name, except earlier thumbnails,
    /// hidden files and Skein's temporary files.
    /// - Throws: `ThumbnailError` when the folder can't be read.
    package static func images(in folder: String) throws(ThumbnailError) -> [String] {
        guard let all = DirectoryNames.list(folder) else {
            throw ThumbnailError(.unreadable, path: folder,
                                 message: "cannot read the folder: \(String(cString: strerror(errno)))")
        }
        var names: [String] = []
        for name in all {
            guard !name.hasPrefix("."), !Thumbnailer.isThumbnailName(name),
                  suffixes.contains(FileName.split(name).ext.lowercased()) else { continue }
            var info = stat()
            guard stat(folder + "/" + name, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { continue }
            names.append(name)
        }
        return names.sorted().map { folder + "/" + $0 }
    }
}
