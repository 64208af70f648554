import Foundation
import GalleryServer
import Jobs
import SkeinTesting
import Bench
import Testing

/// Jobs on a real PostgreSQL server started by the test: several workers, a worker killed, a
/// worker stopped past its lease, the server restarted mid-run, one pause for all (held and written). Each ends
/// with every item exactly once, byte-identical to what the gallery served, and a consistent
/// `job status`; the password is never printed.
@Suite("Jobs on PostgreSQL", .serialized)
struct JobsPostgresTests {
    @Test("1, 2 and 4 worker processes: every item exactly once")
    func widths() async throws {
        try await PostgresServer.with { pg in
            try await TemporaryFolder.with("skein-jobs") { folder in
                try await TestGallery.with(items: 40, options: ServerOptions(latency: .milliseconds(10))) { url, server in
                    for width in [1, 2, 4] {
                        let name = "w\(width)"
                        let created = try await JobRig.create(name, store: pg.url, gallery: url, shardSize: 3)
                        #expect(created.status == 0, "\(created.stderr)")
                        Self.expectNoPassword(created, pg)
                        let items = try await JobRig.status(name, store: pg.url).items.total
                        let workers = try (0..<width).map { _ in try JobRig.Worker(name, store: pg.url, out: folder + "/\(name)") }
                        for worker in workers {
                            let run = await worker.finish()
                            #expect(run.status == 0, "\(run.stdout)\(run.stderr)")
                            Self.expectNoPassword(run, pg)
                        }
                        JobRig.expectExactlyOnce(try await JobRig.status(name, store: pg.url), items: items, folder: folder + "/\(name)", server: server)
                    }
                }
            }
        }
    }

    @Test("fetch --archive on PostgreSQL: the second fetch skips exactly what the first downloaded")
    func archive() async throws {
        try await PostgresServer.with { pg in
            try await TemporaryFolder.with("skein-jobs") { folder in
                try await JobRig.expectArchiveSkips(store: pg.url, folder: folder)
            }
        }
    }

    @Test("a worker SIGKILLed mid-shard: its shard is rescued when the lease runs out, and only what it hadn't recorded is fetched again")
    func killed() async throws {
        try await PostgresServer.with { pg in
            try await TemporaryFolder.with("skein-jobs") { folder in
                try await TestGallery.with(items: 30, options: ServerOptions(latency: .milliseconds(300))) { url, server in
                    #expect(try await JobRig.create("k", store: pg.url, gallery: url, shardSize: 10).status == 0)
                    let items = try await JobRig.status("k", store: pg.url).items.total
                    // One download at a time: about 3 a second, written once a second.
                    let victim = try JobRig.Worker("k", store: pg.url, out: folder + "/out", lease: 2, extra: ["--fetch-workers", "1"])
                    // Killed once it has recorded part of its first shard.
                    let midway = try await JobRig.waitFor("k", store: pg.url) { $0.items.done >= 1 }
                    #expect(midway.items.done >= 1 && midway.items.done < 10, "\(midway.items)")
                    kill(victim.pid, SIGKILL)
                    _ = await victim.finish()
                    let heir = try JobRig.Worker("k", store: pg.url, out: folder + "/out", lease: 2)
                    let run = await heir.finish()
                    #expect(run.status == 0, "\(run.stdout)\(run.stderr)")
                    // The rescued shard came back with attempt 2 and fewer items than it holds.
                    let rescued = run.stderr.split(separator: "\n").filter { $0.contains("(attempt 2)") }
                    #expect(!rescued.isEmpty, "\(run.stderr)")
                    #expect(rescued.allSatisfy { !$0.contains(" 10 of 10 ") }, "\(rescued)")
                    JobRig.expectExactlyOnce(try await JobRig.status("k", store: pg.url), items: items, folder: folder + "/out", server: server)
                }
            }
        }
    }

    @Test("a worker SIGSTOPped past its lease loses the shard; after SIGCONT its writes are refused, it notices and moves on")
    func stopped() async throws {
        try await PostgresServer.with { pg in
            try await TemporaryFolder.with("skein-jobs") { folder in
                // One shard of 30 items, 2 at a time, 300 ms each: about 4.5 s, so the stop lands
                // mid-shard however slow the machine is (results show after the first flush, 1 s in).
                try await TestGallery.with(items: 30, options: ServerOptions(latency: .milliseconds(300))) { url, server in
                    #expect(try await JobRig.create("s", store: pg.url, gallery: url, shardSize: 30).status == 0)
                    let items = try await JobRig.status("s", store: pg.url).items.total
                    let sleeper = try JobRig.Worker("s", store: pg.url, out: folder + "/out", lease: 2, extra: ["--fetch-workers", "2"])
                    _ = try await JobRig.waitFor("s", store: pg.url) { $0.items.done >= 2 }
                    kill(sleeper.pid, SIGSTOP)
                    let other = try JobRig.Worker("s", store: pg.url, out: folder + "/out", lease: 2)
                    let run = await other.finish()
                    #expect(run.status == 0, "\(run.stdout)\(run.stderr)")
                    let done = try await JobRig.status("s", store: pg.url)
                    #expect(done.items.done == items)
                    kill(sleeper.pid, SIGCONT)
                    let woke = await sleeper.finish()
                    #expect(woke.stderr.contains("lost the lease of shard"), "\(woke.stderr)")
                    #expect(woke.status == 0, "\(woke.stdout)\(woke.stderr)")
                    JobRig.expectExactlyOnce(try await JobRig.status("s", store: pg.url), items: items, folder: folder + "/out", server: server)
                }
            }
        }
    }

    @Test("PostgreSQL restarted mid-run: the worker reconnects with backoff and goes on")
    func restarted() async throws {
        try await PostgresServer.with { pg in
            try await TemporaryFolder.with("skein-jobs") { folder in
                try await TestGallery.with(items: 30, options: ServerOptions(latency: .milliseconds(100))) { url, server in
                    #expect(try await JobRig.create("r", store: pg.url, gallery: url, shardSize: 5).status == 0)
                    let items = try await JobRig.status("r", store: pg.url).items.total
                    let worker = try JobRig.Worker("r", store: pg.url, out: folder + "/out", extra: ["--fetch-workers", "2"])
                    _ = try await JobRig.waitFor("r", store: pg.url) { $0.items.done >= 3 }
                    try pg.stop()
                    try await Task.sleep(for: .seconds(2))
                    try pg.startServer()
                    let run = await worker.finish()
                    #expect(run.status == 0, "\(run.stdout)\(run.stderr)")
                    Self.expectNoPassword(run, pg)
                    JobRig.expectExactlyOnce(try await JobRig.status("r", store: pg.url), items: items, folder: folder + "/out", server: server)
                }
            }
        }
    }

    @Test("a pause in the store holds every worker of the job, none of them told 429 itself; a worker told 429 writes that pause for the rest")
    func sharedPause() async throws {
        try await PostgresServer.with { pg in
            try await TemporaryFolder.with("skein-jobs") { folder in
                // Held: two workers start under a pause another worker wrote; nothing is fetched until it ends.
                try await TestGallery.with(items: 20) { url, server in
                    #expect(try await JobRig.create("held", store: pg.url, gallery: url, shardSize: 5).status == 0)
                    let items = try await JobRig.status("held", store: pg.url).items.total
                    let store = try await JobStore.open(StoreAddress.parse(pg.url))
                    try await store.setPause("held", seconds: 6, reason: "a pause for the test")
                    await store.close()
                    let media = server.stats.mediaRequestCount
                    let workers = try (0..<2).map { _ in try JobRig.Worker("held", store: pg.url, out: folder + "/held") }
                    try await Task.sleep(for: .seconds(1.5))
                    let during = try await JobRig.status("held", store: pg.url)
                    #expect(during.items.done == 0 && server.stats.mediaRequestCount == media, "fetched during the pause: \(during.items)")
                    #expect(during.pauseReason == "a pause for the test")
                    for worker in workers {
                        let run = await worker.finish()
                        #expect(run.status == 0, "\(run.stdout)\(run.stderr)")
                        #expect(run.stderr.contains("paused by the job"), "\(run.stderr)")
                        #expect(run.stderr.contains("(a pause for the test)"), "\(run.stderr)")
                        #expect(!run.stderr.contains("rate limited"), "\(run.stderr)")
                    }
                    JobRig.expectExactlyOnce(try await JobRig.status("held", store: pg.url), items: items, folder: folder + "/held", server: server)
                }
                // Written: a worker told 429 by the server puts the pause in the store. A bucket of
                // two requests, refilled at two a second: a shard's five downloads start together,
                // so some get 429 however slowly the worker runs (under ThreadSanitizer, 15 a
                // second was never reached).
                var options = ServerOptions()
                options.faults.rateLimitPerSecond = 2
                try await TestGallery.with(items: 12, options: options) { url, server in
                    #expect(try await JobRig.create("p", store: pg.url, gallery: url, shardSize: 5).status == 0)
                    let items = try await JobRig.status("p", store: pg.url).items.total
                    let run = await (try JobRig.Worker("p", store: pg.url, out: folder + "/out")).finish()
                    #expect(run.status == 0, "\(run.stdout)\(run.stderr)")
                    #expect(server.stats.rateLimitedCount > 0)
                    #expect(run.stderr.contains("rate limited: every worker of job 'p' pauses"), "\(run.stderr)")
                    let store = try await JobStore.open(StoreAddress.parse(pg.url))
                    let written = try await store.lastPauseReason("p")
                    await store.close()
                    #expect(written == "a server answered 429 or over capacity")
                    JobRig.expectExactlyOnce(try await JobRig.status("p", store: pg.url), items: items, folder: folder + "/out", server: server)
                }
            }
        }
    }

    @Test("workers on two separate hosts (network namespaces; a 20 ms netem delay where the kernel has it) and the database on a third: every item exactly once",
          .enabled(if: NetworkLab.available, "skipped: this machine can't make network namespaces (needs root and iproute2's ip netns)"))
    func separateHosts() async throws {
        let lab = try NetworkLab(hosts: ["db", "h1", "h2"], delayMilliseconds: 20)
        defer { lab.remove() }
        if !lab.delayed { print("note: this kernel has no netem; the hosts run without the 20 ms delay") }
        try await PostgresServer.with(host: lab.address(of: "db"), prefix: lab.prefix("db")) { pg in
            try await TemporaryFolder.with("skein-jobs") { folder in
                try await TestGallery.with(items: 40, options: ServerOptions(host: lab.gateway)) { url, server in
                    let created = try await JobRig.create("hosts", store: pg.url, gallery: url, shardSize: 4)
                    try #require(created.status == 0, "\(created.stderr)")
                    let items = try await JobRig.status("hosts", store: pg.url).items.total
                    let workers = try ["h1", "h2"].map { host in
                        try JobRig.Worker("hosts", store: pg.url, out: folder + "/out", prefix: lab.prefix(host))
                    }
                    for worker in workers {
                        let run = await worker.finish()
                        #expect(run.status == 0, "\(run.stdout)\(run.stderr)")
                        #expect(run.stderr.contains("shard "), "a host took no shard: \(run.stderr)")
                    }
                    JobRig.expectExactlyOnce(try await JobRig.status("hosts", store: pg.url), items: items, folder: folder + "/out", server: server)
                }
            }
        }
    }

    private static func expectNoPassword(_ run: SkeinExecutable.Run, _ pg: PostgresServer, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(!(run.stdout + run.stderr).contains(pg.password), "the password was printed", sourceLocation: sourceLocation)
    }
}
