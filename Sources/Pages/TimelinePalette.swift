/// The colours of a timeline's categories: fixed ones for Skein's own (`download`, `thumbnail`,
/// `retry`, `pause`, `buffer`, `shard`), then a cycle of others, grey for events without one.
struct TimelinePalette: Sendable {
    /// Skein's categories and their colours, in legend order.
    static let known: [(category: String, color: String)] = [
        ("download", "#4e79a7"), ("thumbnail", "#59a14f"), ("retry", "#e15759"),
        ("pause", "#f28e2b"), ("buffer", "#b07aa1"), ("shard", "#9c755f"),
    ]
    /// Colours for other categories, in turn.
    static let others = ["#76b7b2", "#edc948", "#ff9da7", "#86bcb6", "#d37295", "#a0cbe8", "#8cd17d", "#fabfd2", "#d4a6c8", "#499894"]
    /// The colour of events without a category.
    static let uncategorised = "#9a9a9a"

    /// The categories present, in legend order (nil, for none, last).
    let categories: [String?]
    /// Each category's colour, in the same order.
    let colors: [String]
    /// Each category's position in `categories`.
    private let positions: [String?: Int]

    /// The palette for the categories `present`.
    init(present: Set<String?>) {
        var categories: [String?] = []
        var colors: [String] = []
        for (category, color) in Self.known where present.contains(category) {
            categories.append(category)
            colors.append(color)
        }
        let knownNames = Set(Self.known.map(\.category))
        let rest = present.compactMap { $0 }.filter { !knownNames.contains($0) }.sorted()
        for (index, category) in rest.enumerated() {
            categories.append(category)
            colors.append(Self.others[index % Self.others.count])
        }
        if present.contains(nil) {
            categories.append(nil)
            colors.append(Self.uncategorised)
        }
        self.categories = categories
        self.colors = colors
        positions = Dictionary(uniqueKeysWithValues: categories.enumerated().map { ($1, $0) })
    }

    /// The CSS class of `category`'s colour (`k0`, `k1`…).
    func className(_ category: String?) -> String {
        "k\(positions[category] ?? 0)"
    }

    /// One rule per category: its colour as `fill` (SVG) and `background` (legend swatches).
    var css: String {
        colors.enumerated().map { ".k\($0){fill:\($1);background:\($1)}\n" }.joined()
    }

    /// The legend: a swatch and the name of each category present (escaped).
    var legendHTML: String {
        var out = "<ul class=\"legend\">"
        for (index, category) in categories.enumerated() {
            out += "<li><span class=\"sw k\(index)\"></span>\(HTML.escape(category ?? "(no category)"))</li>"
        }
        return out + "</ul>\n"
    }
}
