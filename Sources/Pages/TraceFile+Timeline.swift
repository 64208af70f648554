/// One thing a timeline draws: a span (an `X`, or a `B` paired with its `E`) or an instant.
struct TimelineItem: Sendable {
    /// The event's name.
    var name: String
    /// The event's category.
    var cat: String?
    /// When it starts, in microseconds.
    var start: Double
    /// How long it lasts in microseconds; nil for an instant.
    var duration: Double?
    /// The lane it is drawn on.
    var lane: PidTid
    /// Its arguments (a `B`'s, with its `E`'s added).
    var args: [String: TraceValue]
}

extension TraceFile {
    /// The spans and instants the trace draws (metadata and other phases left out; a `B` without
    /// its `E`, or an `E` without its `B`, left out too).
    var timelineItems: [TimelineItem] {
        Self.timelineItems(of: events).items
    }

    /// The spans and instants of `events`, pairing `B`/`E` per thread as a stack (in time order,
    /// the file's order between equal times), and the first pairing problem found, if any.
    static func timelineItems(of events: [TraceEvent]) -> (items: [TimelineItem], problem: String?) {
        var items: [TimelineItem] = []
        items.reserveCapacity(events.count)
        var beginEnds: [Int] = []
        for (index, event) in events.enumerated() {
            let lane = PidTid(pid: event.pid, tid: event.tid)
            switch event.ph {
            case "X":
                items.append(TimelineItem(name: event.name, cat: event.cat, start: event.ts, duration: max(0, event.dur ?? 0),
                                          lane: lane, args: event.args ?? [:]))
            case "i", "I":
                items.append(TimelineItem(name: event.name, cat: event.cat, start: event.ts, duration: nil,
                                          lane: lane, args: event.args ?? [:]))
            case "B", "E":
                beginEnds.append(index)
            default:
                continue
            }
        }
        guard !beginEnds.isEmpty else { return (items, nil) }
        beginEnds.sort { events[$0].ts != events[$1].ts ? events[$0].ts < events[$1].ts : $0 < $1 }
        var open: [PidTid: [Int]] = [:]
        var problem: String?
        for index in beginEnds {
            let event = events[index]
            let lane = PidTid(pid: event.pid, tid: event.tid)
            if event.ph == "B" {
                open[lane, default: []].append(index)
                continue
            }
            guard let beginIndex = open[lane]?.popLast() else {
                problem = problem ?? "event \(index): an \"E\" on pid \(event.pid) tid \(event.tid) with no \"B\" open"
                continue
            }
            let begin = events[beginIndex]
            let args = (begin.args ?? [:]).merging(event.args ?? [:]) { _, end in end }
            items.append(TimelineItem(name: begin.name.isEmpty ? event.name : begin.name, cat: begin.cat ?? event.cat,
                                      start: begin.ts, duration: max(0, event.ts - begin.ts), lane: lane, args: args))
        }
        if problem == nil, let unmatched = open.values.flatMap({ $0 }).min() {
            let begin = events[unmatched]
            problem = "event \(unmatched): the \"B\" \"\(begin.name)\" on pid \(begin.pid) tid \(begin.tid) has no \"E\""
        }
        return (items, problem)
    }
}
