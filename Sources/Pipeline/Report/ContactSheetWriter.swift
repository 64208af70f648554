import Foundation
import Pages
import SafeFiles

/// The contact sheet of a run (`--html`): a page beside the images with every thumbnail
/// linking to its original, captions from the API's metadata when the run wrote it
/// (`metadata.jsonl`), the failures with their causes and the summary at the top. Every link
/// is relative to the page, so the folder can move.
package enum ContactSheetWriter {
    /// Writes the page of `report` to `path` and says so in the report: its `contactSheet`, or
    /// (when it can't be written) a failed item naming the page and the cause.
    static func add(_ path: String, to report: inout RunReport) {
        let summary = switch report.command {
        case "run": Summary.runLines(report)
        case "thumbs": [Summary.thumbsLine(report)]
        default: [Summary.fetchLine(report)]
        }
        do throws(PipelineError) {
            try write(report, summary: summary, to: path)
            report.contactSheet = path
        } catch {
            let item = ItemReport(item: path, bytes: 0, status: .failed, error: ItemReport.Failure(code: "write-failed", message: error.message), seconds: 0)
            report.logs[report.logs.count - 1].append(item)
        }
    }

    /// Writes the page of `report` to `path` (through a temporary file).
    /// - Throws: `PipelineError` when the page can't be written.
    package static func write(_ report: RunReport, summary: [String], to path: String) throws(PipelineError) {
        let page = sheet(report, summary: summary, pageFolder: (absolute(path) as NSString).deletingLastPathComponent)
        do { try StagedFile.replacing(path, with: Array(page.html().utf8)) } catch {
            throw PipelineError(.report, "the contact sheet \(path) was not written: \(error)")
        }
    }

    /// The page's content, its links relative to `pageFolder`.
    static func sheet(_ report: RunReport, summary: [String], pageFolder: String) -> ContactSheet {
        let downloads = report.stages?.first ?? (report.command == "fetch" ? report : nil)
        let thumbnails = report.stages.flatMap { $0.count > 1 ? $0[1] : nil } ?? (report.command == "thumbs" ? report : nil)
        var thumbOf: [String: String] = [:]
        var failures: [ContactSheet.Failure] = []
        var entries: [ContactSheet.Entry] = []
        thumbnails?.logs.forEach { log in
            try? log.forEach { item in
                if item.status == .thumbnailed, let file = item.file { thumbOf[absolute(item.item)] = absolute(file) }
            }
        }
        if let downloads {
            let metadata = Metadata(folder: downloads.output)
            downloads.logs.forEach { log in
                try? log.forEach { item in
                    guard item.status != .failed, let file = item.file else { return }
                    let original = absolute(downloads.output + "/" + file)
                    let known = metadata.records[file]
                    entries.append(ContactSheet.Entry(original: relative(original, from: pageFolder),
                                                      thumbnail: thumbOf[original].map { relative($0, from: pageFolder) },
                                                      title: known?.title, kind: item.kind ?? known?.kind, bytes: item.bytes,
                                                      width: known?.width, height: known?.height))
                }
            }
        } else if let thumbnails {
            thumbnails.logs.forEach { log in
                try? log.forEach { item in
                    guard item.status == .thumbnailed else { return }
                    let original = absolute(item.item)
                    let bytes = (try? FileManager.default.attributesOfItem(atPath: original)[.size] as? Int) ?? nil
                    entries.append(ContactSheet.Entry(original: relative(original, from: pageFolder),
                                                      thumbnail: thumbOf[original].map { relative($0, from: pageFolder) },
                                                      kind: kind(of: original), bytes: bytes))
                }
            }
        }
        for stage in [downloads, thumbnails].compactMap({ $0 }) {
            stage.logs.forEach { log in
                try? log.forEach { item in
                    if let error = item.error { failures.append(ContactSheet.Failure(item: item.item, cause: error.message)) }
                }
            }
        }
        let title = "skein \(report.command) — \(report.source)"
        return ContactSheet(title: title, summary: summary, entries: entries, failures: failures)
    }

    /// What `metadata.jsonl` says of each file (written with `--write-metadata`).
    private struct Metadata {
        struct Record: Decodable {
            var file: String
            var title: String?
            var kind: String?
            var width: Int?
            var height: Int?
        }

        var records: [String: Record] = [:]

        init(folder: String) {
            guard let data = FileManager.default.contents(atPath: folder + "/metadata.jsonl") else { return }
            for line in data.split(separator: UInt8(ascii: "\n")) {
                if let record = try? JSONDecoder().decode(Record.self, from: Data(line)) { records[record.file] = record }
            }
        }
    }

    private static func kind(of path: String) -> String? {
        switch (path as NSString).pathExtension.lowercased() {
        case "jpg", "jpeg": return "jpeg"
        case "png": return "png"
        case "gif": return "gif"
        case "mp4": return "mp4"
        default: return nil
        }
    }

    /// `path` made absolute (against the working folder) with `.` and `..` resolved.
    static func absolute(_ path: String) -> String {
        let full = path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
        var parts: [Substring] = []
        for part in full.split(separator: "/") {
            switch part {
            case ".": continue
            case "..": _ = parts.popLast()
            default: parts.append(part)
            }
        }
        return "/" + parts.joined(separator: "/")
    }

    /// The relative path from folder `base` to `target` (both absolute).
    static func relative(_ target: String, from base: String) -> String {
        let to = target.split(separator: "/"), from = base.split(separator: "/")
        var common = 0
        while common < min(to.count, from.count), to[common] == from[common] { common += 1 }
        let up = Array(repeating: "..", count: from.count - common)
        return (up + to[common...].map(String.init)).joined(separator: "/")
    }
}
