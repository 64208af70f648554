import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// The endpoints of the embedded gallery: Imgur's API paths under `/3/` and media files at
/// the root, as `i.imgur.com` serves them.
struct GalleryRoutes: Sendable {
    let corpus: Corpus
    let options: ServerOptions
    let stats: ServerStats
    let startedAt = Int(Date().timeIntervalSince1970)

    func register(on router: Router<BasicRequestContext>) {
        if let perSecond = options.faults.rateLimitPerSecond {
            router.add(middleware: RateLimitMiddleware(limiter: RateLimiter(perSecond: perSecond), stats: stats, startedAt: startedAt))
        }
        router.add(middleware: LatencyMiddleware(latency: options.latency, stats: stats, rendezvous: options.apiRendezvous))
        let api = router.group("3")
            .add(middleware: ClientIDMiddleware(accepted: options.acceptedClientID, stats: stats, options: options, startedAt: startedAt))
        api.get("gallery/random/random") { request, _ in try listing("random", page: 0, request) }
        api.get("gallery/random/random/:page") { request, context in
            try listing("random", page: pageNumber(context), request)
        }
        api.get("gallery/:section/:sort/:window/:page") { request, context in
            try gallery(request, context, page: pageNumber(context))
        }
        api.get("gallery/:section/:sort/:window") { request, context in try gallery(request, context, page: 0) }
        api.get("album/:id") { request, context in
            let id = try context.parameters.require("id")
            guard case .album(let albumID, let title, let members, let embeds)? = corpus.album(id: id) else {
                return notFound(request, "Unable to find an album with the id, \(id)")
            }
            // Some albums answer without their images (a client asks /images for them).
            return try json(ImgurJSON.Album(id: albumID, title: title, images: members.map { corpus.images[$0] },
                                            embedImages: embeds, base: base(request), meta: corpus.albumMeta(id: albumID)))
        }
        api.get("album/:id/images") { request, context in
            let id = try context.parameters.require("id")
            guard case .album(_, _, let members, _)? = corpus.album(id: id) else {
                return notFound(request, "Unable to find an album with the id, \(id)")
            }
            let meta = corpus.albumMeta(id: id)
            return try json(members.map { ImgurJSON.Image(image: corpus.images[$0], base: base(request), inGallery: false, meta: meta) })
        }
        api.get("image/:id") { request, context in
            let id = try context.parameters.require("id")
            guard let image = corpus.image(id: id) else { return notFound(request, "Unable to find an image with the id, \(id)") }
            return try json(ImgurJSON.Image(image: image, base: base(request), inGallery: false, meta: corpus.meta(ofImage: id)))
        }
        registerCatalogue(on: api)
        api.get("**") { request, _ in notFound(request, "Not found") }

        router.get("removed.png") { _, _ in
            media(corpus.removedPNG, type: "image/png")
        }
        router.get(":file") { request, context in
            let name = try context.parameters.require("file")
            guard let media = corpus.media(fileName: name) else {
                // Imgur sends unknown and deleted images to its placeholder.
                return Response(status: .found, headers: [.location: base(request) + "/removed.png"])
            }
            let attempt = stats.recordMedia(name)
            stats.record(userAgent: request.headers[.userAgent])
            let part = MediaPart(request, bytes: media.bytes, name: name)
            if part.status == .partialContent { stats.recordRanged() }
            return MediaResponder(faults: options.faults, stats: stats)
                .respond(part, type: media.type, fault: options.faults.fault(for: name, attempt: attempt),
                         removedURL: base(request) + "/removed.png")
        }
        // HEAD answers like GET without the body (no fault is drawn: nothing is sent).
        router.head(":file") { request, context in
            let name = try context.parameters.require("file")
            guard let media = corpus.media(fileName: name) else {
                return Response(status: .found, headers: [.location: base(request) + "/removed.png"])
            }
            let part = MediaPart(request, bytes: media.bytes, name: name)
            var headers = part.headers
            headers[.contentType] = media.type
            headers[.contentLength] = String(part.status == .rangeNotSatisfiable ? 0 : part.bytes.readableBytes)
            return Response(status: part.status, headers: headers)
        }
    }

    private func gallery(_ request: Request, _ context: BasicRequestContext, page: Int) throws -> Response {
        let section = try context.parameters.require("section")
        let sort = try context.parameters.require("sort")
        let window = try context.parameters.require("window")
        guard ["hot", "top", "user"].contains(section), ["viral", "top", "time", "rising"].contains(sort),
              ["day", "week", "month", "year", "all"].contains(window) else {
            return errorResponse(request, status: .badRequest, "Invalid gallery \(section)/\(sort)/\(window)")
        }
        return try listing("\(section)/\(sort)/\(window)", page: page, request)
    }

    private func listing(_ name: String, page: Int, _ request: Request) throws -> Response {
        try json(entriesJSON(Corpus.page(page, of: corpus.orderedIndices(for: name), size: options.pageSize), request))
    }

    /// Gallery entries as a listing shows them: images with `in_gallery`, albums with or
    /// without their images, each with who posted it and its tags.
    func entriesJSON(_ indices: some Collection<Int>, _ request: Request) -> [AnyEncodable] {
        let base = base(request)
        return indices.map { index in
            let meta = corpus.catalogue.meta[index]
            switch corpus.entries[index] {
            case .image(let image):
                return AnyEncodable(ImgurJSON.Image(image: corpus.images[image], base: base, inGallery: true, meta: meta))
            case .album(let id, let title, let members, let embeds):
                return AnyEncodable(ImgurJSON.Album(id: id, title: title, images: members.map { corpus.images[$0] },
                                                    embedImages: embeds, base: base, meta: meta))
            }
        }
    }

    func pageNumber(_ context: BasicRequestContext) throws -> Int {
        guard let page = context.parameters.get("page", as: Int.self), page >= 0 else {
            throw HTTPError(.badRequest, message: "page must be a whole number")
        }
        return page
    }

    /// The scheme and authority the client used, so links point back at this server.
    func base(_ request: Request) -> String {
        "http://" + (request.head.authority ?? "\(options.host):\(options.port)")
    }

    func json<T: Encodable>(_ data: T) throws -> Response {
        let bytes = try JSONEncoder().encode(ImgurJSON.Envelope(data: data))
        return Response(status: .ok, headers: [.contentType: "application/json"],
                        body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    func notFound(_ request: Request, _ message: String) -> Response {
        errorResponse(request, status: .notFound, message)
    }

    func errorResponse(_ request: Request, status: HTTPResponse.Status, _ message: String) -> Response {
        ErrorEnvelope.response(request, status: status, message)
    }

    private func media(_ bytes: ByteBuffer, type: String) -> Response {
        Response(status: .ok,
                 headers: [.contentType: type, .contentLength: String(bytes.readableBytes), .cacheControl: "public, max-age=31536000"],
                 body: ResponseBody(byteBuffer: bytes))
    }
}

/// Imgur's error envelope.
enum ErrorEnvelope {
    static func response(_ request: Request, status: HTTPResponse.Status, _ message: String, headers: HTTPFields = [:]) -> Response {
        let envelope = ImgurJSON.Envelope(data: ImgurJSON.ErrorData(error: message, request: request.uri.path, method: request.method.rawValue),
                                          success: false, status: status.code)
        let bytes = (try? JSONEncoder().encode(envelope)) ?? Data()
        var fields = headers
        fields[.contentType] = "application/json"
        return Response(status: status, headers: fields, body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
    }
}

/// Type erasure for a list of mixed images and albums.
struct AnyEncodable: Encodable, Sendable {
    let value: any Encodable & Sendable
    init(_ value: any Encodable & Sendable) { self.value = value }
    func encode(to encoder: any Encoder) throws { try value.encode(to: encoder) }
}
