import Basics
import Foundation
import Logging

/// Where log events go: stderr from `level` up (warnings by default, everything with
/// `--verbose`, errors only with `--quiet`), and every event of Skein's own loggers as a JSON
/// line to `--log-file`. One handler for the process, bootstrapped first thing in `main`; the
/// options change where it writes. Worker processes inherit the log file through
/// `SKEIN_LOG_FILE` and append their own lines to it.
enum LogOutput {
    private struct State {
        var level: Logger.Level = .warning
        var file: FileHandle?
    }

    private static let state = Locked(State())
    static let fileVariable = "SKEIN_LOG_FILE"

    /// Installs the handler; the log file of a parent process, if any, is used.
    static func bootstrap() {
        LoggingSystem.bootstrap { label in SkeinLogHandler(label: label) }
        if let path = ProcessInfo.processInfo.environment[fileVariable], !path.isEmpty { try? openFile(path) }
    }

    static func setLevel(_ level: Logger.Level) { state.withLock { $0.level = level } }

    /// Appends JSON lines to `path` (made if missing) from now on, here and in worker processes.
    static func openFile(_ path: String) throws {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw LogFileError(path: path, reason: String(cString: strerror(errno))) }
        let handle = FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
        state.withLock { $0.file = handle }
        setenv(fileVariable, path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path, 1)
    }

    /// The lowest level anyone listens to: everything with a log file, else stderr's. Events
    /// below it are never built (swift-log asks the handler before making their metadata).
    static var listened: Logger.Level { state.withLock { $0.file == nil ? $0.level : .debug } }

    /// Writes an event: to stderr when at or above the level, and to the log file when it is
    /// one of Skein's.
    static func write(level: Logger.Level, label: String, message raw: String, metadata raw_: Logger.Metadata) {
        // A link may carry a password (user:password@host): never written anywhere.
        let message = Redact.passwords(in: raw)
        let metadata = raw_.mapValues { Logger.MetadataValue.string(Redact.passwords(in: "\($0)")) }
        let (stderrLevel, file) = state.withLock { ($0.level, $0.file) }
        if level >= stderrLevel {
            let facts = metadata.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
            FileHandle.standardError.write(Data("\(level) \(label): \(message)\(facts.isEmpty ? "" : " " + facts)\n".utf8))
        }
        guard let file, label.hasPrefix("skein.") else { return }
        var fields: [String: String] = [:]
        for (key, value) in metadata { fields[key] = "\(value)" }
        fields["time"] = Self.timestamp()
        fields["level"] = level.rawValue
        fields["source"] = label
        fields["event"] = message
        fields["pid"] = String(getpid())
        guard let data = try? JSONSerialization.data(withJSONObject: fields, options: [.sortedKeys, .withoutEscapingSlashes]) else { return }
        // One write a line: lines from several processes appending to the file never interleave.
        file.write(data + Data("\n".utf8))
    }

    private static func timestamp() -> String {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        var time = now.tv_sec
        var parts = tm()
        gmtime_r(&time, &parts)
        return String(format: "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", parts.tm_year + 1900, parts.tm_mon + 1, parts.tm_mday,
                      parts.tm_hour, parts.tm_min, parts.tm_sec, now.tv_nsec / 1_000_000)
    }
}

struct LogFileError: Error, CustomStringConvertible {
    let path: String
    let reason: String
    var description: String { "cannot write the log file \(path): \(reason)" }
}

/// swift-log's handler for every logger of the process: it hands each event to `LogOutput`.
struct SkeinLogHandler: LogHandler {
    let label: String
    var metadata: Logger.Metadata = [:]
    /// Skein's own events reach `LogOutput` from the lowest level it listens to; the
    /// libraries' loggers (the servers', the database drivers') say only warnings. Setting it
    /// (a library asking for a level of its own) is kept as a floor.
    var logLevel: Logger.Level {
        get { own ? max(floor, LogOutput.listened) : max(floor, .warning) }
        set { floor = newValue }
    }
    private let own: Bool
    private var floor: Logger.Level = .trace

    init(label: String) {
        self.label = label
        own = label.hasPrefix("skein.")
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        var merged = metadata
        if let more = event.metadata { merged.merge(more) { $1 } }
        LogOutput.write(level: event.level, label: label, message: "\(event.message)", metadata: merged)
    }
}
