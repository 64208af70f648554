import Foundation

/// Separate "hosts" on one machine for a test: a network namespace each, joined by a bridge in
/// the test's own namespace (which gets the address `gateway`), with `tc netem` delaying every
/// packet a host sends. Needs root and `ip`/`tc` (iproute2); `available` says whether this
/// machine allows it, so a test can skip with a clear message where it can't.
package final class NetworkLab: @unchecked Sendable {
    package let hosts: [String]
    private let tag: String
    private let subnet: Int

    /// Whether network namespaces can be made here (tried once: one is added and deleted).
    package static let available: Bool = {
        guard geteuid() == 0, FileManager.default.isExecutableFile(atPath: "/usr/sbin/ip") || FileManager.default.isExecutableFile(atPath: "/sbin/ip") else {
            return false
        }
        let probe = "skein-probe-\(getpid())"
        guard (try? run(["netns", "add", probe])) != nil else { return false }
        _ = try? run(["netns", "del", probe])
        return true
    }()

    package init(hosts: [String], delayMilliseconds: Int) throws {
        self.hosts = hosts
        tag = "sk\(getpid() % 100_000)"
        subnet = Int(getpid() % 200) + 20
        // What was made before a step failed is removed: nothing outlives the test.
        do { try build(delayMilliseconds) } catch {
            remove()
            throw error
        }
    }

    private func build(_ delayMilliseconds: Int) throws {
        try Self.run(["link", "add", bridge, "type", "bridge"])
        try Self.run(["addr", "add", "\(gateway)/24", "dev", bridge])
        try Self.run(["link", "set", bridge, "up"])
        for (index, host) in hosts.enumerated() {
            let ns = namespace(host), outside = "\(tag)o\(index)", inside = "\(tag)i\(index)"
            try Self.run(["netns", "add", ns])
            try Self.run(["link", "add", outside, "type", "veth", "peer", "name", inside])
            try Self.run(["link", "set", inside, "netns", ns])
            try Self.run(["link", "set", outside, "master", bridge, "up"])
            try Self.run(["-n", ns, "addr", "add", "\(address(of: host))/24", "dev", inside])
            try Self.run(["-n", ns, "link", "set", inside, "up"])
            try Self.run(["-n", ns, "link", "set", "lo", "up"])
            // netem is a kernel module some kernels lack: the hosts are still separate without it.
            if (try? Self.tc(["-n", ns, "qdisc", "add", "dev", inside, "root", "netem", "delay", "\(delayMilliseconds)ms"])) == nil {
                delayed = false
            }
        }
    }

    /// Whether every host's packets are delayed (false where the kernel has no netem).
    package private(set) var delayed = true

    /// The bridge's address in the test's namespace: what the hosts reach the test's servers at.
    package var gateway: String { "10.77.\(subnet).254" }

    package func address(of host: String) -> String {
        "10.77.\(subnet).\((hosts.firstIndex(of: host) ?? 0) + 1)"
    }

    /// The command line prefix that runs a program on `host`.
    package func prefix(_ host: String) -> [String] { [Self.ip, "netns", "exec", namespace(host)] }

    /// Removes the namespaces (their veth ends go with them) and the bridge.
    package func remove() {
        for host in hosts { _ = try? Self.run(["netns", "del", namespace(host)]) }
        _ = try? Self.run(["link", "del", bridge])
    }

    private var bridge: String { "\(tag)br" }
    private func namespace(_ host: String) -> String { "\(tag)-\(host)" }

    private static var ip: String { FileManager.default.isExecutableFile(atPath: "/usr/sbin/ip") ? "/usr/sbin/ip" : "/sbin/ip" }

    @discardableResult
    private static func run(_ arguments: [String]) throws -> String { try launch(ip, arguments) }

    private static func tc(_ arguments: [String]) throws {
        try launch(FileManager.default.isExecutableFile(atPath: "/usr/sbin/tc") ? "/usr/sbin/tc" : "/sbin/tc", arguments)
    }

    package struct Failure: Error, CustomStringConvertible {
        package var description: String
    }

    @discardableResult
    private static func launch(_ tool: String, _ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = arguments
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("skein-netlab-\(UUID().uuidString)")
        _ = FileManager.default.createFile(atPath: output.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: output) }
        let handle = try FileHandle(forWritingTo: output)
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        process.waitUntilExit()
        try? handle.close()
        let text = (try? String(contentsOf: output, encoding: .utf8)) ?? ""
        guard process.terminationStatus == 0 else {
            throw Failure(description: "\((tool as NSString).lastPathComponent) \(arguments.joined(separator: " ")): \(text.prefix(300))")
        }
        return text
    }
}
