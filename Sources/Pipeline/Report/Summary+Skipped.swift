import ImgurAPI

extension Summary {
    /// What the listing held that gave no file, grouped by cause, each cause naming its items
    /// (cut after `perCause`, the rest counted; `--json` has them all); nothing when nothing
    /// was skipped.
    ///
    /// Then the accounting line: what was listed, and how it ended (for a run, the download
    /// stage's).
    ///
    /// ```
    ///   skipped 3 that give no file: duplicate 1, refused-scheme 2
    ///     duplicate (duplicate of a link already listed): image ab3
    ///     refused-scheme: image ab1 (refused: the scheme javascript: …), image ab2 (refused: the scheme file: …)
    ///   listed 60: 55 fetched, 2 failed, 3 skipped
    /// ```
    package static func skippedLines(_ report: RunReport, perCause: Int = 5) -> [String] {
        let downloads = report.stages?.first ?? report
        let skipped = downloads.skipped
        guard !skipped.isEmpty else { return [] }
        var lines = skippedLines(skipped: skipped, perCause: perCause)
        // The three add up to what the source held.
        lines.append("  listed \(downloads.itemCount + skipped.count): \(downloads.succeeded) fetched, "
            + "\(failed(downloads.totals)), \(skipped.count) skipped")
        return lines
    }

    /// The skipped items grouped by cause, each cause naming its first `perCause` items.
    package static func skippedLines(skipped: [SkippedItem], perCause: Int = 5) -> [String] {
        guard !skipped.isEmpty else { return [] }
        let groups = Dictionary(grouping: skipped, by: \.cause).sorted { $0.key < $1.key }
        var lines = ["  skipped \(skipped.count) that give no file: "
            + groups.map { "\($0.key) \($0.value.count)" }.joined(separator: ", ")]
        for (cause, items) in groups {
            // One reason for the whole group is said once.
            let shared = Set(items.map(\.reason)).count == 1 ? items[0].reason : nil
            var names = items.prefix(perCause).map { shared == nil ? "\($0.item) (\($0.reason))" : $0.item }
            if items.count > perCause { names.append("… and \(items.count - perCause) more") }
            lines.append("    \(cause)\(shared.map { " (\($0))" } ?? ""): " + names.joined(separator: ", "))
        }
        return lines
    }
}
