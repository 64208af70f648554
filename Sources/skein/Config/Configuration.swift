import ArgumentParser
import Basics
import Foundation

/// The config file's part in every command line: read it, add its settings, and say which
/// setting is at fault when the result doesn't parse.
enum Configuration {
    /// The command line with the config file's settings added (none for the internal
    /// `worker` command, whose start-up is part of the process engine's cost).
    /// - Throws: `ConfigError` for a file that can't be used.
    static func prepare(_ arguments: [String], environment: [String: String] = ProcessInfo.processInfo.environment) throws(ConfigError) -> EffectiveSettings {
        let path = ConfigFile.defaultPath(environment: environment)
        guard arguments.first != "worker", FileManager.default.fileExists(atPath: path) else {
            return EffectiveSettings(arguments: arguments, environment: environment, config: nil, catalog: .empty)
        }
        let config = try ConfigFile.load(path, catalog: .shared)
        return EffectiveSettings(arguments: arguments, environment: environment, config: config, catalog: .shared)
    }

    /// Parses the command line with the file's settings; when only a setting of the file makes
    /// it fail, the error names the file, line and key.
    static func parse(_ settings: EffectiveSettings) throws -> any ParsableCommand {
        do { return try Skein.parseAsRoot(settings.arguments) } catch {
            guard !settings.added.isEmpty, let config = settings.config, (try? Skein.parseAsRoot(settings.original)) != nil else { throw error }
            for added in settings.added {
                do { _ = try Skein.parseAsRoot(settings.arguments(adding: added)) } catch let culprit {
                    var message = Skein.fullMessage(for: culprit).split(separator: "\n").first.map(String.init) ?? "\(culprit)"
                    if message.hasPrefix("Error: ") { message.removeFirst(7) }
                    throw ConfigError("\(config.path):\(added.setting.line): '\(added.setting.key)' (\(added.setting.table)): \(message)")
                }
            }
            throw error
        }
    }

    /// A value as it may be shown: the Client-ID and passwords masked.
    static func shown(_ value: String, key: String) -> String {
        if key == "client-id" || ["password", "secret", "token"].contains(where: key.contains) {
            return value.isEmpty ? "(empty)" : "(set, \(value.count) characters)"
        }
        return Redact.passwords(in: value)
    }
}

extension CommandCatalog {
    /// No commands: used when there is no config file, so nothing is described.
    static let empty = CommandCatalog(help: "")
}
