import Foundation

/// Where a setting's value came from, in the order they win: the command line, then the
/// environment, then the config file, then the option's default.
enum SettingOrigin: Sendable, Equatable, CustomStringConvertible {
    case commandLine
    case environment(String)
    case config(path: String, line: Int, table: String)
    case defaultValue

    var description: String {
        switch self {
        case .commandLine: return "command line"
        case .environment(let name): return "environment \(name)"
        case .config(let path, let line, let table): return "\(path):\(line) (\(table))"
        case .defaultValue: return "default"
        }
    }
}

/// A command line with the config file's settings for its command added where the command
/// line and the environment say nothing: what ArgumentParser then parses.
struct EffectiveSettings: Sendable {
    /// A config setting turned into arguments.
    struct Added: Sendable {
        var setting: ConfigFile.Setting
        var arguments: [String]
    }

    let command: CommandCatalog.Command?
    let original: [String]
    let arguments: [String]
    let added: [Added]
    /// Environment variables the file sets because the environment doesn't (`client-id`).
    let environment: [String: String]
    /// Every setting of the file that applies to this command, the overridden ones too.
    let applicable: [String: ConfigFile.Setting]
    let config: ConfigFile?
    let processEnvironment: [String: String]
    /// The options the command line gives, by long name, with the values it gives them (none
    /// for a flag).
    let given: [String: [String]]

    init(arguments: [String], environment: [String: String], config: ConfigFile?, catalog: CommandCatalog) {
        original = arguments
        processEnvironment = environment
        self.config = config
        let command = catalog.command(of: arguments)
        self.command = command
        var applicable: [String: ConfigFile.Setting] = [:]
        if let command, let config {
            // A more specific table wins over a broader one: top level, [job], [job.work].
            for setting in config.settings.sorted(by: { $0.scope.count < $1.scope.count })
            where command.path.starts(with: setting.scope)
                && (command.options[setting.key] != nil || ConfigFile.environmentKeys[setting.key] != nil && command.options["client-id-file"] != nil) {
                applicable[setting.key] = setting
            }
        }
        self.applicable = applicable
        var added: [Added] = []
        var variables: [String: String] = [:]
        let given = Self.given(arguments, command: command)
        self.given = given
        for key in applicable.keys.sorted() {
            guard let setting = applicable[key] else { continue }
            if let variable = ConfigFile.environmentKeys[key] {
                // The Client-ID: the environment, then the file; a --client-id-file wins over both.
                if environment[variable] == nil, given["client-id-file"] == nil, let value = setting.values.first { variables[variable] = value }
                continue
            }
            guard let option = command?.options[key], given[key] == nil else { continue }
            if let variable = ConfigFile.environmentOptions[key], environment[variable] != nil { continue }
            let values = option.isFlag ? (setting.flag == true ? ["--\(key)"] : []) : setting.values.flatMap { ["--\(key)", $0] }
            if !values.isEmpty { added.append(Added(setting: setting, arguments: values)) }
        }
        self.added = added
        self.environment = variables
        let depth = command?.path.count ?? 0
        self.arguments = Array(arguments.prefix(depth)) + added.flatMap(\.arguments) + arguments.dropFirst(depth)
    }

    /// The options a command line gives (up to a `--`), by long name, with their values:
    /// `--name VALUE`, `--name=VALUE` and `-n VALUE` each give one; a flag gives none.
    static func given(_ arguments: [String], command: CommandCatalog.Command?) -> [String: [String]] {
        guard let command else { return [:] }
        var given: [String: [String]] = [:]
        var rest = arguments.dropFirst(command.path.count)[...]
        while let argument = rest.popFirst(), argument != "--" {
            for option in command.options.values {
                if option.spellings.contains(argument) {
                    let value = option.isFlag ? nil : rest.popFirst()
                    given[option.name] = (given[option.name] ?? []) + (value.map { [$0] } ?? [])
                } else if let spelling = option.spellings.first(where: { $0.hasPrefix("--") && argument.hasPrefix($0 + "=") }) {
                    given[option.name] = (given[option.name] ?? []) + [String(argument.dropFirst(spelling.count + 1))]
                }
            }
        }
        return given
    }

    /// The arguments with only one of the added settings: to find which one a parse failed on.
    func arguments(adding one: Added) -> [String] {
        let depth = command?.path.count ?? 0
        return Array(original.prefix(depth)) + one.arguments + original.dropFirst(depth)
    }

    /// Where `key`'s value comes from for this command line.
    func origin(of key: String) -> SettingOrigin {
        if given[key] != nil { return .commandLine }
        if let variable = ConfigFile.environmentOptions[key] ?? ConfigFile.environmentKeys[key], processEnvironment[variable] != nil {
            return .environment(variable)
        }
        if let setting = applicable[key], let config, setting.flag != false {
            return .config(path: config.path, line: setting.line, table: setting.table)
        }
        return .defaultValue
    }
}
