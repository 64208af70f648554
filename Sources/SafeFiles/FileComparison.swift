#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Byte-for-byte comparison of two files.
package enum FileComparison {
    /// True when both files exist and hold exactly the same bytes.
    package static func sameContents(_ a: String, _ b: String) -> Bool {
        let fa = open(a, O_RDONLY | O_CLOEXEC)
        guard fa >= 0 else { return false }
        defer { close(fa) }
        let fb = open(b, O_RDONLY | O_CLOEXEC)
        guard fb >= 0 else { return false }
        defer { close(fb) }
        var sa = stat(), sb = stat()
        guard fstat(fa, &sa) == 0, fstat(fb, &sb) == 0, sa.st_size == sb.st_size else { return false }
        let chunk = 1 << 16
        var bufA = [UInt8](repeating: 0, count: chunk)
        var bufB = [UInt8](repeating: 0, count: chunk)
        while true {
            let na = readFully(fa, &bufA)
            let nb = readFully(fb, &bufB)
            if na != nb { return false }
            if na <= 0 { return na == 0 }
            if bufA[0..<na] != bufB[0..<nb] { return false }
        }
    }

    private static func readFully(_ fd: Int32, _ buffer: inout [UInt8]) -> Int {
        var total = 0
        let count = buffer.count
        while total < count {
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress! + total, count - total) }
            if n < 0 { if errno == EINTR { continue }; return -1 }
            if n == 0 { break }
            total += n
        }
        return total
    }
}
