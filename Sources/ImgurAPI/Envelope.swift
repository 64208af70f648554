/// Imgur's response wrapper: `{"data": …, "success": true, "status": 200}`.
public struct Envelope<Payload: Decodable>: Decodable {
    public var data: Payload
    public var success: Bool
    public var status: Int

    enum CodingKeys: String, CodingKey { case data, success, status }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        success = (try? c.decode(Bool.self, forKey: .success)) ?? false
        status = c.lenientInt(.status) ?? 0
        data = try c.decode(Payload.self, forKey: .data)
    }
}

/// What Imgur puts in `data` when a call fails: `error` is usually a string, sometimes an
/// object with a `message`.
public struct ErrorPayload: Decodable, Sendable {
    public var error: String
    public var request: String?
    public var method: String?

    enum CodingKeys: String, CodingKey { case error, request, method }
    struct Detailed: Decodable { var message: String? }

    public init(from decoder: any Decoder) throws {
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
