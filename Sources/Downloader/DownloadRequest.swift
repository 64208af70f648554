/// One thing to download.
public struct DownloadRequest: Sendable, Codable, Hashable {
    /// The link.
    public var url: String
    /// The stem of the file name (`SafeName.stem`), decided before the batch so that two
    /// different links never aim at the same name.
    public var stem: String
    /// The id the API gave, if any (for reports).
    public var id: String?

    public init(url: String, stem: String, id: String? = nil) {
        self.url = url
        self.stem = stem
        self.id = id
    }
}

/// One download done.
public struct DownloadResult: Sendable, Codable, Hashable {
    public var url: String
    /// The file's name inside the output folder.
    public var file: String
    public var bytes: Int
    /// Hex SHA-256 of the content.
    /// CRC-32 of the bytes, eight hex digits.
    public var crc32: String
    /// The image type found in the bytes.
    public var kind: String
    /// True when an identical file was already there and nothing was written.
    public var alreadyPresent: Bool
    /// Requests made (1 unless retried; 0 when the file was already complete).
    public var attempts: Int

    public init(url: String, file: String, bytes: Int, crc32: String, kind: String, alreadyPresent: Bool, attempts: Int) {
        self.url = url
        self.file = file
        self.bytes = bytes
        self.crc32 = crc32
        self.kind = kind
        self.alreadyPresent = alreadyPresent
        self.attempts = attempts
    }
}
