/// One value of a trace event's `args`: a string, a number or a bool.
package enum TraceValue: Sendable, Codable, Equatable, CustomStringConvertible {
    /// A JSON string.
    case string(String)
    /// A JSON number.
    case number(Double)
    /// A JSON `true` or `false`.
    case bool(Bool)

    /// Decodes a JSON string, number or bool; anything else is a type mismatch.
    package init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let text = try? container.decode(String.self) {
            self = .string(text)
        } else if let number = try? container.decode(Double.self) {
            self = .number(number)
        } else if let flag = try? container.decode(Bool.self) {
            self = .bool(flag)
        } else {
            throw DecodingError.typeMismatch(
                TraceValue.self,
                DecodingError.Context(codingPath: container.codingPath, debugDescription: "expected a string, a number or a bool"))
        }
    }

    /// Encodes the value as the JSON string, number or bool it holds.
    package func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .string(let text): try container.encode(text)
        case .number(let number): try container.encode(number)
        case .bool(let flag): try container.encode(flag)
        }
    }

    /// The value as text: a string as it is, a whole number without decimals (`12345`), `true`/`false`.
    package var description: String {
        switch self {
        case .string(let text): text
        case .number(let number):
            number.isFinite && number == number.rounded() && abs(number) < 1e15 ? String(Int(number)) : "\(number)"
        case .bool(let flag): flag ? "true" : "false"
        }
    }
}
