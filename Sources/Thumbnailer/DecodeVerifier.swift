import SafeFiles

/// `--verify decode`: every byte of the image decoded, with the decoders thumbnails use
/// (TurboJPEG, libdeflate, giflib; libvips for what they hand over), into a tiny thumbnail
/// that is thrown away. A JPEG decoded at a reduced DCT scale still has all of its
/// entropy-coded data read, so damage anywhere in it is found.
package struct DecodeVerifier: ImageVerifier {
    package init() {}

    package func problem(decoding bytes: UnsafeRawBufferPointer, kind: ImageKind, path: String, maxPixels: Int) -> String? {
        // A video's frames are not decoded here: its boxes were checked (`MP4Structure`).
        if kind.isVideo { return nil }
        let spec = ThumbnailSpec(width: 16, height: 16, maxPixels: maxPixels)
        do {
            if try DirectThumbnail.make(bytes, kind: kind, spec: spec, path: path) != nil { return nil }
            try Thumbnailer(spec: spec, backend: .libvips).decodeWithLibvips(path, kind: kind)
            return nil
        } catch {
            return "does not decode: \(error.message)"
        }
    }
}
