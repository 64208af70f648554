#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An image file read whole into memory for the direct path.
enum SourceFile {
    /// Files larger than this go to libvips, which streams them instead.
    static let largestRead = 256 << 20

    /// Reads `path` whole.
    /// - Returns: nil when it is larger than `largestRead`.
    /// - Throws: `ThumbnailError` (`.unreadable`) when it can't be opened or read.
    static func read(_ path: String) throws(ThumbnailError) -> [UInt8]? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            throw ThumbnailError(.unreadable, path: path, message: "cannot open the file: \(String(cString: strerror(errno)))")
        }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            throw ThumbnailError(.unreadable, path: path, message: "cannot read the file: \(String(cString: strerror(errno)))")
        }
        let size = Int(info.st_size)
        if size > largestRead { return nil }
        var bytes = [UInt8](repeating: 0, count: size)
        var filled = 0
        var failure: Int32 = 0
        bytes.withUnsafeMutableBytes { buffer in
            while filled < size {
                let n = Glibc.read(fd, buffer.baseAddress! + filled, size - filled)
                if n < 0 { if errno == EINTR { continue }; failure = errno; return }
                if n == 0 { break }   // shorter than fstat said: it shrank under us
                filled += n
            }
        }
        if failure != 0 {
            throw ThumbnailError(.unreadable, path: path, message: "cannot read the file: \(String(cString: strerror(failure)))")
        }
        return filled == size ? bytes : Array(bytes.prefix(filled))
    }
}
