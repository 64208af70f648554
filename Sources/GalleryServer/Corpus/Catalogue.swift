/// Who posted what, under which tags and subreddits, and who favorited it: the embedded
/// gallery's answer to Imgur's tag, subreddit, user, favorites and search listings. Derived
/// from the corpus deterministically (entry by entry), so the same spec lists the same way.
package struct Catalogue: Sendable {
    package static let tags = ["cats", "landscape", "architecture", "funny", "food"]
    package static let subreddits = ["EarthPorn", "aww", "pics"]
    package static let users = ["alice", "bob", "carol", "dave"]

    /// What the listings say of one entry (an image, or an album and its images).
    package struct Meta: Sendable, Hashable {
        package var account: String
        package var tags: [String]
        /// Subreddit galleries list single images only.
        package var subreddit: String?
        package var nsfw: Bool
    }

    /// Per entry, in the corpus's order.
    package let meta: [Meta]
    /// The entry each image belongs to (itself, or its album).
    package let entryOfImage: [Int: Int]
    package let byTag: [String: [Int]]
    package let bySubreddit: [String: [Int]]
    package let byUser: [String: [Int]]
    package let favoritesOf: [String: [Int]]

    init(images: [CorpusImage], entries: [GalleryEntry]) {
        var meta: [Meta] = []
        var entryOfImage: [Int: Int] = [:]
        var byTag: [String: [Int]] = [:], bySubreddit: [String: [Int]] = [:], byUser: [String: [Int]] = [:]
        var favoritesOf: [String: [Int]] = [:]
        for (index, entry) in entries.enumerated() {
            let account = Self.users[index % Self.users.count]
            var tags = [Self.tags[index % Self.tags.count]]
            if index % 3 == 0 { tags.append(Self.tags[(index / Self.tags.count + 1 + index) % Self.tags.count]) }
            tags = Array(Set(tags)).sorted()
            var subreddit: String?
            switch entry {
            case .image(let image):
                entryOfImage[image] = index
                subreddit = Self.subreddits[index % Self.subreddits.count]
            case .album(_, _, let members, _):
                for member in members { entryOfImage[member] = index }
            }
            meta.append(Meta(account: account, tags: tags, subreddit: subreddit, nsfw: index % 11 == 5))
            byUser[account, default: []].append(index)
            for tag in tags { byTag[tag, default: []].append(index) }
            if let subreddit { bySubreddit[subreddit, default: []].append(index) }
            for (u, user) in Self.users.enumerated() where user != account && (index * 7 + u) % 5 == 0 {
                favoritesOf[user, default: []].append(index)
            }
        }
        self.meta = meta
        self.entryOfImage = entryOfImage
        self.byTag = byTag
        self.bySubreddit = bySubreddit
        self.byUser = byUser
        self.favoritesOf = favoritesOf
    }

    /// The entries whose title (or, for albums, an image's title) holds every word of `query`,
    /// case-insensitively, of the kind `type` names (Imgur's `q_type`: jpg, png, gif, anigif,
    /// album; nil for all).
    package func search(_ query: String, type: String?, images: [CorpusImage], entries: [GalleryEntry]) -> [Int] {
        let words = query.lowercased().split(whereSeparator: { $0 == " " || $0 == "+" }).map(String.init)
        guard !words.isEmpty else { return [] }
        return entries.indices.filter { index in
            let titles: [String]
            let kinds: [CorpusImage]
            let isAlbum: Bool
            switch entries[index] {
            case .image(let image):
                titles = [images[image].title]
                kinds = [images[image]]
                isAlbum = false
            case .album(_, let title, let members, _):
                titles = [title] + members.map { images[$0].title }
                kinds = members.map { images[$0] }
                isAlbum = true
            }
            let text = titles.joined(separator: " ").lowercased()
            guard words.allSatisfy({ text.contains($0) }) else { return false }
            switch type {
            case nil: return true
            case "album": return isAlbum
            case "anigif": return !isAlbum && kinds.contains { $0.animated }
            case "jpg": return !isAlbum && kinds.contains { $0.kind == .jpeg }
            case "png": return !isAlbum && kinds.contains { $0.kind == .png }
            case "gif": return !isAlbum && kinds.contains { $0.kind == .gif }
            default: return false
            }
        }
    }
}
