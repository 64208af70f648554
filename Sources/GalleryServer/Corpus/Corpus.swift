import Dispatch
import Foundation
import NIOCore
import Basics

/// The embedded gallery's content: generated images, grouped into gallery entries (single
/// images and albums), with a deterministic order for every section/sort/window.
package struct Corpus: Sendable {
    package let spec: CorpusSpec
    package let images: [CorpusImage]
    package let entries: [GalleryEntry]
    private let imageIndex: [String: Int]
    private let albumIndex: [String: Int]
    /// Total bytes of all images.
    package let totalBytes: Int
    /// Seconds it took to generate.
    package let generationSeconds: Double
    /// Tags, subreddits, users, their favorites, and search.
    package let catalogue: Catalogue

    /// Imgur's "removed" placeholder, served at `/removed.png`.
    package let removedPNG: ByteBuffer

    /// Generates the corpus, painting images on all cores.
    /// - Throws: when libvips fails.
    package static func generate(_ spec: CorpusSpec) throws -> Corpus {
        let clock = ContinuousClock()
        let start = clock.now
        var random = SeededRandom(seed: spec.seed, stream: "corpus")
        var ids = Set<String>()
        func newID(_ length: Int) -> String {
            let alphabet = Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
            while true {
                let id = String((0..<length).map { _ in alphabet.randomElement(using: &random)! })
                if ids.insert(id).inserted { return id }
            }
        }

        // Plan every image first (cheap, sequential, deterministic), then paint in parallel.
        struct Plan: Sendable { var id: String; var kind: CorpusImage.Kind; var width: Int; var height: Int; var frames: Int; var seed: UInt64; var typeless: Bool }
        let aspects: [Double] = [3.0 / 4, 2.0 / 3, 9.0 / 16, 1, 4.0 / 5, 3.0 / 2, 4.0 / 3]
        var plans: [Plan] = []
        for _ in 0..<spec.items {
            let roll = Double.random(in: 0..<1, using: &random)
            let kind: CorpusImage.Kind = roll < spec.gifShare ? .gif : roll < spec.gifShare + spec.pngShare ? .png : .jpeg
            let widths = kind == .jpeg ? spec.jpegWidths : kind == .png ? spec.pngWidths : spec.gifWidths
            // Skewed towards the lower middle, as real uploads are.
            let t = pow(Double.random(in: 0...1, using: &random), 2.2)
            let width = widths.lowerBound + Int(Double(widths.upperBound - widths.lowerBound) * t)
            let aspect = aspects.randomElement(using: &random)!
            let height = max(16, Int(Double(width) * aspect))
            let animated = kind == .gif && Bool.random(using: &random)
            plans.append(Plan(id: newID(7), kind: kind, width: width, height: height,
                              frames: animated ? Int.random(in: 3...6, using: &random) : 1,
                              seed: random.next(), typeless: Double.random(in: 0..<1, using: &random) < 0.05))
        }
        let painted = Locked([[UInt8]?](repeating: nil, count: plans.count))
        let allPlans = plans
        let failure = Locked<(any Error)?>(nil)
        DispatchQueue.concurrentPerform(iterations: plans.count) { index in
            let plan = allPlans[index]
            var imageRandom = SeededRandom(seed: plan.seed)
            do {
                let bytes = try ImageSynthesizer.make(kind: plan.kind, width: plan.width, height: plan.height,
                                                      frames: plan.frames, random: &imageRandom)
                painted.withLock { $0[index] = bytes }
            } catch {
                failure.withLock { $0 = error }
            }
        }
        if let error = failure.withLock({ $0 }) { throw error }
        let allBytes = painted.withLock { $0 }
        let epoch = 1_700_000_000
        let titles = ["Sunset over the ridge", "My cat found the box", "Fog in the valley", "Harbour at dawn",
                      "Old town, new light", "Autumn colours", "Storm coming in", "Desert road", "Snow day",
                      "Garden after rain", "Night market", "Lake reflections"]
        var images: [CorpusImage] = []
        for (index, plan) in plans.enumerated() {
            images.append(CorpusImage(id: plan.id, kind: plan.kind, animated: plan.frames > 1,
                                      width: plan.width, height: plan.height,
                                      title: titles[index % titles.count] + " #\(index + 1)",
                                      datetime: epoch - index * 97, typeless: plan.typeless,
                                      bytes: ByteBuffer(bytes: allBytes[index]!)))
        }

        if spec.videos {
            try addVideos(to: &images, id: newID(7), datetime: epoch - images.count * 97)
            // A title that tests every writer of JSON and file names.
            if images.count > 3 { images[3].title = "Quote \" back\\slash\nnew line\u{01} ünïcödé 🐈 </script> ../../etc/passwd" }
        }

        // Group into entries: mostly single images, some albums of 2-5.
        var entries: [GalleryEntry] = []
        var next = 0
        while next < images.count {
            let remaining = images.count - next
            if remaining >= 2, Double.random(in: 0..<1, using: &random) < spec.albumShare {
                let count = min(remaining, Int.random(in: 2...5, using: &random))
                entries.append(.album(id: newID(5), title: "Album: " + titles[next % titles.count],
                                      images: Array(next..<(next + count)),
                                      embedsImages: Bool.random(using: &random)))
                next += count
            } else {
                entries.append(.image(next))
                next += 1
            }
        }
        return Corpus(spec: spec, images: images, entries: entries,
                      seconds: (clock.now - start).seconds, removedPNG: try removedPlaceholder())
    }

    /// Gives the animated GIFs their mp4 (the first one's is "not made yet"), and adds the GIF
    /// over 20 MB with its preview and mp4. Without FFmpeg there are no mp4s (a line says so).
    private static func addVideos(to images: inout [CorpusImage], id: String, datetime: Int) throws {
        let big = VideoMaker.largeGIF(width: 640, height: 480, frames: 64)
        images.append(CorpusImage(id: id, kind: .gif, animated: true, width: 640, height: 480,
                                  title: "A GIF over 20 MB", datetime: datetime, typeless: false,
                                  bytes: ByteBuffer(bytes: big),
                                  preview: ByteBuffer(bytes: VideoMaker.largeGIF(width: 160, height: 120, frames: 8))))
        let animated = images.indices.filter { images[$0].animated }
        guard VideoMaker.ffmpeg != nil else {
            FileHandle.standardError.write(Data("gallery: ffmpeg is not installed: animated items are served without their mp4\n".utf8))
            return
        }
        if let first = animated.first, animated.count > 1 { images[first].videoPending = true }
        let made = Locked([Int: [UInt8]]())
        let failure = Locked<(any Error)?>(nil)
        let toMake = animated.filter { !images[$0].videoPending }
        let sources = toMake.map { Array(images[$0].bytes.readableBytesView) }
        DispatchQueue.concurrentPerform(iterations: toMake.count) { k in
            do {
                let video = try VideoMaker.mp4(ofGIF: sources[k])
                made.withLock { $0[toMake[k]] = video }
            } catch {
                failure.withLock { $0 = error }
            }
        }
        if let error = failure.withLock({ $0 }) { throw error }
        for (index, video) in made.withLock({ $0 }) { images[index].video = ByteBuffer(bytes: video) }
    }

    init(spec: CorpusSpec, images: [CorpusImage], entries: [GalleryEntry], seconds: Double, removedPNG: ByteBuffer) {
        self.spec = spec
        self.images = images
        self.entries = entries
        self.generationSeconds = seconds
        self.removedPNG = removedPNG
        var imageIndex: [String: Int] = [:]
        for (index, image) in images.enumerated() { imageIndex[image.id] = index }
        self.imageIndex = imageIndex
        var albumIndex: [String: Int] = [:]
        for (index, entry) in entries.enumerated() {
            if case .album(let id, _, _, _) = entry { albumIndex[id] = index }
        }
        self.albumIndex = albumIndex
        self.totalBytes = images.reduce(0) { $0 + $1.bytes.readableBytes + ($1.video?.readableBytes ?? 0) }
        self.catalogue = Catalogue(images: images, entries: entries)
    }

    package func image(id: String) -> CorpusImage? { imageIndex[id].map { images[$0] } }
    package func image(fileName: String) -> CorpusImage? {
        guard let dot = fileName.lastIndex(of: ".") else { return nil }
        let id = String(fileName[..<dot])
        guard let image = image(id: id), image.fileName == fileName else { return nil }
        return image
    }

    /// The bytes and type served at `fileName`: an image, an mp4, or a large GIF's preview.
    package func media(fileName: String) -> (bytes: ByteBuffer, type: String)? {
        if let image = image(fileName: fileName) { return (image.bytes, image.kind.mimeType) }
        guard let dot = fileName.lastIndex(of: ".") else { return nil }
        let stem = String(fileName[..<dot])
        if let image = image(id: stem), let video = image.video, image.videoFileName == fileName { return (video, "video/mp4") }
        if stem.hasSuffix("h"), let image = image(id: String(stem.dropLast())), let preview = image.preview,
           image.previewFileName == fileName {
            return (preview, "image/gif")
        }
        return nil
    }

    /// What the catalogue says of an album.
    package func albumMeta(id: String) -> Catalogue.Meta? { albumIndex[id].map { catalogue.meta[$0] } }

    /// What the catalogue says of the entry an image belongs to.
    package func meta(ofImage id: String) -> Catalogue.Meta? {
        imageIndex[id].flatMap { catalogue.entryOfImage[$0] }.map { catalogue.meta[$0] }
    }

    /// The index of the entry that is this gallery post: an album, or an image on its own.
    package func postIndex(id: String) -> Int? {
        if let album = albumIndex[id] { return album }
        guard let image = imageIndex[id], let entry = catalogue.entryOfImage[image], case .image = entries[entry] else { return nil }
        return entry
    }

    package func album(id: String) -> GalleryEntry? { albumIndex[id].map { entries[$0] } }

    /// The entries in the order a listing shows them (deterministic per listing name).
    package func ordered(for listing: String) -> [GalleryEntry] {
        orderedIndices(for: listing).map { entries[$0] }
    }

    /// The entries' indexes in the order a listing shows them.
    package func orderedIndices(for listing: String) -> [Int] {
        var random = SeededRandom(seed: spec.seed, stream: "order:" + listing)
        return Array(entries.indices).shuffled(using: &random)
    }

    /// Entries per listing page (Imgur shows about 60).
    package static let pageSize = 60

    /// One page of a listing; empty past the end.
    package func page(_ page: Int, of listing: String, size: Int = Corpus.pageSize) -> ArraySlice<GalleryEntry> {
        Self.page(page, of: ordered(for: listing), size: size)
    }

    /// One page of `all`; empty past the end.
    package static func page<T>(_ page: Int, of all: [T], size: Int) -> ArraySlice<T> {
        let size = max(1, size)
        guard page >= 0, page < Int.max / size, page * size < all.count else { return [] }
        return all[(page * size)..<min(all.count, page * size + size)]
    }

    /// A small grey PNG like the one Imgur redirects deleted images to.
    private static func removedPlaceholder() throws -> ByteBuffer {
        var random = SeededRandom(seed: 0)
        return ByteBuffer(bytes: try ImageSynthesizer.make(kind: .png, width: 161, height: 81, frames: 1, random: &random))
    }
}

/// Generated corpora, kept for the life of the process so that tests and repeated runs
/// generate each spec once.
package enum CorpusCache {
    private static let cache = Locked<[CorpusSpec: Corpus]>([:])
    private static let generation = NSLock()

    /// The corpus of `spec`: from memory, else from `diskCache` (a folder), else generated
    /// (and then saved to `diskCache`).
    package static func corpus(for spec: CorpusSpec, diskCache: String? = nil) throws -> Corpus {
        if let corpus = cache.withLock({ $0[spec] }) { return corpus }
        generation.lock()
        defer { generation.unlock() }
        if let corpus = cache.withLock({ $0[spec] }) { return corpus }
        let corpus: Corpus
        if let diskCache, let stored = CorpusStore(folder: diskCache).load(spec) {
            corpus = stored
        } else {
            corpus = try Corpus.generate(spec)
            if let diskCache { CorpusStore(folder: diskCache).save(corpus) }
        }
        cache.withLock { $0[spec] = corpus }
        return corpus
    }
}
