import Foundation

/// What travels between the pool and its workers. A request is three JSON lines in one frame
/// (header, workload, input); a reply is two (header, then the output or the failure).
/// Compact JSON never holds a raw newline, so lines split the parts safely.
enum WorkerMessage {
    struct RequestHeader: Codable {
        var id: Int
        var kind: String
    }

    struct ReplyHeader: Codable {
        var id: Int
        var ok: Bool
    }

    static func request(id: Int, kind: String, workload: [UInt8], input: [UInt8]) throws -> [UInt8] {
        var bytes = Array(try JSONEncoder().encode(RequestHeader(id: id, kind: kind)))
        bytes.append(0x0A)
        bytes.append(contentsOf: workload)
        bytes.append(0x0A)
        bytes.append(contentsOf: input)
        return bytes
    }

    static func reply(id: Int, ok: Bool, payload: [UInt8]) throws -> [UInt8] {
        var bytes = Array(try JSONEncoder().encode(ReplyHeader(id: id, ok: ok)))
        bytes.append(0x0A)
        bytes.append(contentsOf: payload)
        return bytes
    }

    /// Splits a message into its newline-separated parts.
    static func parts(_ bytes: [UInt8], count: Int) -> [ArraySlice<UInt8>]? {
        let parts = bytes.split(separator: 0x0A, maxSplits: count - 1, omittingEmptySubsequences: false)
        return parts.count == count ? parts : nil
    }
}
