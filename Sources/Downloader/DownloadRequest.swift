/// One thing to download.
package struct DownloadRequest: Sendable, Codable, Hashable {
    /// The link.
    package var url: String
    /// The stem of the file name (`SafeName.stem`), decided before the batch so that two
    /// different links never aim at the same name.
    package var stem: String
    /// The id the API gave, if any (for reports).
    package var id: String?
    /// Where the link was found (for reports): `gallery hot/viral/day page 0`, `links.txt line 3`.
    package var source: String?

    package init(url: String, stem: String, id: String? = nil, source: String? = nil) {
        self.url = url
        self.stem = stem
        self.id = id
        self.source = source
    }
}

/// One download done.
package struct DownloadResult: Sendable, Codable, Hashable {
    package var url: String
    /// The file's name inside the output folder.
    package var file: String
    package var bytes: Int
    /// Hex SHA-256 of the content.
    /// CRC-32 of the bytes, eight hex digits.
    package var crc32: String
    /// The image type found in the bytes.
    package var kind: String
    /// True when an identical file was already there and nothing was written.
    package var alreadyPresent: Bool
    /// Requests made (1 unless retried; 0 when the file was already complete).
    package var attempts: Int
    /// How the retries went: answered with only the rest of the body, or starting over.
    package var resumes: Resumes

    package init(url: String, file: String, bytes: Int, crc32: String, kind: String, alreadyPresent: Bool, attempts: Int,
                 resumes: Resumes = Resumes()) {
        self.resumes = resumes
        self.url = url
        self.file = file
        self.bytes = bytes
        self.crc32 = crc32
        self.kind = kind
        self.alreadyPresent = alreadyPresent
        self.attempts = attempts
    }
}

/// What became of the bytes of failed attempts.
package struct Resumes: Sendable, Codable, Hashable {
    /// Retries answered with only the rest of the body (206 to a `Range` request).
    package var resumed = 0
    /// Times bytes that had arrived were thrown away and fetched again: the server sent the
    /// whole body to a `Range` request, or gave nothing to resume with (no `ETag` or
    /// `Last-Modified`, no `Accept-Ranges`).
    package var restarted = 0

    package init(resumed: Int = 0, restarted: Int = 0) {
        self.resumed = resumed
        self.restarted = restarted
    }
}
