import Engines

extension WorkerRegistry {
    /// Every job kind Skein's worker processes can run.
    package static var skein: WorkerRegistry {
        var registry = WorkerRegistry.standard
        registry.register(DownloadWorkload.self)
        registry.register(ThumbnailWorkload.self)
        return registry
    }
}
