import Dispatch

extension DispatchSemaphore {
    /// A semaphore holding `count` permits that may be disposed of whatever its count then:
    /// libdispatch traps when a semaphore dies with a value below its initial one, so this
    /// starts at zero and adds the permits.
    static func permits(_ count: Int) -> DispatchSemaphore {
        let semaphore = DispatchSemaphore(value: 0)
        for _ in 0..<count { semaphore.signal() }
        return semaphore
    }
}
