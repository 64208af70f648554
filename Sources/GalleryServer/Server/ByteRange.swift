import Basics

/// A `Range: bytes=…` request header resolved against a body of `total` bytes (RFC 9110
/// §14): one range, `START-END`, `START-` or `-SUFFIX`. Several ranges, another unit or a
/// malformed header are ignored (the whole body is sent, which the RFC allows).
enum ByteRange: Equatable {
    /// Send these bytes (206).
    case part(start: Int, end: Int)
    /// Nothing of the body matches (416).
    case unsatisfiable

    /// The range `header` asks for, or nil when the whole body should be sent.
    init?(header: String, total: Int) {
        let text = header.trimmingSpaces
        guard text.hasPrefix("bytes="), !text.contains(",") else { return nil }
        let spec = text.dropFirst(6)
        guard let dash = spec.firstIndex(of: "-") else { return nil }
        let first = spec[..<dash], last = spec[spec.index(after: dash)...]
        if first.isEmpty {
            guard let suffix = Int(last), suffix >= 0 else { return nil }
            if suffix == 0 || total == 0 { self = .unsatisfiable; return }
            self = .part(start: max(0, total - suffix), end: total - 1)
            return
        }
        guard let start = Int(first), start >= 0 else { return nil }
        let end: Int
        if last.isEmpty {
            end = total - 1
        } else {
            guard let value = Int(last), value >= start else { return nil }
            end = min(value, total - 1)
        }
        self = start >= total ? .unsatisfiable : .part(start: start, end: end)
    }
}
