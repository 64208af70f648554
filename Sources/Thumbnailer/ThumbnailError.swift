/// Why one thumbnail could not be made. The message names the file.
public struct ThumbnailError: Error, Sendable, Codable, CustomStringConvertible {
    /// The kind of failure; new kinds can be added without breaking callers.
    public struct Code: Hashable, Sendable, Codable, CustomStringConvertible {
        public let rawValue: String
        public init(_ rawValue: String) { self.rawValue = rawValue }
        public static let emptyFile = Code("empty-file")
        public static let notAnImage = Code("not-an-image")
        public static let tooManyPixels = Code("too-many-pixels")
        public static let corrupt = Code("corrupt-image")
        public static let unreadable = Code("unreadable")
        public static let write = Code("write-failed")
        public static let library = Code("libvips")
        public var description: String { rawValue }
    }

    public let code: Code
    /// The file the failure concerns.
    public let path: String
    public let message: String

    public init(_ code: Code, path: String, message: String) {
        self.code = code
        self.path = path
        self.message = message
    }

    public var description: String { "\(path): \(message)" }
}
