/// One event of a Chrome trace-event file (the format chrome://tracing and Perfetto open).
package struct TraceEvent: Sendable, Codable, Equatable {
    /// What happened (`download`, `process_name`…).
    package var name: String
    /// Its category (`download`, `thumbnail`, `retry`, `pause`, `buffer`, `shard`…), when given.
    package var cat: String?
    /// Its phase: `X` complete, `i`/`I` instant, `M` metadata, `B`/`E` begin/end.
    package var ph: String
    /// When, in microseconds.
    package var ts: Double
    /// How long, in microseconds (for `X`).
    package var dur: Double?
    /// The process it happened in.
    package var pid: Int
    /// The thread (lane) it happened on.
    package var tid: Int
    /// Its arguments (`bytes`, `outcome`; `name` for metadata events).
    package var args: [String: TraceValue]?

    /// An event with the given fields.
    package init(name: String, cat: String? = nil, ph: String, ts: Double, dur: Double? = nil,
                 pid: Int, tid: Int, args: [String: TraceValue]? = nil) {
        self.name = name
        self.cat = cat
        self.ph = ph
        self.ts = ts
        self.dur = dur
        self.pid = pid
        self.tid = tid
        self.args = args
    }
}

/// A thread of a process: the key of one lane of a timeline.
package struct PidTid: Sendable, Hashable, Comparable {
    /// The process.
    package var pid: Int
    /// The thread.
    package var tid: Int

    /// The thread `tid` of process `pid`.
    package init(pid: Int, tid: Int) {
        self.pid = pid
        self.tid = tid
    }

    /// Ordered by process, then by thread.
    package static func < (lhs: PidTid, rhs: PidTid) -> Bool {
        (lhs.pid, lhs.tid) < (rhs.pid, rhs.tid)
    }
}
