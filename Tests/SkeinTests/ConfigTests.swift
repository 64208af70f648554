import Foundation
import GalleryServer
import SkeinTesting
import Testing

/// The config file: `$XDG_CONFIG_HOME/skein/config.toml`, below the command line and the
/// environment, above the defaults; a bad file is one line naming the file, line and key.
@Suite("Config file")
struct ConfigTests {
    /// Runs skein with a config file holding `toml` (none when nil).
    static func skein(_ arguments: [String], config toml: String?, in folder: String, environment extra: [String: String] = [:]) async throws -> SkeinExecutable.Run {
        var environment = ProcessInfo.processInfo.environment
        environment.removeValue(forKey: "IMGUR_CLIENT_ID")
        environment.removeValue(forKey: "SKEIN_STORE")
        environment["XDG_CONFIG_HOME"] = folder + "/config"
        for (key, value) in extra { environment[key] = value }
        if let toml {
            try FileManager.default.createDirectory(atPath: folder + "/config/skein", withIntermediateDirectories: true)
            try toml.write(toFile: folder + "/config/skein/config.toml", atomically: true, encoding: .utf8)
        }
        return try await SkeinExecutable.run(arguments, environment: environment)
    }

    /// The origin `skein config` gives an option: the rest of its line.
    static func row(_ output: String, _ option: String) -> String? {
        output.split(separator: "\n").first { $0.trimmingCharacters(in: .whitespaces).hasPrefix(option + " ") }.map(String.init)
    }

    @Test("precedence: the command line, then the environment, then the file (a command's table over the top level), then the defaults; the Client-ID masked")
    func precedence() async throws {
        try await TemporaryFolder.with("skein-config") { folder in
            let secret = "c0nf1g-s3cr3t-\(UUID().uuidString.prefix(6))"
            let toml = """
                # every command
                workers = 3
                retries = 2
                client-id = "\(secret)"
                store = "postgres://skein:hunter2@db.example/jobs"

                [fetch]
                workers = 5
                out = "from-config"
                write-metadata = true
                """
            let run = try await Self.skein(["config", "fetch", "--retries", "4"], config: toml, in: folder)
            #expect(run.status == 0, "\(run.stderr)")
            let file = folder + "/config/skein/config.toml"
            #expect(run.stdout.contains("config file: \(file) (7 settings)"), "\(run.stdout)")
            #expect(Self.row(run.stdout, "--retries")?.hasSuffix("command line") == true, "\(run.stdout)")
            #expect(Self.row(run.stdout, "--workers")?.contains("5") == true)
            #expect(Self.row(run.stdout, "--workers")?.hasSuffix("\(file):8 ([fetch])") == true, "\(run.stdout)")
            #expect(Self.row(run.stdout, "--out")?.contains("from-config") == true)
            #expect(Self.row(run.stdout, "--write-metadata")?.contains("on") == true)
            #expect(Self.row(run.stdout, "--read-timeout")?.hasSuffix("default") == true)
            #expect(Self.row(run.stdout, "client-id")?.contains("(set, \(secret.count) characters)") == true, "\(run.stdout)")
            #expect(!run.stdout.contains(secret) && !run.stderr.contains(secret))

            // The environment wins over the file; the store's password is never shown.
            let job = try await Self.skein(["config", "job", "status", "x"], config: toml, in: folder, environment: ["SKEIN_STORE": "sqlite:env.db"])
            #expect(Self.row(job.stdout, "--store")?.hasSuffix("environment SKEIN_STORE") == true, "\(job.stdout)")
            let noEnv = try await Self.skein(["config", "job", "status", "x"], config: toml, in: folder)
            #expect(Self.row(noEnv.stdout, "--store")?.contains("postgres://skein:***@db.example/jobs") == true, "\(noEnv.stdout)")
            #expect(!noEnv.stdout.contains("hunter2"))
            // The top level reaches the other commands; the [fetch] table doesn't.
            let thumbs = try await Self.skein(["config", "run"], config: toml, in: folder)
            #expect(Self.row(thumbs.stdout, "--retries")?.contains("2") == true, "\(thumbs.stdout)")
            #expect(Self.row(thumbs.stdout, "--out")?.hasSuffix("default") == true, "\(thumbs.stdout)")
        }
    }

    @Test("a fetch takes its folder, width and Client-ID from the file")
    func fetchUsesTheFile() async throws {
        try await TestGallery.with(items: 12) { url, server in
            try await TemporaryFolder.with("skein-config") { folder in
                let toml = """
                    client-id = "from-the-file"
                    [fetch]
                    out = "\(folder)/configured"
                    api-base = "\(url)"
                    workers = 2
                    """
                let run = try await Self.skein(["fetch", "--limit", "100"], config: toml, in: folder)
                #expect(run.status == 0, "\(run.stdout)\(run.stderr)")
                let files = TemporaryFolder.files(in: folder + "/configured").filter { !$0.hasPrefix(".") }
                #expect(files.count == server.corpus.images.count, "\(files)")
                #expect(server.stats.apiRequestCount > 0)
            }
        }
    }

    @Test("a bad file is one line naming the file, the line and the key, and exit 2; the command never runs", arguments: [
        ("workers = 3\n[fetch]\nwrokers = 4\n", "3", "wrokers"),
        ("retries = 2\nout = \n", "2", ""),
        ("[fetch]\nworkers = \"many\"\n", "2", "workers"),
        ("[fetch]\nworkers = 0\n", "2", "workers"),
        ("[fecth]\nworkers = 2\n", "1", "fecth"),
        ("[fetch]\nwrite-metadata = \"yes\"\n", "2", "write-metadata"),
        ("[fetch]\nout = [\"a\", \"b\"]\n", "2", "out"),
    ])
    func badFiles(toml: String, line: String, key: String) async throws {
        try await TemporaryFolder.with("skein-config") { folder in
            let run = try await Self.skein(["fetch", "--links", folder + "/none.txt", "--out", folder + "/out"], config: toml, in: folder)
            #expect(run.status == 2, "\(run.stdout)\(run.stderr)")
            let lines = run.stderr.split(separator: "\n")
            #expect(lines.count == 1, "\(run.stderr)")
            #expect(run.stderr.contains(folder + "/config/skein/config.toml:\(line):"), "\(run.stderr)")
            if !key.isEmpty { #expect(run.stderr.contains(key), "\(run.stderr)") }
            #expect(!FileManager.default.fileExists(atPath: folder + "/out"))
            // skein config says the same.
            let config = try await Self.skein(["config", "fetch"], config: toml, in: folder)
            #expect(config.status == 2 && config.stderr.contains(":\(line):"), "\(config.stderr)")
        }
    }
}
