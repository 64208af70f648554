/// A value bound to or read from a statement, the same for SQLite and PostgreSQL: the store
/// only ever uses integers, doubles (times, as seconds since 1970) and text.
package enum SQLValue: Sendable, Hashable {
    case int(Int)
    case double(Double)
    case text(String)
    case null

    /// `nil` becomes NULL.
    static func text(_ value: String?) -> SQLValue { value.map { .text($0) } ?? .null }
    static func int(_ value: Int?) -> SQLValue { value.map { .int($0) } ?? .null }
}

/// One row of a result, read by column position.
package struct SQLRow: Sendable {
    package var values: [SQLValue]

    package init(_ values: [SQLValue]) { self.values = values }

    func int(_ column: Int) -> Int {
        switch values[column] {
        case .int(let value): value
        case .double(let value): Int(value)
        case .text(let value): Int(value) ?? 0
        case .null: 0
        }
    }

    func double(_ column: Int) -> Double {
        switch values[column] {
        case .int(let value): Double(value)
        case .double(let value): value
        case .text(let value): Double(value) ?? 0
        case .null: 0
        }
    }

    func text(_ column: Int) -> String? {
        switch values[column] {
        case .int(let value): String(value)
        case .double(let value): String(value)
        case .text(let value): value
        case .null: nil
        }
    }

    func optionalDouble(_ column: Int) -> Double? {
        if case .null = values[column] { return nil }
        return double(column)
    }
}
