import Foundation

/// A real PostgreSQL server for a test or a benchmark: `initdb` in a temporary folder, started with `pg_ctl`
/// on a free loopback port with its socket in that folder, password authentication, and
/// removed at the end. PostgreSQL refuses to run as root, so as root it runs as the
/// `postgres` user (`runuser`). The binaries come from Debian's `postgresql` package
/// (`/usr/lib/postgresql/N/bin`), which `make test` installs when it is missing.
package final class PostgresServer: Sendable {
    package let folder: String
    package let port: Int
    package let password: String
    private let bin: String
    private let asPostgres: Bool
    /// The address it listens on.
    package let host: String
    /// Put before the command that starts the server (`ip netns exec NS`: the server in a
    /// network namespace of its own).
    private let prefix: [String]

    package struct Unavailable: Error, CustomStringConvertible {
        package var description: String
    }

    /// `postgres://skein:PASSWORD@HOST:PORT/postgres`.
    package var url: String { "postgres://skein:\(password)@\(host):\(port)/postgres" }

    private init(folder: String, port: Int, password: String, bin: String, asPostgres: Bool, host: String, prefix: [String]) {
        self.host = host
        self.prefix = prefix
        self.folder = folder
        self.port = port
        self.password = password
        self.bin = bin
        self.asPostgres = asPostgres
    }

    /// Runs `body` with a fresh server, stopped and removed afterwards.
    package static func with<T>(host: String = "127.0.0.1", prefix: [String] = [], _ body: (PostgresServer) async throws -> T) async throws -> T {
        let server = try start(host: host, prefix: prefix)
        defer { server.remove() }
        return try await body(server)
    }

    static func start(host: String, prefix: [String]) throws -> PostgresServer {
        guard let bin = binaries() else {
            throw Unavailable(description: "PostgreSQL's server is not installed (apt-get install postgresql; make test does it)")
        }
        let folder = NSTemporaryDirectory() + "skein-pg-\(getpid())-\(UInt32.random(in: 0 ... .max))"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let asPostgres = geteuid() == 0
        let password = "pw" + String(UInt64.random(in: 0 ... .max), radix: 36)
        try password.write(toFile: folder + "/pw", atomically: true, encoding: .utf8)
        if asPostgres {
            try shell("/usr/bin/chown", ["-R", "postgres:postgres", folder])
        }
        let server = PostgresServer(folder: folder, port: freePort(), password: password, bin: bin, asPostgres: asPostgres, host: host, prefix: prefix)
        try server.run("initdb", ["-D", folder + "/data", "-U", "skein", "--pwfile=" + folder + "/pw", "-A", "scram-sha-256",
                                  "-E", "UTF8", "--locale=C", "--no-sync"])
        if host != "127.0.0.1" {
            // Clients on other hosts (network namespaces) log in with the password too.
            let hba = folder + "/data/pg_hba.conf"
            let rule = "host all all 0.0.0.0/0 scram-sha-256\n"
            guard let handle = FileHandle(forWritingAtPath: hba) else { throw Unavailable(description: "cannot open \(hba)") }
            handle.seekToEndOfFile()
            handle.write(Data(rule.utf8))
            try? handle.close()
        }
        try server.startServer()
        return server
    }

    /// Starts the server (again, after `stop`).
    package func startServer() throws {
        try run("pg_ctl", ["-D", folder + "/data", "-l", folder + "/log", "-w", "-t", "60", "-o",
                           "-p \(port) -k \(folder) -c listen_addresses=\(host) -c fsync=off -c max_connections=50", "start"], prefix: prefix)
    }

    /// Stops the server (fast: connections are cut, as in a restart).
    package func stop() throws {
        try run("pg_ctl", ["-D", folder + "/data", "-m", "fast", "-w", "stop"])
    }

    private func remove() {
        try? run("pg_ctl", ["-D", folder + "/data", "-m", "immediate", "-w", "stop"])
        try? FileManager.default.removeItem(atPath: folder)
    }

    private func run(_ tool: String, _ arguments: [String], prefix: [String] = []) throws {
        var command = asPostgres ? ["/usr/sbin/runuser", "-u", "postgres", "--", bin + "/" + tool] + arguments : [bin + "/" + tool] + arguments
        command = prefix + command
        try Self.shell(command[0], Array(command.dropFirst()))
    }

    /// Runs a tool to its end with posix_spawn and waitpid, its output in a file: pg_ctl
    /// leaves a server running that must hold no pipe of ours, and the reaping is ours too.
    private static func shell(_ tool: String, _ arguments: [String]) throws {
        let log = NSTemporaryDirectory() + "skein-pg-cmd-\(getpid())-\(UInt32.random(in: 0 ... .max)).log"
        defer { unlink(log) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, log, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        let argv = ([tool] + arguments).map { strdup($0) } + [nil]
        defer { for arg in argv { free(arg) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, tool, &actions, nil, argv, environ)
        guard spawned == 0 else { throw Unavailable(description: "cannot run \(tool): \(String(cString: strerror(spawned)))") }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0, errno == EINTR {}
        let exited = (status & 0x7f) == 0, code = (status >> 8) & 0xff
        guard exited, code == 0 else {
            let output = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
            throw Unavailable(description: "\((tool as NSString).lastPathComponent) \(arguments.prefix(4).joined(separator: " ")) failed (status \(status)): "
                + String(output.suffix(600)))
        }
    }

    /// The newest `/usr/lib/postgresql/N/bin` with `initdb` and `pg_ctl`.
    private static func binaries() -> String? {
        let root = "/usr/lib/postgresql"
        let versions = ((try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []).compactMap(Int.init).sorted(by: >)
        for version in versions where FileManager.default.isExecutableFile(atPath: "\(root)/\(version)/bin/initdb") {
            return "\(root)/\(version)/bin"
        }
        return nil
    }

    /// A port nothing listens on now (bound to 0, read, closed).
    private static func freePort() -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) } }
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
