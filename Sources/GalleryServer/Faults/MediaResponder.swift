import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import Synchronization

/// Sends one media file, or the fault chosen for this request: a 500, a body cut short, a body
/// that stops arriving, an HTML page labelled as a JPEG, or a redirect to `removed.png`; and,
/// with a bandwidth limit, the body at that pace.
struct MediaResponder: Sendable {
    let faults: FaultOptions
    let stats: ServerStats

    struct Cut: Error {}

    func respond(_ part: MediaPart, type: String, fault: Fault, removedURL: String) -> Response {
        if part.status == .rangeNotSatisfiable {
            var headers = part.headers
            headers[.contentLength] = "0"
            return Response(status: part.status, headers: headers)
        }
        let bytes = part.bytes
        if fault != .none { stats.recordFault(fault) }
        switch fault {
        case .removed:
            return Response(status: .found, headers: [.location: removedURL])
        case .fail:
            return Response(status: .internalServerError, headers: [.contentType: "text/plain"],
                            body: ResponseBody(byteBuffer: ByteBuffer(string: "Internal Server Error\n")))
        case .wrongType:
            let page = ByteBuffer(string: "<!DOCTYPE html><html><head><title>imgur: the magic of the Internet</title></head><body>404 page</body></html>")
            return Response(status: .ok, headers: [.contentType: type, .contentLength: String(page.readableBytes)],
                            body: ResponseBody(byteBuffer: page))
        case .cutImage, .bomb:
            let body = fault == .bomb ? ByteBuffer(bytes: Self.bomb) : bytes.getSlice(at: bytes.readerIndex, length: bytes.readableBytes / 2)!
            return Response(status: .ok, headers: [.contentType: fault == .bomb ? "image/png" : type, .contentLength: String(body.readableBytes)],
                            body: ResponseBody(byteBuffer: body))
        case .truncate, .stall, .none:
            let total = bytes.readableBytes
            let stats = self.stats, faults = self.faults
            let body = ResponseBody(contentLength: total) { writer in
                let cutAt = fault == .none ? total : total / 2
                try await Self.write(bytes.getSlice(at: bytes.readerIndex, length: cutAt)!, to: &writer, bandwidth: faults.bandwidth)
                switch fault {
                case .truncate:
                    // The connection closes with the body half sent. Closing at once could
                    // overtake the half still buffered on its way to the socket (Hummingbird
                    // closes the channel when the writer throws): let it go out first.
                    try await Task.sleep(for: .milliseconds(150))
                    throw Cut()
                case .stall:
                    // Nothing more arrives; give up after a while, or when the server stops.
                    let end = ContinuousClock.now + .milliseconds(Int64(faults.stallSeconds * 1000))
                    while ContinuousClock.now < end, !stats.stopping.load(ordering: .relaxed) {
                        try await Task.sleep(for: .milliseconds(50))
                    }
                    throw Cut()
                default:
                    try await writer.finish(nil)
                }
            }
            var headers = part.headers
            headers[.contentType] = type
            return Response(status: part.status, headers: headers, body: body)
        }
    }

    /// Writes `buffer`, at `bandwidth` bytes a second if given.
    private static func write(_ buffer: ByteBuffer, to writer: inout any ResponseBodyWriter, bandwidth: Int?) async throws {
        guard let bandwidth, bandwidth > 0 else { return try await writer.write(buffer) }
        var rest = buffer
        let chunk = max(1024, bandwidth / 20) // 20 writes a second
        while rest.readableBytes > 0 {
            let piece = rest.readSlice(length: min(chunk, rest.readableBytes))!
            try await writer.write(piece)
            try await Task.sleep(for: .milliseconds(Int64(1000 * piece.readableBytes / bandwidth)))
        }
    }
}
