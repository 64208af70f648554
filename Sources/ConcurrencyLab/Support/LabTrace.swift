import Basics
import Foundation

/// A lesson's timeline (`skein lab … --trace FILE`): a lane per thread, named as the lesson
/// names it ("Main", "Thread 0", "worker", "Philosopher 3"); each thread's run between its
/// "starting" and "finishing" lines (or a queue item's, between "Working on" and "Finished")
/// as a span, every log line as a mark on its lane. Nothing happens without a recorder.
package enum LabTrace {
    /// The lessons' process row.
    static let row = 10
    /// Where a lesson's thread keeps its lane's name (its `LabThread` name).
    static let laneKey = "skein.lab.lane"
    private static let lanes = Locked<[String: Int]>([:])
    private static let open = Locked<[String: ContinuousClock.Instant]>([:])

    /// The lane named `name`: "Main" first, then "Thread 0", "Thread 1" … by their number,
    /// then any other in the order it first appears.
    static func lane(_ name: String, in recorder: TraceRecorder) -> TraceRecorder.Lane {
        let number = lanes.withLock { lanes in
            if let number = lanes[name] { return number }
            let number: Int
            if name == "Main" {
                number = 0
            } else if let last = name.split(separator: " ").last, let index = Int(last), index >= 0, index < 1000 {
                number = 1 + index
            } else {
                number = 1000 + lanes.count
            }
            lanes[name] = number
            return number
        }
        let lane = TraceRecorder.Lane(process: row, thread: number)
        recorder.name(row, "lab")
        recorder.name(lane, name)
        return lane
    }

    /// A line a lesson logged: a mark, and the start or end of a span when it says so.
    static func logged(_ message: String) {
        guard let recorder = TraceRecorder.current else { return }
        let (name, text) = split(message)
        let lane = lane(name, in: recorder)
        recorder.instant(text, category: "log", lane: lane)
        if text == "starting" {
            open.withLock { $0[name] = .now }
        } else if text == "finishing", let start = open.withLock({ $0.removeValue(forKey: name) }) {
            recorder.complete(name, category: "thread", lane: lane, start: start)
        } else if text.hasPrefix("Working on ") {
            open.withLock { $0[name + "/" + text.dropFirst(11)] = .now }
        } else if text.hasPrefix("Finished "), let start = open.withLock({ $0.removeValue(forKey: name + "/" + text.dropFirst(9)) }) {
            recorder.complete("item \(text.dropFirst(9))", category: "task", lane: lane, start: start)
        }
    }

    /// Something that took from `start` to now on the lane named `lane`.
    package static func span(_ name: String, category: String, lane: String, since start: ContinuousClock.Instant) {
        guard let recorder = TraceRecorder.current else { return }
        recorder.complete(name, category: category, lane: self.lane(lane, in: recorder), start: start)
    }

    /// `Thread 0: starting` → ("Thread 0", "starting"); a line without such a prefix goes on
    /// the lane of the thread that logged it.
    private static func split(_ message: String) -> (String, String) {
        if let colon = message.firstIndex(of: ":"), message.distance(from: message.startIndex, to: colon) <= 16 {
            let name = message[..<colon].trimmingCharacters(in: .whitespaces)
            if !name.isEmpty, !name.contains(" ") || name.split(separator: " ").count == 2 {
                return (name, message[message.index(after: colon)...].trimmingCharacters(in: .whitespaces))
            }
        }
        return (Thread.current.threadDictionary[laneKey] as? String ?? "Main", message)
    }
}
