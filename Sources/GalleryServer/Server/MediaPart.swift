import HTTPTypes
import Hummingbird
import NIOCore

/// What a media request asks for: the whole file (200), one range of it (206, with
/// `Content-Range`), or nothing (416), with the validators a client needs to resume a body
/// cut short: an `ETag` (the corpus is deterministic, so name and size identify the bytes)
/// and `Accept-Ranges`. An `If-Range` that doesn't match the ETag gets the whole file.
struct MediaPart: Sendable {
    let status: HTTPResponse.Status
    /// The bytes to send.
    let bytes: ByteBuffer
    /// `ETag`, `Accept-Ranges`, `Cache-Control`, and `Content-Range` for 206 and 416.
    let headers: HTTPFields

    init(_ request: Request, bytes whole: ByteBuffer, name: String) {
        let total = whole.readableBytes
        let etag = "\"\(name)-\(total)\""
        var headers: HTTPFields = [.eTag: etag, .acceptRanges: "bytes", .cacheControl: "public, max-age=31536000"]
        let ifRange = request.headers[.ifRange]
        let range = request.headers[.range].flatMap { ifRange == nil || ifRange == etag ? ByteRange(header: $0, total: total) : nil }
        switch range {
        case nil:
            status = .ok
            bytes = whole
        case .part(let start, let end):
            status = .partialContent
            bytes = whole.getSlice(at: whole.readerIndex + start, length: end - start + 1) ?? whole
            headers[.contentRange] = "bytes \(start)-\(end)/\(total)"
        case .unsatisfiable:
            status = .rangeNotSatisfiable
            bytes = ByteBuffer()
            headers[.contentRange] = "bytes */\(total)"
        }
        self.headers = headers
    }
}
