import ArgumentParser
import Foundation
import ImgurAPI
import Jobs
import Pipeline

/// `skein job create NAME SOURCE…`: the listing, once, into shards in the store.
struct JobCreateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "create",
        abstract: "List a job's items once and store them in shards.",
        discussion: """
            Takes the sources, filters and options of fetch (URLs, --search, --album, --gallery, \
            --links, --limit, --types, --albums, --nsfw, --since…). The items are stored in shards \
            of --shard-size; workers (job work) fetch them. A job that exists is an error unless \
            --append, which adds the items it doesn't hold yet.
            """
    )

    @Argument(help: "The job's name (letters, digits, - _ .).")
    var name: String
    @OptionGroup var source: SourceOptions
    @OptionGroup var storeOptions: StoreOptions

    @Option(help: "Items a shard holds (what one worker claims at a time).")
    var shardSize = 500
    @Option(help: "Leases a shard may lose (its worker killed or stalled) before it fails.")
    var maxAttempts = 5
    @Flag(help: "Add to the job of this name if it exists (items it holds already are left out).")
    var append = false
    @Option(name: .customLong("name"), help: "Where each file goes in the workers' --out (as fetch --name; the job keeps it).")
    var nameTemplate: String?
    @Flag(help: "Workers write what the API said of each file beside it (as fetch --write-metadata).")
    var writeMetadata = false

    func validate() throws {
        try JobName.validate(name)
        try Validate.range(shardSize, "--shard-size", 1...100_000)
        try Validate.range(maxAttempts, "--max-attempts", 1...1000)
        if let nameTemplate {
            do throws(PipelineError) { _ = try NameTemplate(nameTemplate) } catch { throw ValidationError(error.message) }
        }
        guard !source.printLinks else { throw ValidationError("--print-links is for fetch; job create stores the links") }
    }

    mutating func run() async throws {
        let links = try source.linkSource()
        let store = try await storeOptions.open()
        let types = try source.typeSet().sorted()
        let definition = JobDefinition(name: name, source: links.summary, shardSize: shardSize, maxAttempts: maxAttempts,
                                       spec: JobSpec(name: nameTemplate, writeMetadata: writeMetadata, types: types))
        let created: JobCreator.Created
        do throws(JobCreator.Failure) {
            created = try await JobCreator(store: store, definition: definition).create(from: links, append: append)
        } catch {
            await store.close()
            switch error {
            case .store(let error): throw StoreFailure.exit(error)
            case .listing(let error, let kept):
                if kept > 0 { Console.error("job \(name): keeps the \(kept) items listed before the failure (job create --append goes on)") }
                throw Report.fail(error)
            }
        }
        await store.close()
        let again = created.alreadyInJob > 0 ? " (\(created.alreadyInJob) the job held already)" : ""
        Console.out("job \(name): \(created.items) items in \(created.shards) shards of up to \(shardSize) from \(created.listing.description) "
            + "in \(String(format: "%.1f", created.listing.seconds)) s\(again), in \(store.address)")
        for line in Summary.skippedLines(skipped: created.listing.skipped) { Console.out(line) }
        Console.out("next: skein job work \(name) --store \(store.address.commandLine) --out DIR")
        if created.listing.skipped.contains(where: { $0.cause == .creditBudget || $0.cause == .sourceUnavailable }) {
            throw ExitCode(.someFailed)
        }
    }
}

extension StoreAddress {
    /// How to name the store on a command line: a PostgreSQL password stays out of it (give
    /// the full address in SKEIN_STORE).
    var commandLine: String {
        switch self {
        case .sqlite: description
        case .postgres(let address): address.password == nil ? description : "\"$SKEIN_STORE\""
        }
    }
}

extension LinkSource {
    /// What a job lists, for `job status`.
    var summary: String {
        switch self {
        case .api(let base, _, let sources, _, _, _):
            (sources.count <= 3 ? sources.map(\.description).joined(separator: ", ") : "\(sources.count) sources") + " at \(base)"
        case .file(let path, _): (path as NSString).lastPathComponent
        }
    }
}
