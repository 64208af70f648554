import ImgurAPI

extension Summary {
    /// What the listing held that gave no file, grouped by cause, each cause naming its items
    /// (cut after `perCause`, the rest counted; `--json` has them all); nothing when nothing
    /// was skipped.
    ///
    /// ```
    ///   skipped 4 that give no file: duplicate 1, refused-scheme 2, type-not-wanted 1
    ///     refused-scheme: image ab1 (refused: the scheme javascript: is not http or https), image ab2 (…)
    /// ```
    /// Then the accounting line: what was listed, and how it ended. For a run, the download
    /// stage's.
    package static func skippedLines(_ report: RunReport, perCause: Int = 5) -> [String] {
        let downloads = report.stages?.first ?? report
        let skipped = downloads.skipped
        guard !skipped.isEmpty else { return [] }
        let groups = Dictionary(grouping: skipped, by: \.cause).sorted { $0.key < $1.key }
        var lines = ["  skipped \(skipped.count) that give no file: "
            + groups.map { "\($0.key) \($0.value.count)" }.joined(separator: ", ")]
        for (cause, items) in groups {
            var names = items.prefix(perCause).map { "\($0.item) (\($0.reason))" }
            if items.count > perCause { names.append("… and \(items.count - perCause) more") }
            lines.append("    \(cause): " + names.joined(separator: ", "))
        }
        // The three add up to what the source held.
        lines.append("  listed \(downloads.items.count + skipped.count): \(downloads.succeeded) fetched, "
            + "\(downloads.failed.count) failed, \(skipped.count) skipped")
        return lines
    }
}
