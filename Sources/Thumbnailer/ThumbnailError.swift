/// Why one thumbnail could not be made. The message names the file.
package struct ThumbnailError: Error, Sendable, Codable, CustomStringConvertible {
    /// The kind of failure; new kinds can be added without breaking callers.
    package struct Code: Hashable, Sendable, Codable, CustomStringConvertible {
        package let rawValue: String
        package init(_ rawValue: String) { self.rawValue = rawValue }
        package static let emptyFile = Code("empty-file")
        package static let notAnImage = Code("not-an-image")
        package static let tooManyPixels = Code("too-many-pixels")
        package static let corrupt = Code("corrupt-image")
        package static let unreadable = Code("unreadable")
        package static let write = Code("write-failed")
        package static let library = Code("libvips")
        /// A video, and FFmpeg's libraries can't be loaded.
        package static let noVideoDecoder = Code("no-video-decoder")
        package var description: String { rawValue }
    }

    package let code: Code
    /// The file the failure concerns.
    package let path: String
    package let message: String

    package init(_ code: Code, path: String, message: String) {
        self.code = code
        self.path = path
        self.message = message
    }

    package var description: String { "\(path): \(message)" }
}
