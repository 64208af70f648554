import Foundation
import GalleryServer
import SkeinTesting
import Testing

/// Real reports from the real binary hold to `docs/report.schema.json`, checked by a real JSON
/// Schema validator (Python's jsonschema; `make test` installs it when missing).
@Suite("The JSON report has a schema")
struct ReportSchemaTests {
    static let schema = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("docs/report.schema.json").path

    static let validator = """
        import json, sys, jsonschema
        schema = json.load(open(sys.argv[1]))
        jsonschema.Draft202012Validator.check_schema(schema)
        v = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())
        bad = 0
        for path in sys.argv[2:]:
            for e in v.iter_errors(json.load(open(path))):
                bad += 1
                print(path, "/".join(map(str, e.absolute_path)), e.message[:200])
        sys.exit(1 if bad else 0)
        """

    static func validate(_ reports: [String]) async throws -> SkeinExecutable.Run {
        try await RangeTests.tool("/usr/bin/env", ["python3", "-c", validator, schema] + reports)
    }

    @Test("fetch (with failures and skipped items), thumbs, run and demo reports validate; a broken one doesn't")
    func reportsValidate() async throws {
        let environment = ProcessInfo.processInfo.environment.merging(["IMGUR_CLIENT_ID": "schema-test"]) { $1 }
        let faults = FaultOptions(failRate: 0.3, removedRate: 0.1, cutImageRate: 0.1, seed: 4)
        try await TestGallery.with(items: 20, options: ServerOptions(faults: faults)) { url, _ in
            try await TemporaryFolder.with { folder in
                let fetch = try await SkeinExecutable.run(["fetch", "--api-base", url, "--limit", "12", "--retries", "0",
                                                           "--out", folder + "/f", "--json", folder + "/fetch.json"], environment: environment)
                #expect(fetch.status == 1, "some items fail: \(fetch.stderr)")
                let thumbs = try await SkeinExecutable.run(["thumbs", folder + "/f", "--json", folder + "/thumbs.json"], environment: environment)
                #expect(thumbs.status == 0, "\(thumbs.stderr)")
                let run = try await SkeinExecutable.run(["run", "--api-base", url, "--limit", "30", "--out", folder + "/r",
                                                         "--json", folder + "/run.json"], environment: environment)
                #expect([0, 1].contains(run.status), "\(run.stderr)")
                let demo = try await SkeinExecutable.run(["demo", "--items", "8", "--small", "--out", folder + "/d",
                                                          "--json", folder + "/demo.json"], environment: environment)
                #expect(demo.status == 0, "\(demo.stderr)")
                let reports = ["fetch", "thumbs", "run", "demo"].map { folder + "/\($0).json" }
                let fetched = try String(contentsOfFile: reports[0], encoding: .utf8)
                #expect(fetched.contains("\"failed\"") && fetched.contains("\"over-limit\""), "the fetch report holds failures and skipped items")
                let valid = try await Self.validate(reports)
                #expect(valid.status == 0, "\(valid.stdout)\(valid.stderr)")

                let broken = folder + "/broken.json"
                try fetched.replacingOccurrences(of: "\"downloaded\"", with: "\"fetched-maybe\"").write(toFile: broken, atomically: true, encoding: .utf8)
                let invalid = try await Self.validate([broken])
                #expect(invalid.status == 1 && invalid.stdout.contains("fetched-maybe"), "the validator really checks: \(invalid.stdout)")
            }
        }
    }
}
