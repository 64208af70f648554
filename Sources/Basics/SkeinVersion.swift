/// Skein's version: the one place it is written (`skein --version`, the `User-Agent`).
package enum SkeinVersion {
    package static let current = "1.2.0"
    /// `skein/1.1.0`: what Skein says it is to every server.
    package static var userAgent: String { "skein/\(current)" }
}
