import Foundation
import GalleryServer
import Jobs
import SkeinTesting
import Testing

/// The job store and `skein job` on SQLite, one machine: claims, exactly-once results, the
/// archive, retries, and the store's addresses.
@Suite("Jobs on SQLite", .serialized)
struct JobStoreTests {
    @Test("store addresses: sqlite:PATH, postgres:// and postgresql://, the password masked; anything else refused without repeating it")
    func addresses() throws {
        #expect(try StoreAddress.parse("sqlite:jobs.db") == .sqlite(path: "jobs.db"))
        let postgres = try StoreAddress.parse("postgresql://me:s%40cret@db.example:6543/skein")
        guard case .postgres(let address) = postgres else { Issue.record("not postgres"); return }
        #expect(address.user == "me" && address.password == "s@cret" && address.host == "db.example" && address.port == 6543 && address.database == "skein")
        #expect(postgres.description == "postgres://me:***@db.example:6543/skein")
        #expect(!postgres.description.contains("cret"))
        #expect(try StoreAddress.parse("postgres://me@[::1]/db").description == "postgres://me@[::1]:5432/db")
        for bad in ["mysql://u:hunter2@h/db", "postgres://u:hunter2@h", "postgres://hunter2", "sqlite:", "postgres://u:hunter2@h:99999/db"] {
            do {
                _ = try StoreAddress.parse(bad)
                Issue.record("accepted \(bad)")
            } catch {
                #expect(error.code == .badAddress)
                #expect(!error.message.contains("hunter2"), "the refusal repeats the password: \(error.message)")
            }
        }
        #expect(try StoreAddress.resolve(nil, environment: ["SKEIN_STORE": "sqlite:/tmp/x.db"]) == .sqlite(path: "/tmp/x.db"))
        #expect(try StoreAddress.resolve(nil, environment: [:]) == .sqlite(path: "skein-jobs.db"))
    }

    @Test("a PostgreSQL store nobody answers at: one line with the cause, the password masked, exit 2, after the first connection's patience (not the 120 s a lost one gets)")
    func unreachableStore() async throws {
        // A port nothing listens on: a server's, once it has stopped.
        let port = try await TestGallery.with { url, _ in url }.split(separator: ":").last.map(String.init) ?? "1"
        let run = try await JobRig.skein(["job", "list", "--store", "postgres://skein:hunter2@127.0.0.1:\(port)/jobs"])
        #expect(run.status == 2)
        #expect(run.stderr == "error: cannot reach the store postgres://skein:***@127.0.0.1:\(port)/jobs: Connection refused (gave up after 10 s)\n",
                "\(run.stderr)")
        #expect(!(run.stdout + run.stderr).contains("hunter2"))
    }

    @Test("two worker processes share one SQLite store and one folder: every item exactly once, never 'database is locked'")
    func twoWorkers() async throws {
        try await TemporaryFolder.with("skein-jobs") { folder in
            try await TestGallery.with(items: 40, options: ServerOptions(latency: .milliseconds(20))) { url, server in
                let store = "sqlite:\(folder)/jobs.db"
                let created = try await JobRig.create("pair", store: store, gallery: url, shardSize: 4)
                #expect(created.status == 0, "\(created.stderr)")
                let items = try await JobRig.status("pair", store: store).items.total
                #expect(items >= 30)
                let workers = try (0..<2).map { _ in try JobRig.Worker("pair", store: store, out: folder + "/out") }
                var runs: [SkeinExecutable.Run] = []
                for worker in workers { runs.append(await worker.finish()) }
                for run in runs {
                    #expect(run.status == 0, "\(run.stdout)\(run.stderr)")
                    #expect(!(run.stdout + run.stderr).contains("locked"))
                }
                // Both took part (shards are small and many).
                #expect(runs.allSatisfy { $0.stderr.contains("shard ") })
                let status = try await JobRig.status("pair", store: store)
                JobRig.expectExactlyOnce(status, items: items, folder: folder + "/out", server: server)
                #expect(status.workers.isEmpty, "workers that left still show as live")
            }
        }
    }

    @Test("Ctrl-C: the worker releases its shard (ready again at once, what it recorded kept) and exits 130")
    func interrupted() async throws {
        try await TemporaryFolder.with("skein-jobs") { folder in
            try await TestGallery.with(items: 20, options: ServerOptions(latency: .milliseconds(300))) { url, server in
                let store = "sqlite:\(folder)/jobs.db"
                #expect(try await JobRig.create("i", store: store, gallery: url, shardSize: 20).status == 0)
                let items = try await JobRig.status("i", store: store).items.total
                let worker = try JobRig.Worker("i", store: store, out: folder + "/out", extra: ["--fetch-workers", "1"])
                let midway = try await JobRig.waitFor("i", store: store) { $0.items.done >= 1 }
                #expect(midway.items.done >= 1 && midway.shards.leased == 1)
                kill(worker.pid, SIGINT)
                let run = await worker.finish()
                #expect(run.status == 130, "\(run.stdout)\(run.stderr)")
                #expect(run.stdout.contains("the shard was released"))
                let after = try await JobRig.status("i", store: store)
                #expect(after.shards.leased == 0 && after.shards.ready == 1 && after.shards.failed == 0)
                #expect(after.items.done >= midway.items.done && after.items.pending > 0 && after.items.failed == 0)
                // The next worker takes only the rest, at once (no backoff for a release).
                let rest = await (try JobRig.Worker("i", store: store, out: folder + "/out")).finish()
                #expect(rest.status == 0, "\(rest.stderr)")
                #expect(rest.stderr.contains("\(after.items.pending) of \(items) items to fetch"), "\(rest.stderr)")
                JobRig.expectExactlyOnce(try await JobRig.status("i", store: store), items: items, folder: folder + "/out", server: server)
            }
        }
    }

    @Test("a shard past --max-attempts lost leases fails with its cause (exit 1); job retry --cause brings it back and the job completes")
    func maxAttempts() async throws {
        try await TemporaryFolder.with("skein-jobs") { folder in
            try await TestGallery.with(items: 20, options: ServerOptions(latency: .milliseconds(300))) { url, server in
                let store = "sqlite:\(folder)/jobs.db"
                #expect(try await JobRig.create("m", store: store, gallery: url, shardSize: 10, extra: ["--max-attempts", "1"]).status == 0)
                let items = try await JobRig.status("m", store: store).items.total
                let victim = try JobRig.Worker("m", store: store, out: folder + "/out", lease: 1, extra: ["--fetch-workers", "1"])
                _ = try await JobRig.waitFor("m", store: store) { $0.shards.leased == 1 }
                kill(victim.pid, SIGKILL)
                _ = await victim.finish()
                try await Task.sleep(for: .seconds(1.5)) // the lease runs out
                let next = await (try JobRig.Worker("m", store: store, out: folder + "/out", lease: 1)).finish()
                #expect(next.status == 1, "\(next.stdout)\(next.stderr)")
                let failed = try await JobRig.status("m", store: store)
                #expect(failed.shards.failed == 1 && failed.shards.failedByCause["lease-expired"] == 1, "\(failed.shards)")
                #expect(failed.items.pending > 0)
                let retry = try await JobRig.skein(["job", "retry", "m", "--store", store, "--cause", "lease-expired"])
                #expect(retry.stdout.contains("and 1 shard ready again"), "\(retry.stdout)")
                let last = await (try JobRig.Worker("m", store: store, out: folder + "/out")).finish()
                #expect(last.status == 0, "\(last.stdout)\(last.stderr)")
                JobRig.expectExactlyOnce(try await JobRig.status("m", store: store), items: items, folder: folder + "/out", server: server)
            }
        }
    }

    @Test("job create refuses an existing job unless --append, which adds only what it lacks; list and delete")
    func createAppendListDelete() async throws {
        try await TemporaryFolder.with("skein-jobs") { folder in
            try await TestGallery.with(items: 20) { url, _ in
                let store = "sqlite:\(folder)/jobs.db"
                let first = try await JobRig.create("j", store: store, gallery: url, shardSize: 5)
                #expect(first.status == 0)
                let total = try await JobRig.status("j", store: store).items.total
                let again = try await JobRig.create("j", store: store, gallery: url, shardSize: 5)
                #expect(again.status == 2)
                #expect(again.stderr.contains("exists"))
                let appended = try await JobRig.create("j", store: store, gallery: url, shardSize: 5, extra: ["--append"])
                #expect(appended.status == 0, "\(appended.stderr)")
                #expect(appended.stdout.contains("0 items") && appended.stdout.contains("\(total) the job held already"), "\(appended.stdout)")
                #expect(try await JobRig.status("j", store: store).items.total == total)
                let list = try await JobRig.skein(["job", "list", "--store", store])
                #expect(list.stdout.hasPrefix("j: \(total) items, 0 done"), "\(list.stdout)")
                #expect(try await JobRig.skein(["job", "delete", "j", "--store", store]).status == 0)
                let gone = try await JobRig.skein(["job", "status", "j", "--store", store])
                #expect(gone.status == 2 && gone.stderr.contains("no job 'j'"))
            }
        }
    }

    @Test("failed items are recorded with their cause, exit 1; job retry brings exactly those back")
    func failuresAndRetry() async throws {
        try await TemporaryFolder.with("skein-jobs") { folder in
            var options = ServerOptions()
            options.faults.removedRate = 0.3
            options.faults.seed = 3
            try await TestGallery.with(items: 30, options: options) { url, _ in
                let store = "sqlite:\(folder)/jobs.db"
                #expect(try await JobRig.create("f", store: store, gallery: url, shardSize: 6).status == 0)
                let run = await (try JobRig.Worker("f", store: store, out: folder + "/out")).finish()
                #expect(run.status == 1, "\(run.stdout)\(run.stderr)")
                let status = try await JobRig.status("f", store: store)
                #expect(status.items.failed > 0 && status.items.done > 0)
                #expect(status.items.done + status.items.failed == status.items.total)
                #expect(status.shards.done == status.shards.total)
                #expect(JobRig.files(in: folder + "/out").count == status.items.done)
                let retry = try await JobRig.skein(["job", "retry", "f", "--store", store])
                #expect(retry.stdout.contains("\(status.items.failed) failed item"), "\(retry.stdout)")
                let after = try await JobRig.status("f", store: store)
                #expect(after.items.pending == status.items.failed && after.items.failed == 0 && after.items.done == status.items.done)
                #expect(after.shards.ready > 0)
            }
        }
    }

    @Test("fetch --archive: a second fetch into another folder skips exactly what the first downloaded, and says so")
    func archive() async throws {
        try await TemporaryFolder.with("skein-jobs") { folder in
            try await JobRig.expectArchiveSkips(store: "sqlite:\(folder)/archive.db", folder: folder)
        }
    }
}
