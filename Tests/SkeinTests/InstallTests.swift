import Foundation
import Basics
import SkeinTesting
import Testing

/// `make install PREFIX=…` into a temporary prefix: the binary runs and says its version,
/// every command's man page renders with `man -l`, the three completion scripts are where
/// bash, zsh and fish look; `make uninstall` takes exactly that away. The man pages are the
/// ones argument-parser's generate-manual plugin made when `make test` started (a test can't
/// run SwiftPM on the build folder it runs from).
@Suite("Install")
struct InstallTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
    static let pages = root + "/.build/plugins/GenerateManual/outputs/skein"

    @Test("install into a temporary prefix, man pages and completions included, then uninstall",
          .enabled(if: FileManager.default.fileExists(atPath: pages + "/skein.1"), "make test generates the man pages first"))
    func installAndUninstall() async throws {
        try await TemporaryFolder.with("skein-prefix") { prefix in
            var environment = ProcessInfo.processInfo.environment
            environment["SKEIN_BIN"] = SkeinExecutable.path
            environment["SKEIN_MAN_PAGES"] = Self.pages
            let install = try await SkeinExecutable.run(tool: "/bin/bash", [Self.root + "/scripts/install.sh", "install", prefix], environment: environment)
            #expect(install.status == 0, "\(install.stdout)\(install.stderr)")
            let version = try await SkeinExecutable.run(tool: prefix + "/bin/skein", ["--version"])
            #expect(version.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == SkeinVersion.current)
            let man1 = prefix + "/share/man/man1"
            let pages = try FileManager.default.contentsOfDirectory(atPath: man1).sorted()
            for command in ["skein.1", "skein.fetch.1", "skein.run.1", "skein.job.work.1", "skein.config.1", "skein.trace.1"] {
                #expect(pages.contains(command), "\(pages)")
            }
            var manEnvironment = environment
            manEnvironment["MANPAGER"] = "cat"
            manEnvironment["MANWIDTH"] = "100"
            let fetch = try await SkeinExecutable.run(tool: "/usr/bin/man", ["-l", man1 + "/skein.fetch.1"], environment: manEnvironment)
            #expect(fetch.status == 0, "\(fetch.stderr)")
            #expect(fetch.stdout.contains("--workers") && fetch.stdout.contains("--html"), "\(fetch.stdout.prefix(800))")
            let root = try await SkeinExecutable.run(tool: "/usr/bin/man", ["-l", man1 + "/skein.1"], environment: manEnvironment)
            #expect(root.status == 0 && root.stdout.contains("fetch"), "\(root.stderr)")
            for (file, marker) in [("share/bash-completion/completions/skein", "complete"), ("share/zsh/site-functions/_skein", "#compdef"),
                                   ("share/fish/vendor_completions.d/skein.fish", "complete -c 'skein'")] {
                let text = (try? String(contentsOfFile: prefix + "/" + file, encoding: .utf8)) ?? ""
                #expect(text.contains(marker) && text.contains("fetch"), "\(file)")
            }
            let uninstall = try await SkeinExecutable.run(tool: "/bin/bash", [Self.root + "/scripts/install.sh", "uninstall", prefix], environment: environment)
            #expect(uninstall.status == 0, "\(uninstall.stderr)")
            let left = FileManager.default.enumerator(atPath: prefix)?.compactMap { $0 as? String }.filter {
                !((try? FileManager.default.attributesOfItem(atPath: prefix + "/" + $0)[.type] as? FileAttributeType) == .typeDirectory)
            } ?? []
            #expect(left.isEmpty, "uninstall leaves nothing of skein: \(left)")
        }
    }
}
