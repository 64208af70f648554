import Foundation

/// Where a timeline's rows go: one group per process (a header row), one lane per thread under
/// it, processes and threads in ascending order, in SVG user units.
struct TimelineLayout: Sendable {
    /// The drawing's width.
    static let width = 1200.0
    /// Where the plot starts (the lane labels are left of it).
    static let plotLeft = 180.0
    /// Where the plot ends.
    static let plotRight = 1188.0
    /// The height of the time axis above the rows.
    static let axisHeight = 26.0
    /// The height of a process's header row.
    static let groupHeight = 20.0
    /// The height of one lane.
    static let laneHeight = 18.0
    /// The space before each process's header but the first.
    static let groupGap = 6.0
    /// The longest label drawn whole (longer ones are cut, with the whole one as a tooltip).
    static let labelLimit = 28

    /// A process's header row.
    struct Group: Sendable {
        /// The row's label: the process name (and pid), or `process N`.
        var label: String
        /// The row's top.
        var y: Double
    }

    /// A thread's lane.
    struct Lane: Sendable {
        /// The lane's label: the thread name, or `lane N`.
        var label: String
        /// The lane's top.
        var y: Double
        /// The lane's position among all lanes, from 0.
        var index: Int
    }

    /// The process headers, top to bottom.
    var groups: [Group] = []
    /// The lanes, top to bottom.
    var lanes: [Lane] = []
    /// Each lane's top, by its thread.
    var laneTop: [PidTid: Double] = [:]
    /// The drawing's height.
    var height: Double

    /// The rows for the threads `keys`, labelled with the trace's names.
    init(keys: Set<PidTid>, processNames: [Int: String], threadNames: [PidTid: String]) {
        var y = Self.axisHeight
        var currentPid: Int?
        for key in keys.sorted() {
            if key.pid != currentPid {
                if currentPid != nil { y += Self.groupGap }
                let label = processNames[key.pid].map { "\($0) (pid \(key.pid))" } ?? "process \(key.pid)"
                groups.append(Group(label: label, y: y))
                y += Self.groupHeight
                currentPid = key.pid
            }
            lanes.append(Lane(label: threadNames[key] ?? "lane \(key.tid)", y: y, index: lanes.count))
            laneTop[key] = y
            y += Self.laneHeight
        }
        height = y + 8
    }
}

/// A timeline's time scale: microseconds since the earliest event to x, and round tick labels.
struct TimeAxis: Sendable {
    /// The earliest event's time, in microseconds (time 0 on the axis).
    var origin: Double
    /// The microseconds the plot's width stands for (the trace's span, at least 1).
    var scale: Double

    /// The axis for events from `origin` to `end` (microseconds).
    init(origin: Double, end: Double) {
        self.origin = origin
        let span = end - origin
        scale = span.isFinite ? max(span, 1) : .greatestFiniteMagnitude
    }

    /// The x of time `ts` (microseconds).
    func x(_ ts: Double) -> Double {
        TimelineLayout.plotLeft + (ts - origin) / scale * (TimelineLayout.plotRight - TimelineLayout.plotLeft)
    }

    /// The drawn width of `duration` microseconds, at least 1.
    func width(_ duration: Double) -> Double {
        max(1, duration / scale * (TimelineLayout.plotRight - TimelineLayout.plotLeft))
    }

    /// Eight to ten ticks (from 0) at round times: the largest step among 1, 1.25, 1.5, 2, 2.5, 3, 4,
    /// 5, 6 and 8 × a power of ten that still leaves seven intervals or more. Labelled in ms, or
    /// in s when the trace lasts a second or more.
    var ticks: [(x: Double, label: String)] {
        let step = Self.step(for: scale)
        let (divisor, unit) = scale >= 1_000_000 ? (1_000_000.0, "s") : (1_000.0, "ms")
        let intervals = (scale / step + 1e-9).rounded(.down)
        guard intervals.isFinite, intervals >= 0, intervals < 100 else { return [(x(origin), "0 " + unit)] }
        let decimals = Self.decimals(of: step / divisor)
        let count = Int(intervals)
        return (0...max(0, count)).map { index in
            let time = Double(index) * step
            return (x(origin + time), NumberText.fixed(time / divisor, decimals) + " " + unit)
        }
    }

    /// The tick step for a span of `span` (> 0): the largest round step with `span / step` ≥ 7.
    private static func step(for span: Double) -> Double {
        let multiples = [8, 6, 5, 4, 3, 2.5, 2, 1.5, 1.25, 1]
        var magnitude = pow(10, floor(log10(span)))
        for _ in 0..<4 {
            for multiple in multiples where (span / (multiple * magnitude) + 1e-9).rounded(.down) >= 7 {
                return multiple * magnitude
            }
            magnitude /= 10
        }
        return span / 8
    }

    /// The decimals (0–6) needed to write multiples of `step` exactly.
    private static func decimals(of step: Double) -> Int {
        var places = 0
        var scaled = step
        while places < 6, abs(scaled - scaled.rounded()) > 1e-6 * max(1, scaled) {
            places += 1
            scaled *= 10
        }
        return places
    }
}
