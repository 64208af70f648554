import Basics

/// Reads a listing page by page until it has enough links, expanding albums as it goes.
package struct LinkCollector: Sendable {
    package let client: ImgurClient
    package var extractor: LinkExtractor
    /// Pages read at most, however few links they give.
    package var maxPages = 10_000
    /// Pages in a row that add no new link before the listing is taken to be over (a server
    /// that answers every page with the same items).
    package var maxBarrenPages = 3
    /// Albums fetched at once.
    package var albumConcurrency = 8

    package init(client: ImgurClient, extractor: LinkExtractor) {
        self.client = client
        self.extractor = extractor
    }

    /// The links found, what was skipped and why, and what it took.
    package struct Collection: Sendable {
        package var links: [ImageLink] = []
        package var skipped: [SkippedItem] = []
        package var requests = 0
        package var pages = 0
        package var rateLimit: RateLimitStatus?
    }

    /// Collects up to `limit` links from `selection`.
    /// - Throws: `ImgurError` when the listing itself can't be read. An album that can't be
    ///   fetched is skipped with its reason instead.
    package func collect(_ selection: GallerySelection, limit: Int) async throws(ImgurError) -> Collection {
        let links = Locked<[ImageLink]>([])
        var collection = try await collect(selection, limit: limit) { link in
            links.withLock { $0.append(link) }
            return true
        }
        collection.links = links.withLock { $0 }
        return collection
    }

    /// Collects up to `limit` links from `selection`, handing each to `emit` as it is found
    /// (the collection's `links` stay empty): the downloads start with the first page, and a
    /// listing of any length takes no memory. `emit` returning false ends the listing after
    /// the page at hand.
    package func collect(_ selection: GallerySelection, limit: Int,
                         emit: (ImageLink) async -> Bool) async throws(ImgurError) -> Collection {
        var collection = Collection()
        // Links seen, by hash: 8 bytes a link, however long the listing.
        var seen = HashSeen()
        var emitted = 0
        var open = true
        // Items seen for the first time (links, or items skipped for a reason of their own).
        var fresh = 0
        func add(_ yield: LinkExtractor.Yield) async {
            collection.skipped += yield.skipped
            fresh += yield.skipped.count
            for link in yield.links {
                if !seen.insert(link.url) {
                    collection.skipped.append(SkippedItem(item: "image \(link.id ?? link.url)", cause: .duplicate, reason: "duplicate of a link already listed"))
                } else if emitted >= limit {
                    fresh += 1
                    collection.skipped.append(SkippedItem(item: "image \(link.id ?? link.url)", cause: .overLimit, reason: "listed after --limit \(limit) links"))
                } else {
                    // Once `emit` says stop, the rest of this page still goes to it (each link
                    // gets its item), but no more pages are read.
                    fresh += 1
                    emitted += 1
                    open = await emit(link) && open
                }
            }
        }

        if case .album(let id) = selection {
            guard LinkExtractor.isPlainID(id) else {
                throw ImgurError(.badRequest, request: "album", "album id \"\(id.prefix(80))\" is not a plain Imgur id (letters and digits)")
            }
            let answer = try await client.get(selection.path(page: 0), as: LossyList<ImgurItem>.self)
            collection.requests += 1
            collection.pages = 1
            collection.rateLimit = answer.rateLimit ?? collection.rateLimit
            collection.skipped += answer.value.rejected.map { SkippedItem(item: "album \(id)", cause: .malformed, reason: $0) }
            await add(extractor.extract(answer.value.elements, source: "album \(id)"))
            return collection
        }

        var page = 0
        var barren = 0
        while emitted < limit, open, page < maxPages, barren < maxBarrenPages {
            fresh = 0
            let path = selection.path(page: page)
            let answer = try await client.get(path, as: LossyList<ImgurItem>.self)
            collection.requests += 1
            collection.pages += 1
            collection.rateLimit = answer.rateLimit ?? collection.rateLimit
            let items = answer.value
            collection.skipped += items.rejected.map { SkippedItem(item: "\(selection) page \(page)", cause: .malformed, reason: $0) }
            if items.elements.isEmpty { break }
            let yield = extractor.extract(items.elements, source: "\(selection) page \(page)")
            await add(yield)
            if !yield.albumsToFetch.isEmpty, emitted < limit, open {
                for (album, result) in await fetchAlbums(yield.albumsToFetch) {
                    collection.requests += 1
                    switch result {
                    case .success(let answer):
                        collection.rateLimit = answer.rateLimit ?? collection.rateLimit
                        await add(extractor.extract(answer.value.elements, source: "album \(album)"))
                    case .failure(let error):
                        collection.skipped.append(SkippedItem(item: "album \(album)", cause: .albumUnavailable, reason: "cannot fetch its images: \(error.message)"))
                    }
                }
            }
            page += 1
            barren = fresh == 0 ? barren + 1 : 0
        }
        return collection
    }

    /// Fetches albums' images, a few at a time, in the order given.
    private func fetchAlbums(_ ids: [String]) async -> [(String, Result<ImgurClient.Answer<LossyList<ImgurItem>>, ImgurError>)] {
        var results = [Result<ImgurClient.Answer<LossyList<ImgurItem>>, ImgurError>?](repeating: nil, count: ids.count)
        await withTaskGroup(of: (Int, Result<ImgurClient.Answer<LossyList<ImgurItem>>, ImgurError>).self) { group in
            var next = 0
            func start() {
                guard next < ids.count else { return }
                let index = next
                next += 1
                group.addTask {
                    do throws(ImgurError) {
                        return (index, .success(try await client.get(GallerySelection.album(id: ids[index]).path(page: 0), as: LossyList<ImgurItem>.self)))
                    } catch {
                        return (index, .failure(error))
                    }
                }
            }
            for _ in 0..<albumConcurrency { start() }
            while let (index, result) = await group.next() {
                results[index] = result
                start()
            }
        }
        return zip(ids, results.map { $0! }).map { ($0, $1) }
    }
}
