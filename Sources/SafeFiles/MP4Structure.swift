/// The structural check of an MP4 (ISO base media file): the top-level boxes tile the file
/// exactly (a cut file ends inside a box), the first is `ftyp`, the index (`moov`) and the
/// frames (`mdat`) are both there, and a video track's header (`moov/trak/tkhd`) gives the
/// picture's size. A download cut short, or a server that never wrote the index (the `moov`
/// comes last in a file written without `faststart`, so a truncated one has none), fails here.
enum MP4Structure {
    private static let containers: Set<String> = ["moov", "trak"]

    static func check(_ b: UnsafeRawBufferPointer) throws(ImageStructure.Problem) -> (width: Int, height: Int) {
        var sawMoov = false, sawMdat = false
        var size: (width: Int, height: Int)?
        var first = true
        try walk(b, from: 0, to: b.count, depth: 0) { (type, content, depth) throws(ImageStructure.Problem) in
            if first, type != "ftyp" { throw .corrupt("the MP4's first box is \(printable(type)), not ftyp") }
            first = false
            // The index and the frames at the top, a track's header inside moov/trak.
            if type == "moov", depth == 0 { sawMoov = true }
            if type == "mdat", depth == 0 { sawMdat = true }
            if type == "tkhd", depth == 2, let found = trackSize(b, content), found.width > 0, found.height > 0 {
                // The largest video track (an audio track's header says 0 × 0).
                if size.map({ $0.width * $0.height < found.width * found.height }) ?? true { size = found }
            }
        }
        guard sawMoov else { throw .corrupt("the MP4 has no moov box (its index): it was cut short or never finished") }
        guard sawMdat else { throw .corrupt("the MP4 has no mdat box (its frames)") }
        guard let size else { throw .corrupt("the MP4 has no video track") }
        return size
    }

    /// Calls `visit` with each box's type and content range in `start..<end`, descending into
    /// `moov` and `trak`.
    private static func walk(_ b: UnsafeRawBufferPointer, from start: Int, to end: Int, depth: Int,
                             _ visit: (String, Range<Int>, Int) throws(ImageStructure.Problem) -> Void) throws(ImageStructure.Problem) {
        var i = start
        while i < end {
            guard i + 8 <= end else { throw .corrupt("the MP4 ends inside a box header: it was cut short") }
            var length = be(b, i, 4)
            let type = String(decoding: UnsafeRawBufferPointer(rebasing: b[(i + 4)..<(i + 8)]), as: UTF8.self)
            var header = 8
            if length == 1 {
                guard i + 16 <= end else { throw .corrupt("the MP4 ends inside a box header: it was cut short") }
                length = be(b, i + 8, 8)
                header = 16
            } else if length == 0 {
                length = end - i // "to the end of the file"
            }
            guard length >= header, length <= end - i else {
                throw .corrupt("the MP4's \(printable(type)) box runs past the end of \(depth == 0 ? "the file" : "its parent"): it was cut short")
            }
            try visit(type, (i + header)..<(i + length), depth)
            if depth < 4, containers.contains(type) {
                try walk(b, from: i + header, to: i + length, depth: depth + 1, visit)
            }
            i += length
        }
    }

    /// A track header's width and height (16.16 fixed point, at the end of the box).
    private static func trackSize(_ b: UnsafeRawBufferPointer, _ content: Range<Int>) -> (width: Int, height: Int)? {
        guard let version = content.isEmpty ? nil : b[content.lowerBound] else { return nil }
        let offset = content.lowerBound + (version == 1 ? 88 : 76)
        guard offset + 8 <= content.upperBound else { return nil }
        return (be(b, offset, 4) >> 16, be(b, offset + 4, 4) >> 16)
    }

    private static func be(_ b: UnsafeRawBufferPointer, _ at: Int, _ count: Int) -> Int {
        var value = 0
        // A 64-bit size past Int.max comes out negative, and fails every bound.
        for k in 0..<count { value = value << 8 | Int(b[at + k]) }
        return value
    }

    private static func printable(_ type: String) -> String {
        type.unicodeScalars.allSatisfy { $0.isASCII && $0.value >= 32 && $0.value < 127 } ? type : "unreadable"
    }
}
