import Basics
import Foundation

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
    /// API credits to keep: listing stops before the `X-RateLimit-*Remaining` the API reports
    /// would go under this (exhausting a client's daily limit five times a month blocks the
    /// app). nil: no budget.
    package var keepCredits: Int?

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
        /// Listing stopped to keep `keepCredits`: the sources after it are not listed either.
        package var stoppedForCredits = false
        package init() {}
    }

    /// Whether `cost` more requests fit the budget the last answer reported; if not, the stop
    /// is recorded in `collection`, saying what was got and how to resume.
    private func withinBudget(_ cost: Int, _ collection: inout Collection, at what: String, emitted: Int) -> Bool {
        guard let keep = keepCredits, let status = collection.rateLimit else { return true }
        let left = [status.clientRemaining, status.userRemaining].compactMap { $0 }.min()
        guard let left, left - cost < keep else { return true }
        let when = status.userRemaining == left ? status.userReset.map(Self.clock).map { "after \($0) UTC" } ?? "later" : "tomorrow"
        collection.stoppedForCredits = true
        collection.skipped.append(SkippedItem(item: what, cause: .creditBudget,
            reason: "listing stopped with \(left) API credits left (--keep-credits \(keep)) after \(emitted) links; "
                + "run the same command again \(when): the listing starts over (a credit a page), the files in the folder are not fetched again"))
        return false
    }

    /// `14:05` of an epoch time, UTC.
    static func clock(_ epoch: Int) -> String {
        let seconds = ((epoch % 86_400) + 86_400) % 86_400
        return String(format: "%02d:%02d", seconds / 3600, seconds / 60 % 60)
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
        var collection = Collection()
        try await collect(source, limit: limit, seen: &seen, emitted: &emitted, into: &collection) { link in
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
    /// hand. What was gathered is in `collection` even when a later page fails.
    package func collect(_ source: ImgurSource, limit: Int, seen: inout Seen, emitted: inout Int, into collection: inout Collection,
                         emit: (ImageLink) async -> Bool) async throws(ImgurError) {
        var open = true
        func add(_ yield: LinkExtractor.Yield) async {
            collection.skipped += yield.skipped
            for var link in yield.links {
                let item = "image \(link.id ?? link.url)"
                if !seen.insert(link) {
                    collection.skipped.append(SkippedItem(item: item, cause: .duplicate, reason: "listed already: the same Imgur item or link"))
                } else if emitted >= limit {
                    collection.skipped.append(SkippedItem(item: item, cause: .overLimit, reason: "listed after --limit \(limit) links"))
                } else {
                    // Once `emit` says stop, the rest of this page still goes to it (each link
                    // gets its item), but no more pages are read.
                    emitted += 1
                    // Outside an album, an item's index is its place in the listing.
                    if link.metadata != nil, link.metadata?.index == nil { link.metadata?.index = emitted }
                    open = await emit(link) && open
                }
            }
        }
        /// Adds what `items` yield, fetching the albums listed without their images.
        func take(_ items: [ImgurItem], from origin: String) async {
            let yield = extractor.extract(items, source: origin)
            await add(yield)
            guard !yield.albumsToFetch.isEmpty else { return }
            guard emitted < limit, open, withinBudget(yield.albumsToFetch.count, &collection, at: "\(source)", emitted: emitted) else {
                collection.skipped += yield.albumsToFetch.map { album in
                    SkippedItem(item: "album \(album.id)", cause: collection.stoppedForCredits ? .creditBudget : .overLimit,
                                reason: collection.stoppedForCredits ? "not fetched: API credits kept (--keep-credits)"
                                    : open ? "listed after --limit \(limit) links" : "listed after the run stopped")
                }
                return
            }
            for (album, result) in zip(yield.albumsToFetch, await fetchAlbums(yield.albumsToFetch.map(\.id))) {
                collection.requests += 1
                switch result.1 {
                case .success(let answer):
                    collection.rateLimit = answer.rateLimit ?? collection.rateLimit
                    collection.skipped += answer.value.rejected.map { SkippedItem(item: "album \(album.id)", cause: .malformed, reason: $0) }
                    if answer.value.elements.isEmpty, answer.value.rejected.isEmpty {
                        collection.skipped.append(SkippedItem(item: "album \(album.id)", cause: .emptyAlbum, reason: "the album holds no image"))
                    }
                    await add(extractor.extract(answer.value.elements, source: "album \(album.id)", album: album))
                case .failure(let error):
                    collection.skipped.append(SkippedItem(item: "album \(album.id)", cause: .albumUnavailable, reason: "cannot fetch its images: \(error.message)"))
                }
            }
        }

        if source.shape == .single {
            guard withinBudget(1, &collection, at: "\(source)", emitted: emitted) else { return }
            let answer = try await client.get(source.path(page: 0), as: ImgurItem.self)
            collection.requests += 1
            collection.pages += 1
            collection.rateLimit = answer.rateLimit ?? collection.rateLimit
            await take([answer.value], from: "\(source)")
            return
        }

        // The items of this source seen on its pages, by id: a page holding none that is new
        // is barren (a server answering every page alike), whatever other sources listed.
        var pageItems = HashSeen()
        var page = 0
        var barren = 0
        while emitted < limit, open, withinBudget(1, &collection, at: "\(source) page \(page)", emitted: emitted) {
            guard page < maxPages else {
                collection.skipped.append(SkippedItem(item: "\(source)", cause: .listingCut, reason: "stopped after \(maxPages) pages"))
                break
            }
            guard barren < maxBarrenPages else {
                collection.skipped.append(SkippedItem(item: "\(source)", cause: .listingCut,
                                                      reason: "stopped at page \(page): \(maxBarrenPages) pages in a row held nothing new"))
                break
            }
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
            // The first empty page ends the listing; a page of nothing but broken elements doesn't.
            if items.elements.isEmpty, items.rejected.isEmpty { break }
            let fresh = items.elements.reduce(0) { $0 + (pageItems.insert($1.id) ? 1 : 0) }
            await take(items.elements, from: "\(source) page \(page)")
            page += 1
            barren = fresh == 0 ? barren + 1 : 0
        }
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
