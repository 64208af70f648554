/// Imgur's response wrapper: `{"data": …, "success": true, "status": 200}`.
package struct Envelope<Payload: Decodable>: Decodable {
    package var data: Payload
    package var success: Bool
    package var status: Int

    enum CodingKeys: String, CodingKey { case data, success, status }

    package init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        success = (try? c.decode(Bool.self, forKey: .success)) ?? false
        status = c.lenientInt(.status) ?? 0
        data = try c.decode(Payload.self, forKey: .data)
    }
}

/// What Imgur puts in `data` when a call fails: `error` is usually a string, sometimes an
/// object with a `message`.
package struct ErrorPayload: Decodable, Sendable {
    package var error: String
    package var request: String?
    package var method: String?

    enum CodingKeys: String, CodingKey { case error, request, method }
    struct Detailed: Decodable { var message: String? }

    package init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        if let text = try? c.decode(String.self, forKey: .error) {
            error = text
        } else if let detailed = try? c.decode(Detailed.self, forKey: .error), let message = detailed.message {
            error = message
        } else {
            error = "unknown error"
        }
        request = c.lenientString(.request)
        method = c.lenientString(.method)
    }
}
