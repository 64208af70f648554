import ArgumentParser
import Foundation
import Pipeline

/// `skein config`: the config file, and the effective settings of a command line with where
/// each came from.
struct ConfigCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "config",
        abstract: "Show the config file and the settings a command would run with, and where each came from.",
        discussion: """
            The file is $XDG_CONFIG_HOME/skein/config.toml (~/.config/skein/config.toml): TOML whose \
            keys are long option names, at the top level for every command with that option, or in \
            a table for one command ([fetch], [run], [thumbs], [job], [job.work] …); client-id sets \
            the Client-ID. The command line wins, then the environment (IMGUR_CLIENT_ID, \
            SKEIN_STORE), then the file, then the defaults. The Client-ID and passwords are \
            never shown. Example: skein config fetch --workers 8
            """
    )

    @Argument(parsing: .captureForPassthrough,
              help: ArgumentHelp("A command line to describe (like fetch --workers 8); without one, the file's settings.", valueName: "command"))
    var commandLine: [String] = []

    func run() throws {
        if let first = commandLine.first, ["--help", "-h", "help"].contains(first) {
            return Console.out(Self.helpMessage())
        }
        let environment = ProcessInfo.processInfo.environment
        let path = ConfigFile.defaultPath(environment: environment)
        let catalog = CommandCatalog.shared
        let config: ConfigFile?
        do { config = try ConfigFile.load(path, catalog: catalog) } catch {
            Console.error("error: \(error.message)")
            throw ExitCode(.usage)
        }
        guard let config else {
            Console.out("config file: \(path) (none)")
            if !commandLine.isEmpty { try describe(EffectiveSettings(arguments: commandLine, environment: environment, config: nil, catalog: catalog)) }
            return
        }
        Console.out("config file: \(path) (\(config.settings.count) setting\(config.settings.count == 1 ? "" : "s"))")
        guard !commandLine.isEmpty else {
            let rows = config.settings.sorted { $0.line < $1.line }.map { setting in
                (setting.key, setting.flag.map { String($0) } ?? setting.values.map { Configuration.shown($0, key: setting.key) }.joined(separator: ", "),
                 "line \(setting.line), \(setting.table)")
            }
            Self.table(rows)
            Console.out("skein config COMMAND [OPTIONS] shows every setting of a command line and where it comes from.")
            return
        }
        let settings = EffectiveSettings(arguments: commandLine, environment: environment, config: config, catalog: catalog)
        // A value of the file the command can't take is the file's error, as when it runs.
        do { _ = try Configuration.parse(settings) } catch let error as ConfigError {
            Console.error("error: \(error.message)")
            throw ExitCode(.usage)
        } catch {}
        try describe(settings)
    }

    private func describe(_ settings: EffectiveSettings) throws {
        guard let command = settings.command, !command.path.isEmpty else {
            Console.error("error: '\(commandLine.first ?? "")' is not a command (skein --help lists them)")
            throw ExitCode(.usage)
        }
        Console.out("skein \(command.path.joined(separator: " ")):")
        var rows: [(String, String, String)] = []
        if command.options["client-id-file"] != nil {
            let origin = settings.origin(of: "client-id")
            let value = origin == .defaultValue ? "(none)" : Configuration.shown(
                settings.processEnvironment["IMGUR_CLIENT_ID"] ?? settings.applicable["client-id"]?.values.first ?? "", key: "client-id")
            rows.append(("client-id", value, origin.description))
        }
        for option in command.options.values.sorted(by: { $0.name < $1.name }) {
            let origin = settings.origin(of: option.name)
            rows.append(("--\(option.name)", Configuration.shown(value(of: option, origin: origin, settings), key: option.name), origin.description))
        }
        Self.table(rows)
    }

    /// Three aligned columns.
    private static func table(_ rows: [(String, String, String)]) {
        let width = rows.map(\.0.count).max() ?? 0
        let valueWidth = min(40, rows.map(\.1.count).max() ?? 0)
        for (name, value, origin) in rows {
            Console.out("  \(name.padding(toLength: width, withPad: " ", startingAt: 0))  \(value.padding(toLength: max(valueWidth, value.count), withPad: " ", startingAt: 0))  \(origin)")
        }
    }

    /// The value an option takes from where it comes.
    private func value(of option: CommandCatalog.Option, origin: SettingOrigin, _ settings: EffectiveSettings) -> String {
        switch origin {
        case .commandLine:
            if option.isFlag { return "on" }
            return settings.given[option.name, default: []].joined(separator: ", ")
        case .environment(let variable):
            return settings.processEnvironment[variable] ?? ""
        case .config:
            guard let setting = settings.applicable[option.name] else { return "" }
            return setting.flag.map { $0 ? "on" : "off" } ?? setting.values.joined(separator: ", ")
        case .defaultValue:
            if option.isFlag { return "off" }
            return option.defaultValue ?? "(none)"
        }
    }
}
