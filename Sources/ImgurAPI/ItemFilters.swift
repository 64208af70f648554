import Foundation

/// What a user leaves out of a listing: `--nsfw include|skip|only`, `--since`/`--until`,
/// `--min-width`/`--min-height`. Whatever a filter drops is a skipped item with its cause, so
/// the summary counts and names it. An item without a date or a size is left out by the date and
/// size filters, and says why (nothing is taken on a guess); an item the API doesn't mark nsfw
/// counts as not nsfw, as on Imgur.
package struct ItemFilters: Sendable, Hashable {
    package enum NSFW: String, Sendable, CaseIterable {
        case include, skip, only
    }

    package var nsfw: NSFW = .include
    /// Posted at or after (seconds since 1970).
    package var since: Int?
    /// Posted before (seconds since 1970).
    package var until: Int?
    package var minWidth: Int?
    package var minHeight: Int?

    package init(nsfw: NSFW = .include, since: Int? = nil, until: Int? = nil, minWidth: Int? = nil, minHeight: Int? = nil) {
        self.nsfw = nsfw
        self.since = since
        self.until = until
        self.minWidth = minWidth
        self.minHeight = minHeight
    }

    /// Why `item` is left out, if it is.
    func refusal(of item: ItemMetadata) -> LinkExtractor.Skip? {
        switch (nsfw, item.nsfw ?? false) {
        case (.skip, true): return LinkExtractor.Skip(cause: .filteredNSFW, reason: "marked nsfw (--nsfw skip)")
        case (.only, false): return LinkExtractor.Skip(cause: .filteredNSFW, reason: "not marked nsfw (--nsfw only)")
        default: break
        }
        if since != nil || until != nil {
            guard let posted = item.datetime else {
                return LinkExtractor.Skip(cause: .filteredDate, reason: "no date to hold against --since/--until")
            }
            if let since, posted < since {
                return LinkExtractor.Skip(cause: .filteredDate, reason: "posted \(Self.day(posted)), before --since \(Self.day(since))")
            }
            if let until, posted >= until {
                return LinkExtractor.Skip(cause: .filteredDate, reason: "posted \(Self.day(posted)), not before --until \(Self.day(until))")
            }
        }
        if let minWidth, (item.width ?? 0) < minWidth {
            return LinkExtractor.Skip(cause: .filteredSize, reason: item.width.map { "\($0) px wide, under --min-width \(minWidth)" }
                                      ?? "no width to hold against --min-width")
        }
        if let minHeight, (item.height ?? 0) < minHeight {
            return LinkExtractor.Skip(cause: .filteredSize, reason: item.height.map { "\($0) px high, under --min-height \(minHeight)" }
                                      ?? "no height to hold against --min-height")
        }
        return nil
    }

    /// `2026-12-01`, or the time too when it isn't midnight (UTC).
    static func day(_ seconds: Int) -> String {
        let date = Date(timeIntervalSince1970: TimeInterval(seconds))
        let format = seconds % 86_400 == 0 ? "yyyy-MM-dd" : "yyyy-MM-dd HH:mm:ss"
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = format
        return formatter.string(from: date)
    }

    /// `YYYY-MM-DD` (midnight UTC) or an ISO 8601 date-time (`2023-05-01T12:00:00Z`, with an
    /// offset or none for UTC), as seconds since 1970; nil when it is neither.
    package static func parseDate(_ text: String) -> Int? {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        if parts.count == 3, let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2]),
           parts[0].count == 4, (1...12).contains(m), (1...31).contains(d) {
            var components = DateComponents()
            (components.year, components.month, components.day) = (y, m, d)
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = TimeZone(identifier: "UTC")!
            guard let date = calendar.date(from: components), calendar.component(.day, from: date) == d else { return nil }
            return Int(date.timeIntervalSince1970)
        }
        let iso = ISO8601DateFormatter()
        if let date = iso.date(from: text) { return Int(date.timeIntervalSince1970) }
        if let date = iso.date(from: text + "Z") { return Int(date.timeIntervalSince1970) }
        return nil
    }
}
