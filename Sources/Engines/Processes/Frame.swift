#if canImport(Glibc)
import Glibc
#endif

/// Length-prefixed messages over a file descriptor: a 4-byte big-endian length, then that
/// many bytes. Blocking reads and writes; a short read or write is retried.
enum Frame {
    /// The largest message accepted (a corrupt length must not make us allocate gigabytes).
    static let maxLength = 64 << 20

    enum ReadResult { case message([UInt8]), endOfFile, failed(String) }

    static func write(_ bytes: [UInt8], to fd: Int32) -> Bool {
        let n = UInt32(bytes.count)
        var frame: [UInt8] = [UInt8(n >> 24), UInt8(n >> 16 & 0xFF), UInt8(n >> 8 & 0xFF), UInt8(n & 0xFF)]
        frame.append(contentsOf: bytes)
        return frame.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let written = Glibc.write(fd, raw.baseAddress! + offset, raw.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    return false
                }
                offset += written
            }
            return true
        }
    }

    static func read(from fd: Int32) -> ReadResult {
        var header = [UInt8](repeating: 0, count: 4)
        switch readExactly(fd, &header) {
        case .endOfFile: return .endOfFile
        case .failed(let why): return .failed(why)
        case .message: break
        }
        let length = Int(header[0]) << 24 | Int(header[1]) << 16 | Int(header[2]) << 8 | Int(header[3])
        guard length <= maxLength else { return .failed("message of \(length) bytes is over the limit") }
        var body = [UInt8](repeating: 0, count: length)
        switch readExactly(fd, &body) {
        case .message: return .message(body)
        case .endOfFile: return .failed("the stream ended inside a message")
        case .failed(let why): return .failed(why)
        }
    }

    private static func readExactly(_ fd: Int32, _ buffer: inout [UInt8]) -> ReadResult {
        var offset = 0
        let count = buffer.count
        while offset < count {
            let n = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress! + offset, count - offset) }
            if n < 0 {
                if errno == EINTR { continue }
                return .failed(String(cString: strerror(errno)))
            }
            if n == 0 { return offset == 0 ? .endOfFile : .failed("the stream ended inside a message") }
            offset += n
        }
        return .message([])
    }
}
