/// Fixed-width columns for the tables Skein prints (`String(format:)` on Linux ignores the
/// width of `%@`).
extension String {
    /// The string padded with spaces on the right to `width` characters.
    package func left(_ width: Int) -> String {
        count >= width ? self : self + String(repeating: " ", count: width - count)
    }

    /// The string padded with spaces on the left to `width` characters.
    package func right(_ width: Int) -> String {
        count >= width ? self : String(repeating: " ", count: width - count) + self
    }
}
