import ArgumentParser
import Foundation
import Jobs
import Pipeline

/// `skein job`: durable jobs in a store that any number of workers share.
struct JobCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "job",
        abstract: "Durable jobs: list once, then fetch from any number of processes on any number of machines.",
        discussion: """
            A job's items are stored in shards in a store: sqlite:PATH (the default, \
            sqlite:skein-jobs.db; several processes on one machine) or \
            postgres://USER[:PASSWORD]@HOST[:PORT]/DB (many machines), from --store or \
            SKEIN_STORE. Workers claim a shard with a lease, record each item as it completes and \
            renew the lease; a worker that is killed or stalls loses its shard to the others. \
            Example: skein job create cats --store sqlite:jobs.db https://imgur.com/t/cats; \
            skein job work cats --store sqlite:jobs.db --out cats (on as many machines as you like).
            """,
        subcommands: [JobCreateCommand.self, JobWorkCommand.self, JobStatusCommand.self, JobRetryCommand.self,
                      JobListCommand.self, JobDeleteCommand.self]
    )
}

/// `--store`, the same for every job command.
struct StoreOptions: ParsableArguments {
    @Option(help: ArgumentHelp("The job store: sqlite:PATH or postgres://USER[:PASSWORD]@HOST[:PORT]/DB (else SKEIN_STORE, else sqlite:skein-jobs.db).",
                               valueName: "store"))
    var store: String?

    func validate() throws {
        do throws(JobStoreError) { _ = try StoreAddress.resolve(store) } catch { throw ValidationError(error.message) }
    }

    /// The store, opened and migrated; a failure is one line and exit 2.
    func open() async throws -> JobStore {
        do throws(JobStoreError) {
            return try await JobStore.open(try StoreAddress.resolve(store))
        } catch {
            throw StoreFailure.exit(error)
        }
    }

    /// Opens the store, runs `body` with it and closes it however `body` ends; a store error
    /// is one line and its exit code.
    func withStore<T>(_ body: (JobStore) async throws(JobStoreError) -> T) async throws -> T {
        let store = try await open()
        do throws(JobStoreError) {
            let value = try await body(store)
            await store.close()
            return value
        } catch {
            await store.close()
            throw StoreFailure.exit(error)
        }
    }
}

/// A store error as a line on stderr and an exit code: 2 for what the user can fix (the
/// address, a job name), 1 for the store failing under a run.
enum StoreFailure {
    static func exit(_ error: JobStoreError) -> ExitCode {
        Console.error("error: \(error.message)")
        switch error.code {
        case .badAddress, .noSuchJob, .jobExists, .schema, .unavailable: return ExitCode(.usage)
        case .query, .leaseLost: return ExitCode(.someFailed)
        }
    }
}

/// A job's name: what `job work`, `status` and the others name it by.
enum JobName {
    static func validate(_ name: String) throws {
        guard !name.isEmpty, name.count <= 200, name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "-_.".contains($0)) }),
              name.contains(where: { $0 != "." }) else {
            throw ValidationError("a job name is 1 to 200 ASCII letters, digits, '-', '_' or '.', not only dots (not '\(name.prefix(40))')")
        }
    }
}
