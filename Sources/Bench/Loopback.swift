#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// Measures loopback TCP bandwidth on this machine: one thread writes 256 MB into a socket,
/// another reads it. The floor of a fetch is latency plus bytes over this bandwidth.
enum Loopback {
    static func bandwidth(bytes total: Int = 256 << 20) -> Double {
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard listener >= 0 else { return 0 }
        defer { close(listener) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listener, $0, length) }
        }
        guard bound == 0, listen(listener, 1) == 0 else { return 0 }
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(listener, $0, &length) }
        }
        let port = address.sin_port
        let writer = Thread {
            let client = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            var target = sockaddr_in()
            target.sin_family = sa_family_t(AF_INET)
            target.sin_addr.s_addr = inet_addr("127.0.0.1")
            target.sin_port = port
            _ = withUnsafePointer(to: &target) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(client, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
            let chunk = [UInt8](repeating: 7, count: 1 << 20)
            var sent = 0
            while sent < total {
                let n = chunk.withUnsafeBytes { write(client, $0.baseAddress, min($0.count, total - sent)) }
                if n <= 0 { break }
                sent += n
            }
            close(client)
        }
        writer.start()
        let connection = accept(listener, nil, nil)
        guard connection >= 0 else { return 0 }
        defer { close(connection) }
        var buffer = [UInt8](repeating: 0, count: 1 << 20)
        var received = 0
        let start = ContinuousClock.now
        while true {
            let n = buffer.withUnsafeMutableBytes { read(connection, $0.baseAddress, $0.count) }
            if n <= 0 { break }
            received += n
        }
        let elapsed = ContinuousClock.now - start
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        return seconds > 0 ? Double(received) / seconds : 0
    }
}
