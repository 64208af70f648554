/// Decodes a whole image to prove its pixels are all there (`--verify decode`): what the
/// structural check (`ImageStructure`) can't see, such as damage inside a JPEG's entropy-coded
/// data. The download layer asks; the thumbnail layer, which holds the decoders, answers.
package protocol ImageVerifier: Sendable {
    /// Nil when the file at `path` (whose contents are `bytes`, of `kind`) decodes; else why
    /// not, in one line.
    func problem(decoding bytes: UnsafeRawBufferPointer, kind: ImageKind, path: String, maxPixels: Int) -> String?
}
