import ArgumentParser
import Foundation
import Pipeline

/// `--html [FILE]`: the run's contact sheet (default `OUT/index.html`).
struct PageOption: ParsableArguments {
    @Option(help: ArgumentHelp("Write a contact sheet: the thumbnails in a grid, each linking to its original, the failures, the summary (--html alone: OUT/index.html; a FILE given must end in .html).",
                               valueName: "file"))
    var html: String?

    func validate() throws {
        if let html, html != Self.defaultPage { try Validate.path(html, "--html") }
    }

    /// Where the page goes (nil without `--html`): FILE, or `folder/index.html`.
    func path(in folder: String) -> String? {
        html.map { $0 == Self.defaultPage ? folder + "/index.html" : $0 }
    }

    /// What a bare `--html` stands for.
    static let defaultPage = "-"

    /// A bare `--html` (nothing after it, an option next, or a word that isn't a page's name)
    /// becomes `--html=-`, so that ArgumentParser, which has no options with an optional value,
    /// takes it as "the default page".
    static func rewrite(_ arguments: [String]) -> [String] {
        var out: [String] = []
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            if argument == "--" { return out + arguments[index...] }
            if argument == "--html" {
                let next = index + 1 < arguments.count ? arguments[index + 1] : nil
                if let next, !next.hasPrefix("-"), [".html", ".htm"].contains(where: { next.lowercased().hasSuffix($0) }) {
                    out += [argument, next]
                    index += 2
                    continue
                }
                out.append("--html=" + defaultPage)
            } else {
                out.append(argument)
            }
            index += 1
        }
        return out
    }
}
