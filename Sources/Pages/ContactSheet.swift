/// A self-contained HTML contact sheet of one run: a header with the run's title and summary, a
/// responsive grid of thumbnails (each linking to its original), and the items that failed.
///
/// The page needs nothing but the files it links to: no remote resources, one small inline script
/// that loads every thumbnail and records on `<body>` how many loaded
/// (`data-images-loaded`, `data-images-broken`, `data-images-total`, set together once all
/// have settled), marking each broken one's figure with the class `broken`.
package struct ContactSheet: Sendable {
    /// One item of the gallery: its original, its thumbnail and what is known about it.
    package struct Entry: Sendable {
        /// The original's path relative to the page's folder, e.g. `images/ab12Cd3.jpg`.
        package var original: String
        /// The thumbnail's path relative to the page's folder, nil when there is none.
        package var thumbnail: String?
        /// The title from the API's metadata, when known.
        package var title: String?
        /// The format (`jpeg`, `png`, `gif`, `mp4`), when known.
        package var kind: String?
        /// The original's size in bytes.
        package var bytes: Int?
        /// The original's width in pixels.
        package var width: Int?
        /// The original's height in pixels.
        package var height: Int?

        /// An entry; everything but the original is optional.
        package init(original: String, thumbnail: String? = nil, title: String? = nil, kind: String? = nil,
                     bytes: Int? = nil, width: Int? = nil, height: Int? = nil) {
            self.original = original
            self.thumbnail = thumbnail
            self.title = title
            self.kind = kind
            self.bytes = bytes
            self.width = width
            self.height = height
        }
    }

    /// An item the run could not save, and why.
    package struct Failure: Sendable {
        /// The item (an id, a link or a file name).
        package var item: String
        /// What went wrong.
        package var cause: String

        /// A failure of `item` because of `cause`.
        package init(item: String, cause: String) {
            self.item = item
            self.cause = cause
        }
    }

    /// The page's title, e.g. `skein run — imgur.com/a/abc`.
    package var title: String
    /// The lines of the run's summary, shown under the title.
    package var summary: [String]
    /// The gallery, in order.
    package var entries: [Entry]
    /// The items that failed.
    package var failures: [Failure]

    /// A contact sheet of `entries`, with the run's `title`, `summary` and `failures`.
    package init(title: String, summary: [String], entries: [Entry], failures: [Failure]) {
        self.title = title
        self.summary = summary
        self.entries = entries
        self.failures = failures
    }

    /// The whole page.
    package func html() -> String {
        var out = """
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <meta name="color-scheme" content="light dark">
        <title>\(HTML.escape(title))</title>
        <style>
        \(Self.css)</style>
        </head>
        <body>
        <header>
        <h1>\(HTML.escape(title))</h1>

        """
        if !summary.isEmpty {
            out += "<div class=\"summary\">\n"
            for line in summary {
                out += "<div>\(HTML.escape(line))</div>\n"
            }
            out += "</div>\n"
        }
        out += "</header>\n<main>\n"
        if entries.isEmpty {
            out += "<p class=\"empty\">No images.</p>\n"
        } else {
            out += "<section class=\"grid\">\n"
            for entry in entries {
                out += entry.figureHTML()
            }
            out += "</section>\n"
        }
        if !failures.isEmpty {
            out += "<section class=\"failures\">\n<h2>\(failures.count) failed</h2>\n<ul>\n"
            for failure in failures {
                out += "<li><code>\(HTML.escape(failure.item))</code> <span class=\"cause\">\(HTML.escape(failure.cause))</span></li>\n"
            }
            out += "</ul>\n</section>\n"
        }
        out += "</main>\n<script>\n\(Self.script)</script>\n</body>\n</html>\n"
        return out
    }
}
