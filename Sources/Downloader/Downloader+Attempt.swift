import AsyncHTTPClient
import Basics
import Foundation
import NIOCore
import NIOHTTP1
import SafeFiles

extension Downloader {
    /// One attempt at `request`. With a resumable `partial` from the attempt before, asks only
    /// for the rest (`Range`, `If-Range`) and appends it; a server that sends the whole body
    /// instead starts the file over. A failure that can be resumed leaves `partial` in place
    /// for the next attempt; any other failure discards it.
    func attemptDownload(_ request: DownloadRequest, url: URL, attempt: Int, partial: inout PartialBody?,
                         resumes: inout Resumes) async throws(DownloadError) -> DownloadResult {
        let link = request.url
        var httpRequest = HTTPClientRequest(url: url.absoluteString)
        httpRequest.headers.add(name: "User-Agent", value: SkeinVersion.userAgent)
        if let partial, partial.resumable, let validator = partial.validator {
            httpRequest.headers.add(name: "Range", value: "bytes=\(partial.received)-")
            httpRequest.headers.add(name: "If-Range", value: validator)
        }
        let response: HTTPClientResponse
        do {
            response = try await HTTPClients.client(for: policy)
                .execute(httpRequest, deadline: .now() + .milliseconds(Int64(policy.requestTimeout * 1000)))
        } catch {
            throw Self.classify(error, url: link, phase: "connecting")
        }
        if let final = response.url, final.path.hasSuffix("/removed.png") {
            throw DownloadError(.deleted, url: link, "deleted on the server (redirected to \(final.lastPathComponent))", status: Int(response.status.code))
        }
        let body = try startBody(response, link: link, partial: &partial, resumes: &resumes)
        // A budget used up: everyone waits for the reset before the next request.
        if ["X-RateLimit-UserRemaining", "X-RateLimit-ClientRemaining"].contains(where: { response.headers.first(name: $0) == "0" }) {
            gates.gate(for: url).pause(seconds: Self.retryAfter(response.headers) ?? 1)
        }
        do {
            for try await chunk in response.body {
                guard body.received + chunk.readableBytes <= policy.maxBytes else {
                    throw DownloadError(.tooLarge, url: link, "refused: the body passed the limit of \(policy.maxBytes) bytes (--max-bytes)")
                }
                var failure: FileError?
                chunk.withUnsafeReadableBytes { raw in
                    do throws(FileError) { try body.append(raw) } catch { failure = error }
                }
                if let failure { throw Self.fileError(failure, url: link) }
                if body.kind == nil, body.head.count >= 8 { body.kind = try checkKind(body.head, url: link) }
            }
        } catch let error as DownloadError {
            partial = nil
            body.file.discard()
            throw error
        } catch {
            let failure = Self.classify(error, url: link, phase: "after \(body.received) bytes")
            // The connection failing part-way through a body (reset, or the parser seeing it
            // end early) is a truncated download.
            let cut = failure.code == .network
                ? DownloadError(.truncated, url: link, "truncated: the connection failed after \(body.received) bytes (\(error))", retryable: true)
                : failure
            throw keepOrDiscard(body, cut, partial: &partial, resumes: &resumes)
        }
        if let length = body.length, body.received != length {
            throw keepOrDiscard(body, DownloadError(.truncated, url: link, "truncated: got \(body.received) of \(length) bytes", retryable: true),
                                partial: &partial, resumes: &resumes)
        }
        partial = nil
        let kind: ImageKind
        if let known = body.kind {
            kind = known
        } else {
            do { kind = try checkKind(body.head, url: link) } catch {
                body.file.discard()
                throw error
            }
        }
        try checkStructure(body, kind: kind, link: link)
        let published: Published
        do {
            published = try body.file.publishWithoutOverwriting(as: request.stem + kind.fileExtension)
        } catch {
            throw Self.fileError(error, url: link)
        }
        return DownloadResult(url: link, file: published.name, bytes: body.received, crc32: body.checksum.hex,
                              kind: kind.rawValue, alreadyPresent: published.alreadyPresent, attempts: attempt,
                              resumes: resumes)
    }

    /// Checks the response's status and sets up where its body goes: the partial body it
    /// continues (206 for exactly the bytes asked), or a new staged file.
    private func startBody(_ response: HTTPClientResponse, link: String, partial: inout PartialBody?,
                           resumes: inout Resumes) throws(DownloadError) -> PartialBody {
        let status = Int(response.status.code)
        let contentLength = response.headers.first(name: "Content-Length").flatMap(Int.init)
        if status == 206, let partial, let range = ContentRange(response.headers.first(name: "Content-Range")),
           range.start == partial.received, partial.length == nil || partial.length == range.length {
            partial.length = range.length
            resumes.resumed += 1
            return partial
        }
        // Anything else makes a partial body useless: the whole body comes, or an error.
        if partial != nil { resumes.restarted += 1 }
        partial?.file.discard()
        partial = nil
        guard status == 200 else {
            if status == 429 {
                throw DownloadError(.rateLimited, url: link, "rate limited by the server (HTTP 429)", status: status,
                                    retryable: true, retryAfter: Self.retryAfter(response.headers))
            }
            if status == 206 || status == 416 {
                throw DownloadError(.truncated, url: link, "the server answered the resumed request with HTTP \(status); starting over",
                                    status: status, retryable: true)
            }
            throw DownloadError(.httpStatus, url: link, "HTTP \(status) \(response.status.reasonPhrase)", status: status, retryable: status >= 500)
        }
        if let contentLength, contentLength > policy.maxBytes {
            throw DownloadError(.tooLarge, url: link, "refused: \(contentLength) bytes is over the limit of \(policy.maxBytes) (--max-bytes)")
        }
        let body: PartialBody
        do { body = PartialBody(file: try StagedFile(in: directory)) } catch { throw Self.fileError(error, url: link) }
        body.length = contentLength
        if response.headers.first(name: "Accept-Ranges")?.lowercased() == "bytes" {
            body.validator = response.headers.first(name: "ETag") ?? response.headers.first(name: "Last-Modified")
        }
        return body
    }

    /// A failed body: kept for the next attempt when it can be resumed, else discarded.
    private func keepOrDiscard(_ body: PartialBody, _ error: DownloadError, partial: inout PartialBody?,
                               resumes: inout Resumes) -> DownloadError {
        if error.retryable, body.resumable {
            partial = body
        } else {
            if error.retryable, body.received > 0 { resumes.restarted += 1 }
            partial = nil
            body.file.discard()
        }
        return error
    }

    /// The whole file must be a whole image (see `ImageStructure`); if not, it is discarded.
    private func checkStructure(_ body: PartialBody, kind: ImageKind, link: String) throws(DownloadError) {
        let problem: ImageStructure.Problem?
        do {
            problem = try body.file.withContents { (bytes) throws(ImageStructure.Problem) -> ImageStructure.Problem? in
                try ImageStructure.check(bytes, as: kind, maxPixels: policy.maxPixels)
                return nil
            } ?? .corrupt("the downloaded file could not be read back")
        } catch {
            problem = error
        }
        guard let problem else { return try verifyDecoding(body, kind: kind, link: link) }
        body.file.discard()
        switch problem {
        case .corrupt: throw DownloadError(.corruptImage, url: link, problem.description)
        case .tooManyPixels: throw DownloadError(.tooManyPixels, url: link, "refused: \(problem.description)")
        }
    }

    /// `--verify decode`: the whole image decoded, or the file discarded as `corrupt-image`.
    private func verifyDecoding(_ body: PartialBody, kind: ImageKind, link: String) throws(DownloadError) {
        guard policy.verifyDecode else { return }
        guard let verifier else {
            body.file.discard()
            throw DownloadError(.corruptImage, url: link, "cannot verify: no decoder was given (--verify decode)")
        }
        let problem = body.file.withContents { bytes in
            verifier.problem(decoding: bytes, kind: kind, path: body.file.temporaryPath, maxPixels: policy.maxPixels)
        } ?? "the downloaded file could not be read back"
        guard let problem else { return }
        body.file.discard()
        throw DownloadError(.corruptImage, url: link, problem)
    }

    /// The kind the first bytes announce, if it is wanted.
    private func checkKind(_ head: [UInt8], url: String) throws(DownloadError) -> ImageKind {
        guard let kind = ImageKind.sniff(head) else {
            throw DownloadError(.notAnImage, url: url, "not an image: the server sent \(ImageKind.describe(head))")
        }
        guard policy.allowedKinds.contains(kind.rawValue) else {
            throw DownloadError(.typeNotWanted, url: url, "skipped: \(kind.rawValue) is not among the wanted types (--types)")
        }
        return kind
    }
}

/// `Content-Range: bytes START-END/LENGTH`.
struct ContentRange: Equatable {
    let start: Int
    let end: Int
    let length: Int

    init?(_ header: String?) {
        guard let header, header.hasPrefix("bytes ") else { return nil }
        let parts = header.dropFirst(6).split(separator: "/")
        guard parts.count == 2, let length = Int(parts[1]) else { return nil }
        let bounds = parts[0].split(separator: "-")
        guard bounds.count == 2, let start = Int(bounds[0]), let end = Int(bounds[1]), start <= end, end < length else { return nil }
        (self.start, self.end, self.length) = (start, end, length)
    }
}
