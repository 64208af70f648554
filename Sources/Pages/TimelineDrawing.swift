/// The SVG of a timeline: lane stripes, process headers, the time grid and its labels, lane
/// labels, then the spans (rectangles, nested ones inset) and instants (triangles).
struct TimelineDrawing: Sendable {
    /// What to draw.
    var items: [TimelineItem]
    /// Where the rows are.
    var layout: TimelineLayout
    /// The time scale.
    var axis: TimeAxis
    /// The categories' colours.
    var palette: TimelinePalette

    /// The `<svg>` element, `viewBox` 1200 wide and `width="100%"`, numbers rounded to one decimal.
    func svg() -> String {
        let width = NumberText.oneDecimal(TimelineLayout.width)
        let height = NumberText.oneDecimal(layout.height)
        var out = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(width) \(height)\" width=\"100%\" role=\"img\" aria-label=\"Timeline\">\n"
        out.reserveCapacity(items.count * 170 + 4096)
        for lane in layout.lanes where lane.index % 2 == 1 {
            out += "<rect class=\"stripe\" x=\"0\" y=\"\(n(lane.y))\" width=\"\(width)\" height=\"\(n(TimelineLayout.laneHeight))\"/>\n"
        }
        for group in layout.groups {
            out += "<rect class=\"group\" x=\"0\" y=\"\(n(group.y))\" width=\"\(width)\" height=\"\(n(TimelineLayout.groupHeight))\"/>"
            out += "<text class=\"gname\" x=\"6\" y=\"\(n(group.y + 14))\">\(label(group.label, limit: TimelineLayout.labelLimit * 3))</text>\n"
        }
        let ticks = axis.ticks
        let bottom = n(layout.height - 8)
        out += "<path class=\"grid\" d=\""
        out += ticks.map { "M\(n($0.x)) \(n(TimelineLayout.axisHeight - 6))V\(bottom)" }.joined()
        out += "\"/>\n"
        for tick in ticks {
            out += "<text class=\"tick\" x=\"\(n(tick.x))\" y=\"14\" text-anchor=\"middle\">\(HTML.escape(tick.label))</text>\n"
        }
        for lane in layout.lanes {
            out += "<text x=\"14\" y=\"\(n(lane.y + 13))\">\(label(lane.label, limit: TimelineLayout.labelLimit))</text>\n"
        }
        var spans: [PidTid: [TimelineItem]] = [:]
        var instants: [TimelineItem] = []
        for item in items {
            if item.duration == nil { instants.append(item) } else { spans[item.lane, default: []].append(item) }
        }
        for lane in spans.keys.sorted() {
            guard let top = layout.laneTop[lane], let laneSpans = spans[lane] else { continue }
            out += rects(laneSpans, top: top)
        }
        for item in instants {
            guard let top = layout.laneTop[item.lane] else { continue }
            let x = axis.x(item.start)
            out += "<path class=\"\(palette.className(item.cat)) i\" d=\"M\(n(x - 4)) \(n(top + 1))h8l-4 8z\"><title>\(tooltip(item))</title></path>\n"
        }
        return out + "</svg>\n"
    }

    /// One lane's spans as `<rect>`s, in time order; a span inside another is inset 3 units per
    /// level (three levels at most), so both show.
    private func rects(_ laneSpans: [TimelineItem], top: Double) -> String {
        var out = ""
        let sorted = laneSpans.sorted { $0.start != $1.start ? $0.start < $1.start : ($0.duration ?? 0) > ($1.duration ?? 0) }
        var openEnds: [Double] = []
        for item in sorted {
            let duration = item.duration ?? 0
            while let last = openEnds.last, last <= item.start { openEnds.removeLast() }
            let depth = Double(min(openEnds.count, 3))
            openEnds.append(item.start + duration)
            let y = top + 1 + depth * 3
            let height = TimelineLayout.laneHeight - 2 - depth * 3
            out += "<rect x=\"\(n(axis.x(item.start)))\" y=\"\(n(y))\" width=\"\(n(axis.width(duration)))\" height=\"\(n(height))\""
            out += " class=\"\(palette.className(item.cat))\"><title>\(tooltip(item))</title></rect>\n"
        }
        return out
    }

    /// The escaped tooltip of `item`: its name, category, start (and duration) in ms since the
    /// trace's start, and its args, one per line (long values cut).
    private func tooltip(_ item: TimelineItem) -> String {
        var text = item.name + "\n" + (item.cat ?? "(no category)") + "\n"
        let start = NumberText.fixed((item.start - axis.origin) / 1000, 3)
        if let duration = item.duration {
            text += "start \(start) ms, duration \(NumberText.fixed(duration / 1000, 3)) ms"
        } else {
            text += "at \(start) ms"
        }
        for key in item.args.keys.sorted() {
            guard let value = item.args[key] else { continue }
            text += "\n\(key): \(cut(value.description, limit: 300))"
        }
        return HTML.escape(text)
    }

    /// `text` escaped, cut to `limit` characters (with the whole text as a `<title>` tooltip when cut).
    private func label(_ text: String, limit: Int) -> String {
        let shown = cut(text, limit: limit)
        return shown == text ? HTML.escape(text) : "<title>\(HTML.escape(text))</title>\(HTML.escape(shown))"
    }

    /// `text`, or its first `limit` characters and `…` when it is longer.
    private func cut(_ text: String, limit: Int) -> String {
        text.count <= limit ? text : String(text.prefix(limit)) + "…"
    }

    /// `value` rounded to one decimal, for an attribute.
    private func n(_ value: Double) -> String {
        NumberText.oneDecimal(value)
    }
}
