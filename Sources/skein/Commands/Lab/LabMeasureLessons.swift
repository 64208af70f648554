import ArgumentParser
import ConcurrencyLab
import Engines
import Foundation
import Basics

struct LabGIL: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "gil",
        abstract: "A CPU-bound loop on 1 thread vs 2 threads: Swift scales, CPython's GIL doesn't.")
    @Option(help: "Iterations of the loop in Swift (CPython does 1/100 of them).")
    var iterations = 400_000_000

    func validate() throws { try Validate.range(iterations, "--iterations", 100...100_000_000_000) }

    func run() {
        let swift = GILLesson.swift(iterations: iterations)
        var rows = [swift]
        if let python = GILLesson.python(iterations: iterations / 100) { rows.append(python) }
        print("language".left(16) + " " + "1 thread".right(12) + " " + "2 threads×same".right(14) + " " + "speedup".right(10))
        for row in rows {
            print(String(format: "%@ %10.2f s %12.2f s %9.2fx", row.language.left(16), row.oneThread, row.twoThreads, row.speedup))
        }
        if rows.count == 1 { print("(python3 not found: no CPython comparison)") }
        print("Two threads did twice the work: 2.00x means they ran in parallel; 1.00x means one at a time.")
    }
}

struct LabProcessQueue: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "process-queue",
        abstract: "Four child processes each take one item from a queue that crosses process boundaries.")
    @Option(help: .hidden) var child: Int?
    @Option(help: .hidden) var lock: String?

    func run() throws {
        if let child, let lock { throw ExitCode(ProcessQueueLesson.child(number: child, lockPath: lock)) }
        let exits = try ProcessQueueLesson.parent(executable: ProcessPoolConfiguration().resolvedExecutablePath,
                                                  childArguments: { ["lab", "process-queue", "--child", String($0), "--lock", $1] })
        if exits.contains(where: { !$0.isSuccess }) { throw ExitCode(1) }
    }
}

struct LabSpawn: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "spawn",
        abstract: "Create and join a thread vs a process, and the memory each adds, beside the classic table.")
    @Flag(help: .hidden) var childExit = false
    @Flag(help: .hidden) var childEcho = false

    func run() async throws {
        if childExit { return }
        if childEcho {
            var byte: UInt8 = 0
            while read(0, &byte, 1) == 1 { _ = write(1, &byte, 1) }
            return
        }
        let measured = try await SpawnLesson.measure(executable: ProcessPoolConfiguration().resolvedExecutablePath,
                                                     exitChild: ["lab", "spawn", "--child-exit"],
                                                     echoChild: ["lab", "spawn", "--child-echo"])
        let race = RaceLesson.run(threads: 2, iterations: 1_000_000)
        for line in SpawnLesson.table(measured, raceLost: race.lost) { print(line) }
    }
}
