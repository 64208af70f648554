import NIOCore
import NIOHTTP1
import AsyncHTTPClient
import Downloader
import Foundation
import NIOCore
import NIOHTTP1

/// A plain GET over a real socket, for tests that look at raw responses.
func httpGet(_ url: String, headers: [(String, String)] = []) async throws -> (status: Int, headers: HTTPHeaders, body: [UInt8]) {
    var request = HTTPClientRequest(url: url)
    for (name, value) in headers { request.headers.add(name: name, value: value) }
    let client = HTTPClients.client(connectTimeout: 5, readTimeout: 10)
    let response = try await client.execute(request, timeout: .seconds(30))
    let body = try await response.body.collect(upTo: 64 << 20)
    return (Int(response.status.code), response.headers, Array(body.readableBytesView))
}

/// The bytes of a file.
func bytes(of path: String) -> [UInt8]? {
    FileManager.default.contents(atPath: path).map(Array.init)
}

/// A fixture file's URL.
func fixture(_ name: String) -> URL {
    Bundle.module.url(forResource: "Fixtures/imgur-samples/\(name)", withExtension: nil)!
}
