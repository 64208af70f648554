/// A self-contained HTML page drawing a trace as a timeline: an inline SVG made at generation
/// time (no script), lanes down (grouped by process), time across, spans as rectangles coloured
/// by category, instants as triangles, each with a `<title>` tooltip.
package struct TimelinePage: Sendable {
    /// The trace drawn.
    package var trace: TraceFile
    /// The page's title.
    package var title: String

    /// A page drawing `trace`, titled `title`.
    package init(trace: TraceFile, title: String) {
        self.trace = trace
        self.title = title
    }

    /// The whole page. Its header gives the title, the trace's span in seconds and how many
    /// events (spans and instants drawn; a `B`/`E` pair counts once), lanes and processes; a trace
    /// with nothing to draw says "No events.".
    package func html() -> String {
        let items = trace.timelineItems
        guard let first = items.first else {
            return Self.head(title: title, paletteCSS: "")
                + "<header>\n<h1>\(HTML.escape(title))</h1>\n</header>\n<p class=\"empty\">No events.</p>\n</body>\n</html>\n"
        }
        var origin = first.start, end = first.start
        var keys: Set<PidTid> = []
        var categories: Set<String?> = []
        for item in items {
            origin = min(origin, item.start)
            end = max(end, item.start + (item.duration ?? 0))
            keys.insert(item.lane)
            categories.insert(item.cat)
        }
        let layout = TimelineLayout(keys: keys, processNames: trace.processNames, threadNames: trace.threadNames)
        let axis = TimeAxis(origin: origin, end: end)
        let palette = TimelinePalette(present: categories)
        let processes = Set(keys.map(\.pid)).count
        let stats = [
            "span " + NumberText.fixed((end - origin) / 1_000_000, 3) + " s",
            NumberText.counted(items.count, "event"),
            NumberText.counted(keys.count, "lane"),
            NumberText.counted(processes, "process", plural: "processes"),
        ].joined(separator: " · ")
        var out = Self.head(title: title, paletteCSS: palette.css)
        out += "<header>\n<h1>\(HTML.escape(title))</h1>\n<p class=\"stats\">\(stats)</p>\n"
        out += palette.legendHTML
        out += "</header>\n<div class=\"chart\">\n"
        out += TimelineDrawing(items: items, layout: layout, axis: axis, palette: palette).svg()
        out += "</div>\n</body>\n</html>\n"
        return out
    }

    /// The page up to `<body>`: meta tags (a content policy allowing nothing but the inline
    /// style), the title and the style sheet with the categories' colours.
    private static func head(title: String, paletteCSS: String) -> String {
        """
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <meta name="color-scheme" content="light dark">
        <meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
        <title>\(HTML.escape(title))</title>
        <style>
        \(css)\(paletteCSS)</style>
        </head>
        <body>

        """
    }

    /// The page's CSS, light and dark.
    private static let css = """
    :root { --bg: #ffffff; --fg: #1d1d1f; --muted: #6b6b70; --stripe: #f4f4f2; --group: #e3e3df; --grid: #dcdcd8; }
    @media (prefers-color-scheme: dark) {
      :root { --bg: #161618; --fg: #ececef; --muted: #9a9aa2; --stripe: #1f1f23; --group: #2e2e34; --grid: #34343a; }
    }
    body { margin: 0; padding: 16px; background: var(--bg); color: var(--fg); font: 14px/1.4 system-ui, -apple-system, "Segoe UI", sans-serif; }
    h1 { margin: 0 0 4px; font-size: 20px; overflow-wrap: anywhere; }
    .stats { margin: 0 0 8px; color: var(--muted); }
    .legend { list-style: none; margin: 0 0 12px; padding: 0; display: flex; flex-wrap: wrap; gap: 4px 14px; font-size: 13px; }
    .sw { display: inline-block; width: 12px; height: 12px; margin-right: 5px; border-radius: 2px; vertical-align: -1px; }
    .empty { color: var(--muted); }
    svg { display: block; font: 11px system-ui, -apple-system, "Segoe UI", sans-serif; }
    svg text { fill: var(--fg); }
    svg .tick { fill: var(--muted); }
    .stripe { fill: var(--stripe); }
    .group { fill: var(--group); }
    .gname { font-weight: 600; }
    .grid { fill: none; stroke: var(--grid); stroke-width: 1; }
    .i { stroke: var(--fg); stroke-width: 0.6; }
    svg rect[class^="k"]:hover, svg path[class^="k"]:hover { stroke: var(--fg); stroke-width: 1; }

    """
}
