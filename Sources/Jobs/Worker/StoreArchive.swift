import Basics
import Pipeline

/// `--archive STORE`: the download archive kept in a job store's `skein_archive` table, so
/// it is shared by every run, folder and machine that names the same store.
package final class StoreArchive: DownloadArchive {
    private let store: JobStore
    private let pending = Locked<[(key: String, file: String)]>([])
    /// Keys found in the archive.
    private let found = Locked<Int>(0)

    package init(store: JobStore) { self.store = store }

    /// A store that fails to answer knows nothing: those items are downloaded (again).
    package func known(_ keys: [String]) async -> Set<String> {
        let known = (try? await store.archived(keys)) ?? []
        found.withLock { $0 += known.count }
        return known
    }

    package func add(_ key: String, file: String) {
        pending.withLock { $0.append((key, file)) }
    }

    package func flush() async -> String? {
        let batch = pending.withLock { pending in
            defer { pending.removeAll() }
            return pending
        }
        do throws(JobStoreError) {
            try await store.archive(batch)
            return nil
        } catch {
            // Kept for the next flush: an archive that missed some keys only costs a download.
            pending.withLock { $0 += batch }
            return "cannot write \(batch.count) keys to the archive \(store.address): \(error.message)"
        }
    }

    /// Closes the store (what `add` noted and no `flush` wrote is lost).
    package func close() async { await store.close() }

    /// Items skipped because the archive had them.
    package var skipped: Int { found.withLock { $0 } }
}
