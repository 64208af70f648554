import CVips

/// libvips, started once per process.
///
/// Skein parallelises across images itself, so libvips' own worker threads are set to one
/// (two threads fighting over two cores for the same image only add switching), and its
/// operation cache is off (every image is seen once; caching them only costs memory).
/// Every loader but JPEG, PNG and GIF is blocked: hostile files can't reach the others.
package enum Vips {
    private static let started: Result<Void, ThumbnailError> = {
        guard skein_vips_init("skein", 0) == 0 else {
            return .failure(ThumbnailError(.library, path: "libvips", message: lastError()))
        }
        skein_vips_set_concurrency(1)
        skein_vips_set_cache_max(0)
        return .success(())
    }()

    /// Starts libvips if it isn't running yet.
    /// - Throws: `ThumbnailError` when libvips can't start.
    package static func start() throws(ThumbnailError) {
        try started.get()
    }

    /// Takes libvips' accumulated error text and clears it.
    static func lastError() -> String {
        guard let raw = skein_vips_error_copy() else { return "unknown libvips error" }
        defer { skein_vips_free(raw) }
        var lines: [String] = []
        for line in String(cString: raw).split(whereSeparator: \.isNewline) {
            let text = line.trimmingCharacters(in: " \t")
            if !text.isEmpty, !lines.contains(text) { lines.append(text) }
        }
        // The buffer is the process's: with several workers another file's warnings can be in
        // it. The last lines are this failure's.
        return lines.isEmpty ? "unknown libvips error" : lines.suffix(3).joined(separator: "; ")
    }
}
