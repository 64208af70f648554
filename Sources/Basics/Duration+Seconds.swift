import Dispatch

extension Duration {
    /// This duration in seconds.
    package var seconds: Double {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }

    /// This duration for Dispatch (never negative).
    package var dispatchInterval: DispatchTimeInterval {
        .nanoseconds(Int(clamping: max(0, components.seconds * 1_000_000_000 + components.attoseconds / 1_000_000_000)))
    }

}
