import Engines
import Foundation
import Logging

/// What happened to one item of a run, as the JSON report records it.
package struct ItemReport: Sendable, Codable, Hashable {
    package enum Status: String, Sendable, Codable {
        case downloaded
        /// An identical file was already in the folder.
        case alreadyPresent = "already-present"
        /// The file was there but damaged; it was downloaded again.
        case repaired
        case thumbnailed
        case failed
    }

    package struct Failure: Sendable, Codable, Hashable {
        package var code: String
        package var message: String

        /// A job's failure as reported for `item`. Workload failures name their item already;
        /// a stop (deadline, Ctrl-C) comes from the engine and is prefixed with it.
        init(code: String, message: String) {
            self.code = code
            self.message = message
        }

        init(_ failure: JobFailure, item: String) {
            code = failure.code
            message = failure.isStop ? "\(item): \(failure.message)" : failure.message
        }
    }

    /// The link (fetch) or the source file (thumbnails).
    package var item: String
    package var id: String?
    /// Where it came from (gallery page, album, links file line).
    package var source: String?
    /// The file written, relative to the output folder.
    package var file: String?
    package var bytes: Int
    package var status: Status
    package var error: Failure?
    package var seconds: Double
    package var attempts: Int?
    /// Retries answered with only the rest of the body, when there were any.
    package var resumed: Int? = nil
    /// Times bytes that had arrived were fetched again, when there were any.
    package var restarted: Int? = nil
    package var crc32: String?
    /// What the file holds (downloads): `jpeg`, `png`, `gif` or `mp4`.
    package var kind: String? = nil
    /// For thumbnails: the thumbnail's size.
    package var width: Int?
    package var height: Int?
    /// A benign oddity of the source that was decoded through (thumbnails).
    package var note: String? = nil
}

extension ItemReport {
    /// What a log line of the item says (`--log-file`).
    var logMetadata: Logger.Metadata {
        var metadata: Logger.Metadata = ["item": "\(item)", "status": "\(status.rawValue)", "bytes": "\(bytes)",
                                         "seconds": "\(String(format: "%.3f", seconds))"]
        if let id { metadata["id"] = "\(id)" }
        if let file { metadata["file"] = "\(file)" }
        if let kind { metadata["kind"] = "\(kind)" }
        if let attempts { metadata["attempts"] = "\(attempts)" }
        if let error {
            metadata["cause"] = "\(error.code)"
            metadata["message"] = "\(error.message)"
        }
        return metadata
    }
}
