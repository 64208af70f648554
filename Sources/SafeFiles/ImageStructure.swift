/// A cheap structural check of a whole image file, for the bytes a download kept: the header
/// parses, the dimensions are sane, and the file is complete (a JPEG reaches its EOI marker
/// after the image data, a PNG's chunks and their CRCs are whole up to `IEND`, a GIF's blocks
/// run to its trailer). A body that arrived whole but holds half an image, or a few KB that
/// declare 50,000 × 50,000 pixels, fail here before they get a final name. No pixel is decoded.
/// An MP4's boxes must tile the file exactly, with its `moov` (the index) and `mdat` (the
/// frames) both there (see `MP4Structure`).
package enum ImageStructure {
    /// Why a file failed the check.
    package enum Problem: Error, Equatable, CustomStringConvertible {
        /// Incomplete or malformed.
        case corrupt(String)
        /// More pixels than allowed.
        case tooManyPixels(width: Int, height: Int, limit: Int)

        package var description: String {
            switch self {
            case .corrupt(let why): "corrupt image: \(why)"
            case .tooManyPixels(let width, let height, let limit):
                "\(width) × \(height) is \(width * height) pixels, over the limit of \(limit) (--max-pixels)"
            }
        }
    }

    /// The image's width and height, if `bytes` are a complete `kind` file within `maxPixels`.
    @discardableResult
    package static func check(_ bytes: UnsafeRawBufferPointer, as kind: ImageKind, maxPixels: Int) throws(Problem) -> (width: Int, height: Int) {
        let size: (width: Int, height: Int)
        switch kind {
        case .jpeg: size = try jpeg(bytes)
        case .png: size = try png(bytes)
        case .gif: size = try gif(bytes)
        case .mp4: size = try MP4Structure.check(bytes)
        }
        guard size.width > 0, size.height > 0 else { throw .corrupt("its header says \(size.width) × \(size.height)") }
        guard size.width.multipliedReportingOverflow(by: size.height).partialValue <= maxPixels,
              size.width <= maxPixels, size.height <= maxPixels else {
            throw .tooManyPixels(width: size.width, height: size.height, limit: maxPixels)
        }
        return size
    }

    // MARK: JPEG

    private static func jpeg(_ b: UnsafeRawBufferPointer) throws(Problem) -> (width: Int, height: Int) {
        var i = 2 // after SOI
        var size: (width: Int, height: Int)?
        while true {
            guard i + 4 <= b.count else { throw .corrupt("the file ends inside its header") }
            // Junk before a marker (cameras and editors write it; libjpeg warns of
            // "extraneous bytes" and goes on): skipped, as libjpeg skips it.
            guard b[i] == 0xFF else { i += 1; continue }
            let marker = b[i + 1]
            if marker == 0xFF { i += 1; continue } // fill byte
            if marker == 0xD8 || (0xD0...0xD7).contains(marker) || marker == 0x01 { i += 2; continue }
            let length = Int(b[i + 2]) << 8 | Int(b[i + 3])
            guard length >= 2, i + 2 + length <= b.count else { throw .corrupt("the file ends inside a header segment") }
            if [0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF].contains(marker) {
                guard length >= 7 else { throw .corrupt("a frame header too short") }
                size = (Int(b[i + 7]) << 8 | Int(b[i + 8]), Int(b[i + 5]) << 8 | Int(b[i + 6]))
            }
            if marker == 0xDA { // start of scan: the entropy-coded data follows
                guard let size else { throw .corrupt("image data before any frame header") }
                // EOI can't occur inside entropy-coded data (an FF there is followed by 00 or
                // a restart marker), so the last FF D9 after the scan is the real end.
                var j = b.count - 2
                let start = i + 2 + length
                while j >= start, !(b[j] == 0xFF && b[j + 1] == 0xD9) { j -= 1 }
                guard j >= start else { throw .corrupt("the JPEG has no end marker (EOI): it was cut short") }
                return size
            }
            if marker == 0xD9 { throw .corrupt("the JPEG ends before its image data") }
            i += 2 + length
        }
    }

    // MARK: PNG

    private static func png(_ b: UnsafeRawBufferPointer) throws(Problem) -> (width: Int, height: Int) {
        func be32(_ at: Int) -> Int { Int(b[at]) << 24 | Int(b[at + 1]) << 16 | Int(b[at + 2]) << 8 | Int(b[at + 3]) }
        var i = 8
        var size: (width: Int, height: Int)?
        while true {
            guard i + 12 <= b.count else { throw .corrupt("the PNG ends before its IEND chunk: it was cut short") }
            let length = be32(i)
            guard length <= 0x7FFF_FFFF, i + 12 + length <= b.count else { throw .corrupt("the PNG ends inside a chunk: it was cut short") }
            let type = UnsafeRawBufferPointer(rebasing: b[(i + 4)..<(i + 8)])
            let crc = CRC32.of(UnsafeRawBufferPointer(rebasing: b[(i + 4)..<(i + 8 + length)]))
            guard crc.value == UInt32(be32(i + 8 + length)) else {
                throw .corrupt("the CRC of its \(String(decoding: type, as: UTF8.self)) chunk doesn't match")
            }
            let name = String(decoding: type, as: UTF8.self)
            if size == nil {
                guard name == "IHDR", length >= 8 else { throw .corrupt("the first chunk is not IHDR") }
                size = (be32(i + 8), be32(i + 12))
            }
            if name == "IEND", let size { return size }
            i += 12 + length
        }
    }

    // MARK: GIF

    private static func gif(_ b: UnsafeRawBufferPointer) throws(Problem) -> (width: Int, height: Int) {
        guard b.count >= 13 else { throw .corrupt("the GIF ends inside its header") }
        let size = (Int(b[6]) | Int(b[7]) << 8, Int(b[8]) | Int(b[9]) << 8)
        var i = 13
        if b[10] & 0x80 != 0 { i += 3 << (Int(b[10] & 0x07) + 1) } // global colour table
        func skipSubBlocks() throws(Problem) {
            while true {
                guard i < b.count else { throw .corrupt("the GIF ends inside a block: it was cut short") }
                let n = Int(b[i])
                i += 1 + n
                if n == 0 { return }
            }
        }
        while true {
            guard i < b.count else { throw .corrupt("the GIF has no trailer: it was cut short") }
            switch b[i] {
            case 0x3B: return size
            case 0x21: // extension: label, then sub-blocks
                i += 2
                try skipSubBlocks()
            case 0x2C: // image descriptor, local colour table, LZW code size, data sub-blocks
                guard i + 10 <= b.count else { throw .corrupt("the GIF ends inside an image descriptor") }
                let packed = b[i + 9]
                i += 10
                if packed & 0x80 != 0 { i += 3 << (Int(packed & 0x07) + 1) }
                i += 1
                try skipSubBlocks()
            default:
                throw .corrupt("an unknown GIF block (0x\(String(b[i], radix: 16)) at offset \(i))")
            }
        }
    }
}
