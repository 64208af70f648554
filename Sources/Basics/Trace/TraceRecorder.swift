import Foundation

/// A timeline of a run in Chrome's trace-event format (what Perfetto and chrome://tracing
/// open): one complete event per job per stage on the lane that ran it, and retries, pauses
/// and waits for a full buffer as their own events. A command that is asked for a trace
/// installs one recorder for the process (`TraceRecorder.install`); the layers that see an
/// event record it there, and nothing is recorded (or costs anything) without one.
package final class TraceRecorder: Sendable {
    /// A lane: a process row (`pid`: a stage, say) and a thread row within it (`tid`: the worker).
    package struct Lane: Sendable, Hashable {
        package var process: Int
        package var thread: Int
        package init(process: Int, thread: Int) {
            self.process = process
            self.thread = thread
        }
    }

    /// The process rows a run uses.
    package enum Row: Int, Sendable {
        case job = 0, download = 1, thumbnail = 2, run = 3
    }

    /// The lane of the run's own events (rate-limit pauses) in `row`.
    package static func eventsLane(_ row: Row) -> Lane { Lane(process: row.rawValue, thread: -1) }

    private struct Event: Sendable {
        var name: String
        var category: String
        var phase: Character
        var start: Double
        var duration: Double?
        var lane: Lane
        var args: [String: TraceArgument]
    }

    private let origin = ContinuousClock.now
    private let startedAt = Date()
    private let events = Locked<[Event]>([])
    private let processNames = Locked<[Int: String]>([:])
    private let laneNames = Locked<[Lane: String]>([:])

    package init() {}

    private static let installed = Locked<TraceRecorder?>(nil)

    /// The process's recorder, if a trace was asked for.
    package static var current: TraceRecorder? { installed.withLock { $0 } }

    /// Makes `recorder` the process's (nil: stop recording).
    package static func install(_ recorder: TraceRecorder?) { installed.withLock { $0 = recorder } }

    /// Microseconds since the recorder started.
    private func micros(_ instant: ContinuousClock.Instant) -> Double {
        let duration = instant - origin
        return Double(duration.components.seconds) * 1e6 + Double(duration.components.attoseconds) / 1e12
    }

    /// Something that took from `start` to `end` on `lane`.
    package func complete(_ name: String, category: String, lane: Lane, start: ContinuousClock.Instant,
                          end: ContinuousClock.Instant = .now, args: [String: TraceArgument] = [:]) {
        let from = max(0, micros(start))
        let event = Event(name: name, category: category, phase: "X", start: from, duration: max(0, micros(end) - from), lane: lane, args: args)
        events.withLock { $0.append(event) }
    }

    /// A job that ended now after `seconds`.
    package func job(_ name: String, category: String, lane: Lane, seconds: Double, args: [String: TraceArgument]) {
        let end = ContinuousClock.now
        complete(name, category: category, lane: lane, start: end - .milliseconds(Int64((seconds * 1000).rounded())), end: end, args: args)
    }

    /// Something that happened at one moment.
    package func instant(_ name: String, category: String, lane: Lane, args: [String: TraceArgument] = [:]) {
        let event = Event(name: name, category: category, phase: "i", start: micros(.now), duration: nil, lane: lane, args: args)
        events.withLock { $0.append(event) }
    }

    /// Names a process row (`download · async × 16`).
    package func name(_ row: Int, _ name: String) { processNames.withLock { $0[row] = name } }

    /// Names a lane (`thread 3`, `worker 4711`); the first name given stays.
    package func name(_ lane: Lane, _ name: String) {
        laneNames.withLock { names in if names[lane] == nil { names[lane] = name } }
    }

    /// Jobs recorded so far.
    package var count: Int { events.withLock { $0.count } }

    /// The trace as Chrome trace-event JSON (the object form, events sorted by time).
    package func json() -> Data {
        var lines: [String] = []
        for (pid, name) in processNames.withLock({ $0 }).sorted(by: { $0.key < $1.key }) {
            lines.append(#"{"name":"process_name","ph":"M","ts":0,"pid":\#(pid),"tid":0,"args":{"name":\#(Self.quoted(name))}}"#)
            lines.append(#"{"name":"process_sort_index","ph":"M","ts":0,"pid":\#(pid),"tid":0,"args":{"sort_index":\#(pid)}}"#)
        }
        for (lane, name) in laneNames.withLock({ $0 }).sorted(by: { ($0.key.process, $0.key.thread) < ($1.key.process, $1.key.thread) }) {
            lines.append(#"{"name":"thread_name","ph":"M","ts":0,"pid":\#(lane.process),"tid":\#(lane.thread),"args":{"name":\#(Self.quoted(name))}}"#)
        }
        for event in events.withLock({ $0 }).sorted(by: { $0.start < $1.start }) {
            var line = #"{"name":\#(Self.quoted(event.name)),"cat":\#(Self.quoted(event.category)),"ph":"\#(event.phase)","ts":\#(Self.number(event.start))"#
            if let duration = event.duration { line += #","dur":\#(Self.number(duration))"# }
            if event.phase == "i" { line += #","s":"t""# }
            line += #","pid":\#(event.lane.process),"tid":\#(event.lane.thread)"#
            if !event.args.isEmpty {
                line += #","args":{"# + event.args.sorted(by: { $0.key < $1.key }).map { "\(Self.quoted($0.key)):\($0.value.json)" }.joined(separator: ",") + "}"
            }
            lines.append(line + "}")
        }
        let started = ISO8601DateFormatter().string(from: startedAt)
        let text = "{\"displayTimeUnit\":\"ms\",\"otherData\":{\"tool\":\(Self.quoted(SkeinVersion.userAgent)),\"started\":\"\(started)\"},\"traceEvents\":[\n"
            + lines.joined(separator: ",\n") + "\n]}\n"
        return Data(text.utf8)
    }

    static func number(_ value: Double) -> String { String(format: "%.1f", value) }

    /// A JSON string literal.
    static func quoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20: out += String(format: "\\u%04x", scalar.value)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}

/// An argument of a trace event.
package enum TraceArgument: Sendable, Equatable, ExpressibleByStringLiteral, ExpressibleByIntegerLiteral {
    case text(String)
    case number(Double)

    package init(stringLiteral value: String) { self = .text(value) }
    package init(integerLiteral value: Int) { self = .number(Double(value)) }

    var json: String {
        switch self {
        case .text(let text): return TraceRecorder.quoted(text)
        case .number(let number): return number == number.rounded() && abs(number) < 1e15 ? String(Int(number)) : String(number)
        }
    }
}
