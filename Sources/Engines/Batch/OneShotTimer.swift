import Basics
import Dispatch

/// Runs a handler once after a delay, unless cancelled first: the one timer behind every
/// deadline and grace period of the engines and the process pool. Cancelling is idempotent
/// and safe from any thread; a cancelled timer's handler never runs.
///
/// `@unchecked Sendable`: the only state is the dispatch source, whose `cancel()` is
/// thread-safe; it is configured once, in `init`, before the timer is shared.
final class OneShotTimer: @unchecked Sendable {
    private let source: any DispatchSourceTimer

    /// Starts the timer; `handler` runs on a global queue after `delay`.
    init(after delay: Duration, _ handler: @escaping @Sendable () -> Void) {
        let source = DispatchSource.makeTimerSource(queue: .global())
        source.schedule(deadline: .now() + delay.dispatchInterval)
        source.setEventHandler(handler: handler)
        source.resume()
        self.source = source
    }

    func cancel() { source.cancel() }

    deinit { source.cancel() }
}
