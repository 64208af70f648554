import ArgumentParser
import Foundation

/// The checks every command's `validate()` makes, each a one-line usage error naming the option.
enum Validate {
    /// `value` must lie in `range`.
    static func range<T: Comparable>(_ value: T, _ option: String, _ range: ClosedRange<T>) throws {
        guard range.contains(value) else {
            throw ValidationError("\(option) must be between \(range.lowerBound) and \(range.upperBound), not \(shown(value))")
        }
    }

    /// An optional `value`, when given, must lie in `range`.
    static func range<T: Comparable>(_ value: T?, _ option: String, _ range: ClosedRange<T>) throws {
        if let value { try Self.range(value, option, range) }
    }

    /// A number of seconds: finite and positive, at most `maximum`.
    static func seconds(_ value: Double?, _ option: String, maximum: Double = 86_400 * 7) throws {
        guard let value else { return }
        guard value.isFinite, value > 0, value <= maximum else {
            throw ValidationError("\(option) must be a positive number of seconds up to \(Int(maximum)), not \(value)")
        }
    }

    /// A share: finite, between 0 and 1.
    static func share(_ value: Double, _ option: String) throws {
        guard value.isFinite, (0...1).contains(value) else { throw ValidationError("\(option) must be between 0 and 1, not \(value)") }
    }

    /// A base URL: http or https with a host.
    static func httpURL(_ text: String, _ option: String) throws {
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased(), ["http", "https"].contains(scheme),
              let host = url.host, !host.isEmpty else {
            throw ValidationError("\(option) must be an http or https URL with a host, like https://api.imgur.com, not \"\(shown(text))\"")
        }
    }

    /// A path the system can take: not empty, at most 4,096 bytes, no name in it over 255.
    static func path(_ text: String?, _ option: String) throws {
        guard let text else { return }
        if text.isEmpty { throw ValidationError("\(option) can't be empty") }
        if text.utf8.count > 4096 || text.split(separator: "/").contains(where: { $0.utf8.count > 255 }) {
            throw ValidationError("\(option) is too long for a path: \(shown(text))")
        }
    }

    /// A value as an error line shows it: long ones cut.
    private static func shown(_ value: Any) -> String {
        let text = "\(value)"
        return text.count > 60 ? text.prefix(60) + "… (\(text.count) characters)" : text
    }
}
