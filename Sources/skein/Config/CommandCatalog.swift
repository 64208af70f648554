import ArgumentParser
import Foundation

/// Every command's options as ArgumentParser describes them (its help dump): what a config
/// file may set, what each defaults to, and which command a command line names.
struct CommandCatalog: Sendable {
    /// One option of a command.
    struct Option: Sendable, Equatable {
        var name: String
        var isFlag: Bool
        var isRepeating: Bool
        var defaultValue: String?
        var help: String?
        /// Every spelling on a command line: `--out`, `-v`.
        var spellings: [String]
    }

    /// One command: its path (`["job", "work"]`) and its options by long name.
    struct Command: Sendable {
        var path: [String]
        var options: [String: Option]
        var subcommands: [String]
    }

    /// Commands by their path joined with a space ("" is the root).
    let commands: [String: Command]

    static let shared = CommandCatalog(help: Skein._dumpHelp())

    init(help: String) {
        var commands: [String: Command] = [:]
        if let info = try? JSONDecoder().decode(ToolInfo.self, from: Data(help.utf8)) {
            Self.add(info.command, path: [], to: &commands)
        }
        self.commands = commands
    }

    /// The command a command line names: its longest run of subcommand names.
    func command(of arguments: [String]) -> Command? {
        var path: [String] = []
        for argument in arguments {
            guard let current = commands[path.joined(separator: " ")], current.subcommands.contains(argument) else { break }
            path.append(argument)
        }
        return commands[path.joined(separator: " ")]
    }

    /// The commands at or under `path` (a config table `[job]` applies to every job command).
    func commands(under path: [String]) -> [Command] {
        commands.values.filter { $0.path.starts(with: path) }
    }

    /// Whether some command has an option of this name.
    func anyCommandHas(_ key: String) -> Bool {
        commands.values.contains { $0.options[key] != nil }
    }

    private static let internalOptions: Set<String> = ["help", "version", "generate-completion-script", "experimental-dump-help"]

    private static func add(_ info: ToolInfo.CommandInfo, path: [String], to commands: inout [String: Command]) {
        var options: [String: Option] = [:]
        for argument in info.arguments ?? [] where argument.kind != "positional" {
            guard let long = argument.names?.first(where: { $0.kind == "long" })?.name, !internalOptions.contains(long) else { continue }
            let spellings = (argument.names ?? []).map { $0.kind == "short" ? "-\($0.name)" : "--\($0.name)" }
            options[long] = Option(name: long, isFlag: argument.kind == "flag", isRepeating: argument.isRepeating ?? false,
                                   defaultValue: argument.defaultValue, help: argument.abstract, spellings: spellings)
        }
        let subcommands = info.subcommands ?? []
        commands[path.joined(separator: " ")] = Command(path: path, options: options, subcommands: subcommands.map(\.commandName))
        for subcommand in subcommands { add(subcommand, path: path + [subcommand.commandName], to: &commands) }
    }
}

/// The part of ArgumentParser's help dump (ToolInfoV0) the catalog reads.
private struct ToolInfo: Decodable {
    struct CommandInfo: Decodable {
        var commandName: String
        var subcommands: [CommandInfo]?
        var arguments: [ArgumentInfo]?
    }

    struct ArgumentInfo: Decodable {
        struct Name: Decodable { var kind: String; var name: String }
        var kind: String
        var names: [Name]?
        var isRepeating: Bool?
        var defaultValue: String?
        var abstract: String?
    }

    var command: CommandInfo
}
