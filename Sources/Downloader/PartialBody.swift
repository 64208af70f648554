import SafeFiles

/// A body cut short that can be resumed: the staged file with what arrived, the checksum so
/// far, and what the server said identifies the bytes (its `ETag`, else `Last-Modified`), so
/// the next attempt asks for the rest with `Range` and `If-Range`. A server that answers with
/// the whole body instead (the file changed, or it ignores ranges) gets a fresh start.
final class PartialBody {
    let file: StagedFile
    var checksum = CRC32()
    /// The first bytes, for sniffing the type.
    var head: [UInt8] = []
    var kind: ImageKind?
    /// Bytes received so far.
    var received = 0
    /// `If-Range` for the next attempt, when the server said it takes ranges.
    var validator: String?
    /// The whole body's length, when known.
    var length: Int?

    init(file: StagedFile) { self.file = file }

    /// Whether a retry can ask for the rest instead of starting over.
    var resumable: Bool { received > 0 && validator != nil }

    /// Adds bytes that arrived.
    func append(_ bytes: UnsafeRawBufferPointer) throws(FileError) {
        checksum.update(bytes)
        try file.write(bytes)
        if head.count < 16 { head.append(contentsOf: bytes.prefix(16 - head.count)) }
        received += bytes.count
    }
}
