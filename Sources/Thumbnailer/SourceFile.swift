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
        var failure: Int32 = 0
        // Not zero-filled first: every byte kept is one read.
        let bytes = [UInt8](unsafeUninitializedCapacity: size) { buffer, count in
            var filled = 0
            while filled < size {
                let n = Glibc.read(fd, buffer.baseAddress! + filled, size - filled)
                if n < 0 { if errno == EINTR { continue }; failure = errno; break }
                if n == 0 { break }   // shorter than fstat said: it shrank under us
                filled += n
            }
            count = filled
        }
        if failure != 0 {
            throw ThumbnailError(.unreadable, path: path, message: "cannot read the file: \(String(cString: strerror(failure)))")
        }
        return bytes
    }
}
