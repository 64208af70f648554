import Hummingbird

/// The listings past the front page, with Imgur's shapes: a gallery post, a tag's posts under
/// `data.items`, a subreddit's images, a user's submissions and favorites, and search. Every
/// listing pages from 0 and answers an empty page past its end.
extension GalleryRoutes {
    func registerCatalogue(on api: RouterGroup<BasicRequestContext>) {
        for path in ["gallery/t/:tag/:sort/:window/:page", "gallery/t/:tag/:sort/:window", "gallery/t/:tag"] {
            api.get(RouterPath(path)) { request, context in
                let tag = try context.parameters.require("tag")
                guard let entries = corpus.catalogue.byTag[tag] else { return notFound(request, "tag not found") }
                if let problem = orderProblem(context) { return errorResponse(request, status: .badRequest, problem) }
                let page = Corpus.page(try optionalPage(context), of: entries, size: options.pageSize)
                return try json(ImgurJSON.TagPage(name: tag, items: entriesJSON(page, request)))
            }
        }
        for path in ["gallery/r/:subreddit/:sort/:window/:page", "gallery/r/:subreddit/:sort/:window", "gallery/r/:subreddit"] {
            api.get(RouterPath(path)) { request, context in
                let name = try context.parameters.require("subreddit")
                if let problem = orderProblem(context) { return errorResponse(request, status: .badRequest, problem) }
                // An unknown subreddit is an empty gallery on Imgur, not an error.
                let entries = corpus.catalogue.bySubreddit[name] ?? []
                return try json(entriesJSON(Corpus.page(try optionalPage(context), of: entries, size: options.pageSize), request))
            }
        }
        for path in ["gallery/search/:sort/:window/:page", "gallery/search/:sort/:window", "gallery/search"] {
            api.get(RouterPath(path)) { request, context in
                if let problem = orderProblem(context) { return errorResponse(request, status: .badRequest, problem) }
                guard let query = request.uri.queryParameters.get("q"), !query.isEmpty else {
                    return errorResponse(request, status: .badRequest, "q is required")
                }
                let type = request.uri.queryParameters.get("q_type")
                let found = corpus.catalogue.search(query, type: type, images: corpus.images, entries: corpus.entries)
                return try json(entriesJSON(Corpus.page(try optionalPage(context), of: found, size: options.pageSize), request))
            }
        }
        for (kind, path) in [("submissions", "account/:name/submissions"), ("favorites", "account/:name/gallery_favorites")] {
            for route in [path + "/:page", path + "/:page/:sort", path] {
                api.get(RouterPath(route)) { request, context in
                    let name = try context.parameters.require("name")
                    let lists = kind == "submissions" ? corpus.catalogue.byUser : corpus.catalogue.favoritesOf
                    guard Catalogue.users.contains(name) else { return notFound(request, "Unable to find account \(name)") }
                    let entries = lists[name] ?? []
                    return try json(entriesJSON(Corpus.page(try optionalPage(context), of: entries, size: options.pageSize), request))
                }
            }
        }
        // A gallery post: an album (with its images) or an image on its own.
        // The router wants one parameter name a level: this `section` is the post's id.
        api.get("gallery/:section") { request, context in
            let id = try context.parameters.require("section")
            guard let index = corpus.postIndex(id: id) else {
                return notFound(request, "Unable to find a gallery post with the id, \(id)")
            }
            let meta = corpus.catalogue.meta[index]
            switch corpus.entries[index] {
            case .image(let image):
                return try json(ImgurJSON.Image(image: corpus.images[image], base: base(request), inGallery: true, meta: meta))
            case .album(let albumID, let title, let members, _):
                return try json(ImgurJSON.Album(id: albumID, title: title, images: members.map { corpus.images[$0] },
                                                embedImages: true, base: base(request), meta: meta))
            }
        }
    }

    /// The page number, 0 when the path has none.
    private func optionalPage(_ context: BasicRequestContext) throws -> Int {
        context.parameters.get("page") == nil ? 0 : try pageNumber(context)
    }

    /// What is wrong with the sort and window of the path, if anything.
    private func orderProblem(_ context: BasicRequestContext) -> String? {
        if let sort = context.parameters.get("sort"), !["viral", "top", "time", "rising"].contains(sort) { return "Invalid sort \(sort)" }
        if let window = context.parameters.get("window"), !["day", "week", "month", "year", "all"].contains(window) {
            return "Invalid window \(window)"
        }
        return nil
    }
}
