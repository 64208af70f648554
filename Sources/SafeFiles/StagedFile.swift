#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A file written under a hidden temporary name inside its destination folder and given its
/// final name only when it is complete, so no reader ever sees a partial file under a final
/// name, whatever happens to the process while it is written.
///
/// Temporary names are `.skein-<pid>-<random>.part`; `StagedFile.isTemporaryName(_:)`
/// recognises them and `TemporaryFiles.sweep(_:)` removes those whose process is gone.
///
/// A reference type so it can be handed around freely; each method is meant for one owner at
/// a time (it is not `Sendable`). If it is dropped without being published, its temporary
/// file is deleted.
package final class StagedFile {
    /// The folder the file is written in and published to.
    package let directory: String
    /// The temporary name (inside `directory`).
    package let temporaryName: String
    /// Where the file is while it is staged.
    package var temporaryPath: String { directory + "/" + temporaryName }
    private var descriptor: Int32
    private var finished = false
    /// Bytes written so far.
    package private(set) var bytesWritten: Int = 0

    /// The prefix and suffix of every temporary name.
    package static let temporaryPrefix = ".skein-"
    package static let temporarySuffix = ".part"

    /// Creates an empty temporary file in `directory`.
    /// - Throws: `FileError` when the folder is missing or not writable.
    package init(in directory: String) throws(FileError) {
        self.directory = directory
        for _ in 0..<16 {
            let name = Self.temporaryPrefix + "\(getpid())-" + Self.randomToken() + Self.temporarySuffix
            let fd = open(directory + "/" + name, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
            if fd >= 0 {
                self.temporaryName = name
                self.descriptor = fd
                return
            }
            if errno != EEXIST { throw FileError(.create, path: directory, errno: errno) }
        }
        throw FileError(.create, path: directory, errno: EEXIST)
    }

    /// True for names that `StagedFile` uses while a file is incomplete.
    package static func isTemporaryName(_ name: String) -> Bool {
        name.hasPrefix(temporaryPrefix) && name.hasSuffix(temporarySuffix)
    }

    /// Appends bytes, retrying short writes and interruptions.
    /// - Throws: `FileError` (`.diskFull` when the device has no room left).
    package func write(_ bytes: UnsafeRawBufferPointer) throws(FileError) {
        var offset = 0
        while offset < bytes.count {
            let n = Glibc.write(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
            if n < 0 {
                if errno == EINTR { continue }
                throw FileError(errno == ENOSPC || errno == EDQUOT || errno == EFBIG ? .diskFull : .write,
                                path: temporaryPath, errno: errno)
            }
            offset += n
        }
        bytesWritten += bytes.count
    }

    /// Appends the bytes of an array.
    package func write(_ bytes: [UInt8]) throws(FileError) {
        var failure: FileError?
        bytes.withUnsafeBytes { raw in
            do throws(FileError) { try self.write(raw) } catch { failure = error }
        }
        if let failure { throw failure }
    }

    /// Closes the file and gives it `name`, replacing any earlier file of that name.
    /// Used for outputs that are ours to regenerate (thumbnails).
    package func publishReplacing(as name: String) throws(FileError) {
        let temp = temporaryPath
        try closeDescriptor()
        if rename(temp, directory + "/" + name) != 0 {
            let code = errno
            unlink(temp)
            throw FileError(.publish, path: directory + "/" + name, errno: code)
        }
    }

    /// Closes the file and gives it `name`, or `stem-1.ext`, `stem-2.ext`… if a *different*
    /// file already has that name. A file that already has the same bytes is kept and this one
    /// is discarded. Never overwrites anything: it relies on `link(2)`, which fails when the
    /// name exists, so it is safe against concurrent writers and other processes.
    /// - Returns: the name the content now has, and whether an identical file was already there.
    package func publishWithoutOverwriting(as name: String) throws(FileError) -> Published {
        let temp = temporaryPath
        if name.contains("/") {
            do throws(FileError) { try Self.makeFolders(for: name, in: directory) } catch {
                discard()
                throw error
            }
        }
        defer { unlink(temp) }
        try closeDescriptor()
        for candidate in Self.alternatives(of: name) {
            let target = directory + "/" + candidate
            if link(temp, target) == 0 { return Published(name: candidate, alreadyPresent: false) }
            let code = errno
            guard code == EEXIST else { throw FileError(.publish, path: target, errno: code) }
            if FileComparison.sameContents(temp, target) {
                return Published(name: candidate, alreadyPresent: true)
            }
        }
        throw FileError(.publish, path: directory + "/" + name, errno: EEXIST)
    }

    /// Makes the folders of `name` (a path relative to `directory`) that don't exist. A name
    /// on the way that is a link or not a folder is refused: nothing is written through it.
    package static func makeFolders(for name: String, in directory: String) throws(FileError) {
        var path = directory
        for part in name.split(separator: "/").dropLast() {
            guard part != "..", part != "." else { throw FileError(.publish, path: directory + "/" + name, errno: EINVAL) }
            path += "/" + part
            if mkdir(path, 0o755) == 0 { continue }
            let code = errno
            var info = stat()
            guard code == EEXIST, lstat(path, &info) == 0, info.st_mode & S_IFMT == S_IFDIR else {
                throw FileError(.publish, path: path, errno: code == EEXIST ? ENOTDIR : code)
            }
        }
    }

    /// Closes and deletes the temporary file.
    package func discard() {
        guard !finished else { return }
        finished = true
        if descriptor >= 0 { close(descriptor) }
        descriptor = -1
        unlink(temporaryPath)
    }

    private func closeDescriptor() throws(FileError) {
        finished = true
        let fd = descriptor
        descriptor = -1
        if close(fd) != 0 && errno != EINTR {
            let code = errno
            unlink(temporaryPath)
            throw FileError(code == ENOSPC || code == EDQUOT ? .diskFull : .write,
                            path: temporaryPath, errno: code)
        }
    }

    /// `name`, then `stem-1.ext` … `stem-999.ext`.
    static func alternatives(of name: String) -> some Sequence<String> {
        let (stem, ext) = FileName.split(name)
        return [name].lazy + (1...999).lazy.map { "\(stem)-\($0)\(ext)" }
    }

    private static func randomToken() -> String {
        var generator = SystemRandomNumberGenerator()
        let alphabet = Array("abcdefghijklmnopqrstuvwxyz0123456789")
        return String((0..<12).map { _ in alphabet[Int(generator.next() % UInt64(alphabet.count))] })
    }

    deinit {
        discard()
    }
}

/// Where published content ended up.
package struct Published: Sendable, Equatable {
    /// The final name inside the folder.
    package var name: String
    /// True when a file with the same bytes was already there, so nothing new was written.
    package var alreadyPresent: Bool

    package init(name: String, alreadyPresent: Bool) {
        self.name = name
        self.alreadyPresent = alreadyPresent
    }
}
