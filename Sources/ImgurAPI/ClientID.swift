import Foundation

/// An Imgur Client-ID. It is a secret: its description never shows it, and it leaves this
/// type only as the value of the `Authorization` header.
package struct ClientID: Sendable, CustomStringConvertible, CustomDebugStringConvertible {
    private let value: String

    /// nil for an empty or blank value.
    package init?(_ value: String) {
        let trimmed = value.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty, !trimmed.contains(where: \.isNewline) else { return nil }
        self.value = trimmed
    }

    /// The `Authorization` header value.
    var headerValue: String { "Client-ID \(value)" }

    package var description: String { "Client-ID(redacted)" }
    package var debugDescription: String { description }

    /// Where the Client-ID comes from: `IMGUR_CLIENT_ID`, else the first line of `file`.
    /// - Throws: `ImgurError` (`.unauthorized`) when a file is named but unreadable or empty.
    package static func resolve(environment: [String: String] = ProcessInfo.processInfo.environment,
                               file: String? = nil) throws(ImgurError) -> ClientID? {
        if let file {
            guard let text = try? String(contentsOfFile: file, encoding: .utf8) else {
                throw ImgurError(.unauthorized, request: "Client-ID", "cannot read the Client-ID file \(file)")
            }
            let firstLine = text.split(whereSeparator: \.isNewline).first.map(String.init) ?? ""
            guard let id = ClientID(firstLine) else {
                throw ImgurError(.unauthorized, request: "Client-ID", "the Client-ID file \(file) is empty")
            }
            return id
        }
        return environment["IMGUR_CLIENT_ID"].flatMap(ClientID.init)
    }
}
