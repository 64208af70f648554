#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A failure to create, write or publish a file, naming the path and the system's reason.
package struct FileError: Error, Sendable, CustomStringConvertible {
    /// What was being done.
    package struct Code: Hashable, Sendable, CustomStringConvertible {
        let name: String
        package static let create = Code(name: "create")
        package static let write = Code(name: "write")
        package static let diskFull = Code(name: "disk full")
        package static let publish = Code(name: "publish")
        package var description: String { name }
    }

    package let code: Code
    package let path: String
    package let errno: Int32

    package init(_ code: Code, path: String, errno: Int32) {
        self.code = code
        self.path = path
        self.errno = errno
    }

    package var description: String {
        let reason = String(cString: strerror(errno))
        switch code {
        case .create: return "cannot create a file in \(path): \(reason)"
        case .diskFull: return "disk full while writing \(path): \(reason)"
        case .publish: return "cannot name the file \(path): \(reason)"
        default: return "cannot write \(path): \(reason)"
        }
    }
}
