#if canImport(Glibc)
import Glibc
#endif

/// A queue that crosses process boundaries, built the way Python's `multiprocessing.Queue` is:
/// a pipe carries length-prefixed messages, and a lock shared by the processes (here `flock`
/// on a file) makes each `get` take exactly one whole message.
struct ProcessQueue {
    /// Descriptor the children read from (it becomes their descriptor 3).
    let readEnd: Int32
    let writeEnd: Int32
    let lockPath: String

    static func make(lockPath: String) -> ProcessQueue? {
        var fds: [Int32] = [-1, -1]
        guard pipe(&fds) == 0 else { return nil }
        let lock = open(lockPath, O_CREAT | O_WRONLY, 0o600)
        guard lock >= 0 else { return nil }
        close(lock)
        return ProcessQueue(readEnd: fds[0], writeEnd: fds[1], lockPath: lockPath)
    }

    /// One message, written with one `write(2)`: under `PIPE_BUF` bytes, so it is atomic.
    func put(_ text: String) -> Bool {
        let body = Array(text.utf8)
        guard body.count < 500 else { return false }
        let n = UInt32(body.count)
        let frame = [UInt8(n >> 24), UInt8(n >> 16 & 0xFF), UInt8(n >> 8 & 0xFF), UInt8(n & 0xFF)] + body
        return frame.withUnsafeBytes { write(writeEnd, $0.baseAddress, $0.count) } == frame.count
    }

    /// Takes one message from `fd`, holding the shared lock while reading it.
    static func get(from fd: Int32, lockPath: String) -> String? {
        let lock = open(lockPath, O_RDONLY)
        guard lock >= 0 else { return nil }
        defer { close(lock) }
        guard flock(lock, LOCK_EX) == 0 else { return nil }
        defer { flock(lock, LOCK_UN) }
        guard let header = readExactly(fd, 4) else { return nil }
        let length = Int(header[0]) << 24 | Int(header[1]) << 16 | Int(header[2]) << 8 | Int(header[3])
        guard length < 500, let body = readExactly(fd, length) else { return nil }
        return String(decoding: body, as: UTF8.self)
    }

    private static func readExactly(_ fd: Int32, _ count: Int) -> [UInt8]? {
        var buffer = [UInt8](repeating: 0, count: count)
        var offset = 0
        while offset < count {
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress! + offset, count - offset) }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { return nil }
            offset += n
        }
        return buffer
    }
}
