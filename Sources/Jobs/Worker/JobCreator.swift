import ImgurAPI
import Pipeline

/// `job create`: the listing, done once, stored as shards of items. Shards are written as the
/// listing goes (a million links are never all in memory); an item the job holds already (by
/// Imgur id, else URL) is left out, so `--append` after an interrupted create takes up where
/// it stopped.
package struct JobCreator: Sendable {
    package struct Created: Sendable {
        package var items = 0
        package var shards = 0
        /// Links the job held already.
        package var alreadyInJob = 0
        package var listing: LinkSource.Listing
    }

    package let store: JobStore
    package let definition: JobDefinition

    package init(store: JobStore, definition: JobDefinition) {
        self.store = store
        self.definition = definition
    }

    /// - Throws: `JobCreator.Failure`: the store's error, or the listing's.
    package func create(from source: LinkSource, append: Bool) async throws(Failure) -> Created {
        let isNew: Bool
        do throws(JobStoreError) { isNew = try await store.create(definition, append: append) } catch { throw .store(error) }
        var batch: [ImageLink] = []
        var created = Created(listing: LinkSource.Listing(description: ""))
        var storeError: JobStoreError?
        let shardSize = definition.shardSize
        func flush() async {
            guard !batch.isEmpty, storeError == nil else { return }
            do throws(JobStoreError) {
                let added = try await store.addShard(job: definition.name, links: batch)
                created.items += added
                created.alreadyInJob += batch.count - added
                if added > 0 { created.shards += 1 }
            } catch {
                storeError = error
            }
            batch.removeAll(keepingCapacity: true)
        }
        do throws(PipelineError) {
            created.listing = try await source.list { link in
                batch.append(link)
                if batch.count >= shardSize { await flush() }
                return storeError == nil
            }
        } catch {
            // A job this call made and could fill with nothing is not left behind; one with
            // items keeps them, and `--append` goes on from there.
            if isNew, created.items == 0 { _ = try? await store.delete(definition.name) }
            throw .listing(error, kept: created.items)
        }
        await flush()
        if let storeError { throw .store(storeError) }
        return created
    }

    package enum Failure: Error, Sendable {
        case store(JobStoreError)
        /// The listing failed; the job keeps the items stored before it did.
        case listing(PipelineError, kept: Int)
    }
}
