/// The top level of a trace file, decoded leniently so `TraceFile` can say what is wrong.
enum RawTrace: Decodable {
    /// A list of events (possibly empty).
    case events([RawTraceEvent])
    /// Valid JSON without a list of events, and why.
    case unusable(String)

    /// The object form's key.
    private enum Key: String, CodingKey {
        case traceEvents
    }

    /// Accepts `{"traceEvents": [...]}` or `[...]`; anything else is `.unusable`.
    init(from decoder: any Decoder) throws {
        if let object = try? decoder.container(keyedBy: Key.self) {
            guard object.contains(.traceEvents) else {
                self = .unusable("the object has no \"traceEvents\"")
                return
            }
            if let events = try? object.decode([RawTraceEvent].self, forKey: .traceEvents) {
                self = .events(events)
            } else {
                self = .unusable("\"traceEvents\" is not an array")
            }
        } else if let events = try? decoder.singleValueContainer().decode([RawTraceEvent].self) {
            self = .events(events)
        } else {
            self = .unusable("the top level is neither an array nor an object with \"traceEvents\"")
        }
    }
}

/// One element of a trace's list, every field optional, so a missing or mistyped one can be
/// reported with the event's index instead of failing the whole decode.
struct RawTraceEvent: Decodable {
    /// Whether the element is a JSON object at all.
    var isObject = false
    /// `name`, when a string (or a number).
    var name: String?
    /// `cat`, when a string.
    var cat: String?
    /// `ph`, when a string.
    var ph: String?
    /// `ts`, when a number.
    var ts: Double?
    /// `dur`, when a number.
    var dur: Double?
    /// `pid`, when a whole number.
    var pid: Int?
    /// `tid`, when a whole number.
    var tid: Int?
    /// `args`, when an object.
    var args: [String: TraceValue]?

    /// The fields this decoder reads.
    private enum Key: String, CodingKey {
        case name, cat, ph, ts, dur, pid, tid, args
    }

    /// Reads what it can; never throws. Numbers may also come as numeric strings; nested args
    /// (objects, arrays) become text, null args are dropped.
    init(from decoder: any Decoder) throws {
        guard let container = try? decoder.container(keyedBy: Key.self) else { return }
        isObject = true
        name = Self.text(container, .name)
        cat = Self.text(container, .cat)
        ph = (try? container.decodeIfPresent(String.self, forKey: .ph)) ?? nil
        ts = Self.number(container, .ts)
        dur = Self.number(container, .dur)
        pid = Self.integer(container, .pid)
        tid = Self.integer(container, .tid)
        if let values = (try? container.decodeIfPresent([String: LenientTraceValue].self, forKey: .args)) ?? nil {
            args = values.compactMapValues(\.value)
        }
    }

    /// The checked event, or an error naming index `index` and the fields that are missing or wrong.
    func event(index: Int) throws(TraceFile.Error) -> TraceEvent {
        guard isObject else { throw TraceFile.Error(message: "event \(index) is not an object") }
        let eventName = name ?? (ph == "E" ? "" : nil)
        guard let eventName, let ph, let ts, let pid, let tid else {
            let missing = [("name", eventName == nil), ("ph", ph == nil), ("ts", ts == nil), ("pid", pid == nil), ("tid", tid == nil)]
                .filter(\.1).map { "\"\($0.0)\"" }
            throw TraceFile.Error(message: "event \(index) has no valid \(missing.joined(separator: ", "))")
        }
        return TraceEvent(name: eventName, cat: cat, ph: ph, ts: ts, dur: dur, pid: pid, tid: tid, args: args)
    }

    /// A string field (a number is taken as its text).
    private static func text(_ container: KeyedDecodingContainer<Key>, _ key: Key) -> String? {
        if let text = (try? container.decodeIfPresent(String.self, forKey: key)) ?? nil { return text }
        return number(container, key).map { TraceValue.number($0).description }
    }

    /// A number field (a numeric string is read as its number).
    private static func number(_ container: KeyedDecodingContainer<Key>, _ key: Key) -> Double? {
        if let number = (try? container.decodeIfPresent(Double.self, forKey: key)) ?? nil { return number.isFinite ? number : nil }
        guard let text = (try? container.decodeIfPresent(String.self, forKey: key)) ?? nil, let number = Double(text) else { return nil }
        return number.isFinite ? number : nil
    }

    /// A whole-number field (`7`, `7.0` or `"7"`).
    private static func integer(_ container: KeyedDecodingContainer<Key>, _ key: Key) -> Int? {
        if let whole = (try? container.decodeIfPresent(Int.self, forKey: key)) ?? nil { return whole }
        if let number = (try? container.decodeIfPresent(Double.self, forKey: key)) ?? nil { return Int(exactly: number) }
        guard let text = (try? container.decodeIfPresent(String.self, forKey: key)) ?? nil else { return nil }
        return Int(text)
    }
}

/// Any JSON value found in `args`, kept as a `TraceValue` (objects and arrays as compact text).
enum LenientTraceValue: Decodable {
    /// A string, number or bool.
    case scalar(TraceValue)
    /// An array.
    case list([LenientTraceValue])
    /// An object.
    case object([String: LenientTraceValue])
    /// `null` or something unreadable.
    case null

    /// Decodes whatever JSON value is there; never throws.
    init(from decoder: any Decoder) throws {
        guard let container = try? decoder.singleValueContainer(), !container.decodeNil() else {
            self = .null
            return
        }
        if let scalar = try? container.decode(TraceValue.self) {
            self = .scalar(scalar)
        } else if let object = try? container.decode([String: LenientTraceValue].self) {
            self = .object(object)
        } else if let list = try? container.decode([LenientTraceValue].self) {
            self = .list(list)
        } else {
            self = .null
        }
    }

    /// The value as a `TraceValue`, nil for null.
    var value: TraceValue? {
        switch self {
        case .scalar(let scalar): scalar
        case .null: nil
        default: text.map(TraceValue.string)
        }
    }

    /// The value as text (`[1, 2]`, `{a: x}`), nil for null.
    private var text: String? {
        switch self {
        case .scalar(let scalar): scalar.description
        case .list(let items): "[" + items.map { $0.text ?? "null" }.joined(separator: ", ") + "]"
        case .object(let fields):
            "{" + fields.keys.sorted().map { "\($0): \(fields[$0]?.text ?? "null")" }.joined(separator: ", ") + "}"
        case .null: nil
        }
    }
}
