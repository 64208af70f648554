import Foundation

/// A task executor with threads of its own, for async code that must not wait behind threads
/// blocked in the global pool. On Linux the Swift runtime's global executor is libdispatch's
/// pool; work that blocks threads of it (the `gcd` and `operations` engines, a blocking bridge,
/// a synchronous wait in a test) can leave async code with no thread for seconds, until
/// libdispatch slowly adds some. Tasks that prefer this executor (`Task(executorPreference:)`,
/// `withTaskExecutorPreference`, and their child tasks) run here instead.
///
/// `@unchecked Sendable`: the queue is only touched under `condition`.
package final class ThreadExecutor: TaskExecutor, @unchecked Sendable {
    private let condition = NSCondition()
    private var jobs: [UnownedJob] = []
    private var head = 0

    /// Starts `threads` threads named `name-0`, `name-1`…; they live as long as the process.
    package init(name: String, threads: Int) {
        for index in 0..<max(1, threads) {
            let thread = Thread { [self] in work() }
            thread.name = "\(name)-\(index)"
            thread.start()
        }
    }

    package func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        condition.lock()
        jobs.append(job)
        condition.signal()
        condition.unlock()
    }

    private func work() {
        let executor = asUnownedTaskExecutor()
        while true {
            condition.lock()
            while head == jobs.count { condition.wait() }
            let job = jobs[head]
            head += 1
            if head == jobs.count {
                jobs.removeAll(keepingCapacity: true)
                head = 0
            }
            condition.unlock()
            job.runSynchronously(on: executor)
        }
    }
}
