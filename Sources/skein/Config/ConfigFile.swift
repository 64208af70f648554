import Foundation
import TOMLKit

/// The config file: `$XDG_CONFIG_HOME/skein/config.toml` (`~/.config/skein/config.toml` when
/// XDG_CONFIG_HOME is unset). Keys are long option names, at the top level for every command
/// that has the option, or in a table for one command (`[fetch]`, `[job]`, `[job.work]`).
/// Read and checked whole before any command runs: a key no command has, a value of the wrong
/// kind or a syntax error is one line naming the file, the line and the key.
struct ConfigFile: Sendable {
    /// One key of the file, where it applies and what it holds.
    struct Setting: Sendable, Equatable {
        /// The table it is in: `[]` top level, `["job", "work"]` for `[job.work]`.
        var scope: [String]
        var key: String
        /// The value as command-line values (one per repetition; none for a flag).
        var values: [String]
        /// For a boolean: what it says (a flag given `true` is set, `false` leaves it off).
        var flag: Bool?
        var line: Int

        var table: String { scope.isEmpty ? "top level" : "[\(scope.joined(separator: "."))]" }
    }

    /// A key that stands for an environment variable rather than an option.
    static let environmentKeys = ["client-id": "IMGUR_CLIENT_ID"]
    /// Options that an environment variable also sets (the environment wins over the file).
    static let environmentOptions = ["store": "SKEIN_STORE"]

    let path: String
    let settings: [Setting]

    /// Where the file is looked for.
    static func defaultPath(environment: [String: String]) -> String {
        if let xdg = environment["XDG_CONFIG_HOME"], xdg.hasPrefix("/") { return xdg + "/skein/config.toml" }
        let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
        return home + "/.config/skein/config.toml"
    }

    /// The file at `path`, checked against the commands' options; nil when there is no file.
    static func load(_ path: String, catalog: CommandCatalog) throws(ConfigError) -> ConfigFile? {
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        guard let data = FileManager.default.contents(atPath: path) else { throw ConfigError("\(path): cannot be read") }
        guard data.count <= 1 << 20 else { throw ConfigError("\(path): over 1 MB, not a config file") }
        guard let text = String(data: data, encoding: .utf8) else { throw ConfigError("\(path): not UTF-8 text") }
        return try parse(text, path: path, catalog: catalog)
    }

    static func parse(_ text: String, path: String, catalog: CommandCatalog) throws(ConfigError) -> ConfigFile {
        let table: TOMLTable
        do { table = try TOMLTable(string: text) } catch let error as TOMLParseError {
            throw ConfigError("\(path):\(error.source.begin.line): \(error.description)")
        } catch {
            throw ConfigError("\(path): \(error)")
        }
        let lines = KeyLines(text)
        var settings: [Setting] = []
        try read(table, scope: [], path: path, lines: lines, catalog: catalog, into: &settings)
        return ConfigFile(path: path, settings: settings)
    }

    private static func read(_ table: TOMLTable, scope: [String], path: String, lines: KeyLines, catalog: CommandCatalog,
                             into settings: inout [Setting]) throws(ConfigError) {
        for (key, value) in table {
            let line = lines.line(of: key, in: scope)
            let place = "\(path):\(line)"
            if let inner = value.table {
                let inside = scope + [key]
                guard catalog.commands[inside.joined(separator: " ")] != nil else {
                    throw ConfigError("\(place): [\(inside.joined(separator: "."))] is not a command (tables are commands: [fetch], [run], [job], [job.work] …)")
                }
                try read(inner, scope: inside, path: path, lines: lines, catalog: catalog, into: &settings)
                continue
            }
            let commands = catalog.commands(under: scope)
            let options = commands.compactMap { $0.options[key] }
            let where_ = scope.isEmpty ? "any command" : "skein \(scope.joined(separator: " "))"
            if environmentKeys[key] == nil, options.isEmpty {
                throw ConfigError("\(place): unknown key '\(key)': \(where_) has no option --\(key)")
            }
            let isFlag = options.first?.isFlag ?? false
            let isRepeating = options.contains { $0.isRepeating }
            var setting = Setting(scope: scope, key: key, values: [], flag: nil, line: line)
            if isFlag {
                guard let flag = value.bool else { throw ConfigError("\(place): '\(key)' is a switch: true or false, not \(describe(value))") }
                setting.flag = flag
            } else if let array = value.array {
                guard isRepeating else { throw ConfigError("\(place): '\(key)' takes one value, not a list") }
                for element in array {
                    guard let text = scalar(element) else { throw ConfigError("\(place): '\(key)' holds \(describe(element)); give strings or numbers") }
                    setting.values.append(text)
                }
            } else {
                guard let text = scalar(value) else { throw ConfigError("\(place): '\(key)' needs a string or a number, not \(describe(value))") }
                setting.values = [text]
            }
            settings.append(setting)
        }
    }

    /// A string, integer or float as a command-line value.
    private static func scalar(_ value: any TOMLValueConvertible) -> String? {
        switch value.type {
        case .string: return value.string
        case .int: return value.int.map(String.init)
        case .double: return value.double.map { $0 == $0.rounded() && abs($0) < 1e15 ? String(Int($0)) : String($0) }
        default: return nil
        }
    }

    private static func describe(_ value: any TOMLValueConvertible) -> String {
        switch value.type {
        case .bool: return "a boolean"
        case .table: return "a table"
        case .array: return "a list"
        case .string: return "a string"
        case .int, .double: return "a number"
        default: return "a date or time"
        }
    }
}

/// A config file that can't be used: one line naming the file, the line and the key.
struct ConfigError: Error, CustomStringConvertible {
    let message: String
    init(_ message: String) { self.message = message }
    var description: String { message }
}

/// The line each key is on, found by reading the text the way TOML lays it out (tables by
/// their `[header]`, keys by `key =`). TOMLKit gives values, not where they were.
private struct KeyLines {
    private var lines: [(scope: [String], key: String, line: Int)] = []

    init(_ text: String) {
        var scope: [String] = []
        for (number, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.hasPrefix("[") && !line.hasPrefix("[[") {
                let header = line.dropFirst().prefix { $0 != "]" }
                scope = header.split(separator: ".").map { Self.unquote($0.trimmingCharacters(in: .whitespaces)) }
                if let last = scope.last { lines.append((Array(scope.dropLast()), last, number + 1)) }
            } else if let equals = line.firstIndex(of: "="), !line.hasPrefix("#") {
                let parts = line[..<equals].split(separator: ".").map { Self.unquote($0.trimmingCharacters(in: .whitespaces)) }
                guard let key = parts.last else { continue }
                lines.append((scope + parts.dropLast(), key, number + 1))
            }
        }
    }

    func line(of key: String, in scope: [String]) -> Int {
        lines.first { $0.key == key && $0.scope == scope }?.line
            ?? lines.first { $0.key == key }?.line ?? 1
    }

    private static func unquote(_ text: String) -> String {
        text.count >= 2 && (text.hasPrefix("\"") && text.hasSuffix("\"") || text.hasPrefix("'") && text.hasSuffix("'"))
            ? String(text.dropFirst().dropLast()) : text
    }
}
