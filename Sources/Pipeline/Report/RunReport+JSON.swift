import Foundation
import SafeFiles

extension RunReport {
    /// Writes the report as JSON, atomically, streaming the items from their logs: one item a
    /// line, so however many there are, only one is encoded at a time.
    package func write(to path: String) throws {
        try StagedFile.replacing(path) { file in
            var writer = ReportWriter(file: file)
            try writer.write(self)
            try writer.flush()
        }
    }

    package static func read(from path: String) throws -> RunReport {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return try decoder.decode(RunReport.self, from: Data(contentsOf: URL(fileURLWithPath: path)))
    }
}

/// `{header fields…, "items": [one item a line], "stages": [each stage, the same way]}`.
private struct ReportWriter {
    let file: StagedFile
    var buffer = Data()
    let header: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        encoder.userInfo[RunReport.headerOnly] = true
        return encoder
    }()
    let item: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()

    init(file: StagedFile) { self.file = file }

    mutating func write(_ report: RunReport) throws {
        var fields = try header.encode(report)
        fields.removeLast() // the closing brace
        append(fields)
        append(",\n\"items\":[")
        var first = true
        for log in report.logs {
            try log.forEach { item in
                append(first ? "\n" : ",\n")
                first = false
                append(try self.item.encode(item))
                if buffer.count >= 1 << 16 { try flush() }
            }
        }
        append("]")
        if let stages = report.stages {
            append(",\n\"stages\":[")
            for (index, stage) in stages.enumerated() {
                if index > 0 { append(",\n") }
                try write(stage)
            }
            append("]")
        }
        append("}\n")
    }

    mutating func append(_ text: String) { buffer.append(Data(text.utf8)) }
    mutating func append(_ data: Data) { buffer.append(data) }

    mutating func flush() throws {
        var failure: FileError?
        buffer.withUnsafeBytes { raw in
            do throws(FileError) { try file.write(raw) } catch { failure = error }
        }
        if let failure { throw failure }
        buffer.removeAll(keepingCapacity: true)
    }
}
