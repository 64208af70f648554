import Basics

/// Reads sources through the API until they are over or there are enough links: page by page
/// for listings (to the first empty page), one request for an album, post or image, expanding
/// albums listed without their images as it goes.
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

    /// What the sources gave besides their links, and what it took.
    package struct Collection: Sendable {
        package var links: [ImageLink] = []
        package var skipped: [SkippedItem] = []
        package var requests = 0
        package var pages = 0
        package var rateLimit: RateLimitStatus?
    }

    /// The items already listed, across every source of a run: by Imgur id when the item has
    /// one (an item reached through a tag and a user is the same item, whatever file of it is
    /// chosen), else by URL. 8 bytes an item, however long the listing.
    package struct Seen: Sendable {
        var hashes = HashSeen()
        package init() {}

        /// False when `link` was seen already.
        mutating func insert(_ link: ImageLink) -> Bool {
            if let id = link.id, LinkExtractor.isPlainID(id) { return hashes.insert("id:" + id) }
            return hashes.insert("url:" + link.url)
        }
    }

    /// Collects up to `limit` links from `source`.
    /// - Throws: `ImgurError` when the source itself can't be read. An album that can't be
    ///   fetched is skipped with its reason instead.
    package func collect(_ source: ImgurSource, limit: Int) async throws(ImgurError) -> Collection {
        let links = Locked<[ImageLink]>([])
        var seen = Seen()
        var emitted = 0
        var collection = try await collect(source, limit: limit, seen: &seen, emitted: &emitted) { link in
            links.withLock { $0.append(link) }
            return true
        }
        collection.links = links.withLock { $0 }
        return collection
    }

    /// Collects links from `source` until `emitted` reaches `limit`, handing each new one to
    /// `emit` as it is found (the collection's `links` stay empty): the downloads start with
    /// the first page, and a listing of any length takes no memory. `seen` and `emitted` carry
    /// over from one source to the next, so an item two sources reach is listed once and the
    /// limit holds for all of them. `emit` returning false ends the listing after the page at
    /// hand.
    package func collect(_ source: ImgurSource, limit: Int, seen: inout Seen, emitted: inout Int,
                         emit: (ImageLink) async -> Bool) async throws(ImgurError) -> Collection {
        var collection = Collection()
        var open = true
        // Items seen for the first time (links, or items skipped for a reason of their own).
        var fresh = 0
        func add(_ yield: LinkExtractor.Yield) async {
            collection.skipped += yield.skipped
            fresh += yield.skipped.count
            for link in yield.links {
                let item = "image \(link.id ?? link.url)"
                if !seen.insert(link) {
                    collection.skipped.append(SkippedItem(item: item, cause: .duplicate, reason: "listed already: the same Imgur item or link"))
                } else if emitted >= limit {
                    fresh += 1
                    collection.skipped.append(SkippedItem(item: item, cause: .overLimit, reason: "listed after --limit \(limit) links"))
                } else {
                    // Once `emit` says stop, the rest of this page still goes to it (each link
                    // gets its item), but no more pages are read.
                    fresh += 1
                    emitted += 1
                    open = await emit(link) && open
                }
            }
        }
        /// Adds what `items` yield, fetching the albums listed without their images.
        func take(_ items: [ImgurItem], from origin: String) async {
            let yield = extractor.extract(items, source: origin)
            await add(yield)
            guard !yield.albumsToFetch.isEmpty, emitted < limit, open else { return }
            for (album, result) in await fetchAlbums(yield.albumsToFetch) {
                collection.requests += 1
                switch result {
                case .success(let answer):
                    collection.rateLimit = answer.rateLimit ?? collection.rateLimit
                    collection.skipped += answer.value.rejected.map { SkippedItem(item: "album \(album)", cause: .malformed, reason: $0) }
                    await add(extractor.extract(answer.value.elements, source: "album \(album)"))
                case .failure(let error):
                    collection.skipped.append(SkippedItem(item: "album \(album)", cause: .albumUnavailable, reason: "cannot fetch its images: \(error.message)"))
                }
            }
        }

        if source.shape == .single {
            guard emitted < limit else { return collection }
            let answer = try await client.get(source.path(page: 0), as: ImgurItem.self)
            collection.requests += 1
            collection.pages = 1
            collection.rateLimit = answer.rateLimit
            await take([answer.value], from: "\(source)")
            return collection
        }

        var page = 0
        var barren = 0
        while emitted < limit, open, page < maxPages, barren < maxBarrenPages {
            fresh = 0
            let path = source.path(page: page)
            let items: LossyList<ImgurItem>
            if source.shape == .taggedPages {
                let answer = try await client.get(path, as: TagPage.self)
                collection.rateLimit = answer.rateLimit ?? collection.rateLimit
                items = answer.value.items
            } else {
                let answer = try await client.get(path, as: LossyList<ImgurItem>.self)
                collection.rateLimit = answer.rateLimit ?? collection.rateLimit
                items = answer.value
            }
            collection.requests += 1
            collection.pages += 1
            collection.skipped += items.rejected.map { SkippedItem(item: "\(source) page \(page)", cause: .malformed, reason: $0) }
            if items.elements.isEmpty { break }
            await take(items.elements, from: "\(source) page \(page)")
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
                        return (index, .success(try await client.get(ImgurSource.albumImagesPath(ids[index]), as: LossyList<ImgurItem>.self)))
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
