/// Numbers written for pages: fixed decimals without `String(format:)` (fast enough for tens of
/// thousands of SVG attributes, and independent of the locale), and byte counts.
enum NumberText {
    /// `value` rounded to one decimal, without a trailing `.0` (`12.3`, `7`, `-0.5`).
    static func oneDecimal(_ value: Double) -> String {
        guard value.isFinite, abs(value) < 1e15 else { return value.isFinite ? "\(value)" : "0" }
        let tenths = Int((abs(value) * 10).rounded())
        let sign = value < 0 && tenths != 0 ? "-" : ""
        let fraction = tenths % 10
        return fraction == 0 ? "\(sign)\(tenths / 10)" : "\(sign)\(tenths / 10).\(fraction)"
    }

    /// `value` with exactly `decimals` decimals (0–9): `fixed(1.5, 3)` is `1.500`.
    static func fixed(_ value: Double, _ decimals: Int) -> String {
        let places = min(max(decimals, 0), 9)
        var scale = 1
        for _ in 0..<places { scale *= 10 }
        guard value.isFinite, abs(value) * Double(scale) < 9e15 else { return value.isFinite ? "\(value)" : "0" }
        let scaled = Int((abs(value) * Double(scale)).rounded())
        let sign = value < 0 && scaled != 0 ? "-" : ""
        guard places > 0 else { return "\(sign)\(scaled)" }
        let fraction = String(scaled % scale)
        return "\(sign)\(scaled / scale)." + String(repeating: "0", count: places - fraction.count) + fraction
    }

    /// A size in bytes, 1000-based with one decimal: `512 B`, `1.2 KB`, `3.4 MB`, `1.1 GB`.
    static func bytes(_ count: Int) -> String {
        guard count >= 1000 else { return "\(count) B" }
        let units = ["KB", "MB", "GB", "TB"]
        var value = Double(count) / 1000
        var unit = 0
        while unit < units.count - 1, (value * 10).rounded() >= 10_000 {
            value /= 1000
            unit += 1
        }
        return fixed(value, 1) + " " + units[unit]
    }

    /// `count` and `noun`, in the plural (`noun` + `s` unless given) unless the count is one:
    /// `1 lane`, `3 lanes`, `2 processes`.
    static func counted(_ count: Int, _ noun: String, plural: String? = nil) -> String {
        count == 1 ? "1 \(noun)" : "\(count) \(plural ?? noun + "s")"
    }
}
