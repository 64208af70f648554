import Engines
import Foundation

/// `skein lab process-queue`: four real child processes, one queue across them; each child
/// takes one item: `Process-1 data received: wood` … `ocean`.
package enum ProcessQueueLesson {
    package static let items = ["wood", "sky", "cloud", "ocean"]

    /// The parent: puts the items, starts the children (copies of `executable` running
    /// `childArguments(number, lockPath)`, which the command line spells, with the queue's read
    /// end as descriptor 3), and joins them.
    /// - Returns: how each child ended.
    package static func parent(executable: String,
                               childArguments: (_ number: Int, _ lockPath: String) -> [String]) throws -> [ProcessExit] {
        let lockPath = NSTemporaryDirectory() + "skein-queue-\(getpid()).lock"
        defer { unlink(lockPath) }
        guard let queue = ProcessQueue.make(lockPath: lockPath) else {
            throw ProcessLauncher.Failure(description: "cannot create the queue: \(String(cString: strerror(errno)))")
        }
        defer { close(queue.readEnd); close(queue.writeEnd) }
        for item in items { _ = queue.put(item) }
        var children: [pid_t] = []
        for number in 1...items.count {
            children.append(try ProcessLauncher.spawn(
                executable: executable,
                arguments: childArguments(number, lockPath),
                descriptors: [0: 0, 1: 1, 2: 2, 3: queue.readEnd]))
        }
        return children.map { ProcessLauncher.wait($0) }
    }

    /// A child: takes one item and says so.
    package static func child(number: Int, lockPath: String) -> Int32 {
        guard let item = ProcessQueue.get(from: 3, lockPath: lockPath) else {
            FileHandle.standardError.write(Data("Process-\(number): the queue was empty\n".utf8))
            return 1
        }
        FileHandle.standardOutput.write(Data("Process-\(number) data received: \(item)\n".utf8))
        return 0
    }
}
