import Engines

/// What happened to one item of a run, as the JSON report records it.
public struct ItemReport: Sendable, Codable, Hashable {
    public enum Status: String, Sendable, Codable {
        case downloaded
        /// An identical file was already in the folder.
        case alreadyPresent = "already-present"
        /// The file was there but damaged; it was downloaded again.
        case repaired
        case thumbnailed
        case failed
    }

    public struct Failure: Sendable, Codable, Hashable {
        public var code: String
        public var message: String

        /// A job's failure as reported for `item`. Workload failures name their item already;
        /// a stop (deadline, Ctrl-C) comes from the engine and is prefixed with it.
        init(_ failure: JobFailure, item: String) {
            code = failure.code
            message = failure.isStop ? "\(item): \(failure.message)" : failure.message
        }
    }

    /// The link (fetch) or the source file (thumbnails).
    public var item: String
    public var id: String?
    /// Where it came from (gallery page, album, links file line).
    public var source: String?
    /// The file written, relative to the output folder.
    public var file: String?
    public var bytes: Int
    public var status: Status
    public var error: Failure?
    public var seconds: Double
    public var attempts: Int?
    public var crc32: String?
    /// For thumbnails: the thumbnail's size.
    public var width: Int?
    public var height: Int?
}
