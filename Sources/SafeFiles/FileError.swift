#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A failure to create, write or publish a file, naming the path and the system's reason.
public struct FileError: Error, Sendable, CustomStringConvertible {
    /// What was being done.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        let name: String
        public static let create = Code(name: "create")
        public static let write = Code(name: "write")
        public static let diskFull = Code(name: "disk full")
        public static let publish = Code(name: "publish")
        public var description: String { name }
    }

    public let code: Code
    public let path: String
    public let errno: Int32

    public init(_ code: Code, path: String, errno: Int32) {
        self.code = code
        self.path = path
        self.errno = errno
    }

    public var description: String {
        let reason = String(cString: strerror(errno))
        switch code {
        case .create: return "cannot create a file in \(path): \(reason)"
        case .diskFull: return "disk full while writing \(path): \(reason)"
        case .publish: return "cannot name the file \(path): \(reason)"
        default: return "cannot write \(path): \(reason)"
        }
    }
}
