import Foundation

extension RunReport {
    /// Writes the report as JSON, atomically, streaming the items from their logs: one item a
    /// line, so however many there are, only one is encoded at a time.
    package func write(to path: String) throws {
        let temporary = path + ".skein-\(getpid()).tmp"
        guard FileManager.default.createFile(atPath: temporary, contents: nil),
              let handle = FileHandle(forWritingAtPath: temporary) else {
            throw CocoaError(.fileWriteNoPermission, userInfo: [NSFilePathErrorKey: path])
        }
        do {
            var writer = ReportWriter(handle: handle)
            try writer.write(self)
            try writer.flush()
            try handle.close()
            guard rename(temporary, path) == 0 else { throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: path]) }
        } catch {
            try? handle.close()
            unlink(temporary)
            throw error
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
    let handle: FileHandle
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

    init(handle: FileHandle) { self.handle = handle }

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
        try handle.write(contentsOf: buffer)
        buffer.removeAll(keepingCapacity: true)
    }
}
