import Foundation

/// A decoded Chrome trace-event file: its events, checked, and the names its metadata gives.
package struct TraceFile: Sendable {
    /// What is wrong with a trace file.
    package struct Error: Swift.Error, Sendable, Equatable, CustomStringConvertible {
        /// A sentence naming the problem (and the event's index when it is one event's).
        package var message: String

        /// An error saying `message`.
        package init(message: String) {
            self.message = message
        }

        /// The message.
        package var description: String { message }
    }

    /// The events, in the file's order (metadata included).
    package var events: [TraceEvent]

    /// A trace of `events` as they are (not checked).
    package init(events: [TraceEvent]) {
        self.events = events
    }

    /// Decodes a trace file, in the object form `{"traceEvents": [...]}` or the bare array form
    /// `[...]`. An empty list is a valid, empty trace. An `E` may leave out its name (it takes its `B`'s).
    /// - Throws: `TraceFile.Error` when the data is not JSON, holds no list of events, an event
    ///   lacks (or has a wrong type for) `name`, `ph`, `ts`, `pid` or `tid` (naming its index),
    ///   a `B` has no `E`, or an `E` has no `B`.
    package init(data: Data) throws(TraceFile.Error) {
        let raw: RawTrace
        do {
            raw = try JSONDecoder().decode(RawTrace.self, from: data)
        } catch {
            throw Error(message: "not JSON: \(Self.reason(error))")
        }
        let rawEvents: [RawTraceEvent]
        switch raw {
        case .events(let list): rawEvents = list
        case .unusable(let problem): throw Error(message: "no events: \(problem)")
        }
        var events: [TraceEvent] = []
        events.reserveCapacity(rawEvents.count)
        for (index, rawEvent) in rawEvents.enumerated() {
            events.append(try rawEvent.event(index: index))
        }
        if let problem = Self.timelineItems(of: events).problem {
            throw Error(message: problem)
        }
        self.events = events
    }

    /// Process names, from `M` `process_name` events' `args.name`.
    package var processNames: [Int: String] {
        var names: [Int: String] = [:]
        for event in events where event.ph == "M" && event.name == "process_name" {
            if let name = event.args?["name"] { names[event.pid] = name.description }
        }
        return names
    }

    /// Thread names, from `M` `thread_name` events' `args.name`.
    package var threadNames: [PidTid: String] {
        var names: [PidTid: String] = [:]
        for event in events where event.ph == "M" && event.name == "thread_name" {
            if let name = event.args?["name"] { names[PidTid(pid: event.pid, tid: event.tid)] = name.description }
        }
        return names
    }

    /// A short account of why `JSONDecoder` refused the data.
    private static func reason(_ error: any Swift.Error) -> String {
        guard case DecodingError.dataCorrupted(let context) = error else { return "\(error)" }
        guard let underlying = context.underlyingError else { return context.debugDescription }
        return "\(context.debugDescription) (\(underlying))"
    }
}
