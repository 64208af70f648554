import NIOCore
import NIOHTTP1
import Downloader
import Foundation
import SafeFiles
import SkeinTesting
import Testing

@Suite("Safe names and atomic files")
struct SafeFilesTests {
    @Test("hostile links become plain names inside the folder", arguments: [
        ("http://h/a/../../etc/passwd.jpg", "passwd"),
        ("http://h/x/%2F..%2F..%2Fescape.jpg", "_.._.._escape"),
        ("http://h/pic.jpg?name=../../evil", "pic"),
        ("http://h/pic.jpg#../frag", "pic"),
        ("http://h/", "image"),
        ("http://h/.hidden.jpg", "hidden"),
        ("http://h/..", "image"),
        ("http://h/%00nul%0A.png", "_nul_"),
        ("http://h/caf%C3%A9.jpg", "caf__"),
        ("http://h/-rf.jpg", "rf"),
    ])
    func hostileNames(url: String, expected: String) {
        let stem = SafeName.stem(id: nil, url: url)
        #expect(stem == expected)
        #expect(!stem.contains("/") && !stem.hasPrefix(".") && !stem.isEmpty)
    }

    @Test("plain ids win; long names are cut")
    func idsAndLength() {
        #expect(SafeName.stem(id: "AbC123", url: "http://h/other.jpg") == "AbC123")
        #expect(SafeName.stem(id: "../evil", url: "http://h/fine.jpg") == "fine")
        let long = SafeName.stem(id: nil, url: "http://h/" + String(repeating: "x", count: 300) + ".jpg")
        #expect(long.count == SafeName.maxStemLength)
    }

    @Test("publishing never overwrites a different file and reuses an identical one")
    func noOverwrite() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        _ = FileManager.default.createFile(atPath: folder.path + "/a.jpg", contents: Data("original".utf8))
        let first = try StagedFile(in: folder.path)
        try first.write(Array("different".utf8))
        let published = try first.publishWithoutOverwriting(as: "a.jpg")
        #expect(published == Published(name: "a-1.jpg", alreadyPresent: false))
        #expect(bytes(of: folder.path + "/a.jpg") == Array("original".utf8))
        let second = try StagedFile(in: folder.path)
        try second.write(Array("original".utf8))
        #expect(try second.publishWithoutOverwriting(as: "a.jpg") == Published(name: "a.jpg", alreadyPresent: true))
        #expect(folder.files() == ["a-1.jpg", "a.jpg"]) // no temporary file left
    }

    @Test("a discarded or dropped staged file leaves nothing behind")
    func discard() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let file = try StagedFile(in: folder.path)
        try file.write(Array(repeating: 1, count: 1000))
        #expect(TemporaryFiles.list(in: folder.path).count == 1)
        file.discard()
        do { let dropped = try StagedFile(in: folder.path); try dropped.write([1, 2, 3]) }
        #expect(folder.files().isEmpty)
    }

    @Test("sweeping removes temporary files of dead processes only")
    func sweep() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        // pid 999999 can't exist (pid_max is lower); our own file is in use.
        _ = FileManager.default.createFile(atPath: folder.path + "/.skein-999999-abc.part", contents: Data([1]))
        let mine = try StagedFile(in: folder.path)
        #expect(TemporaryFiles.sweep(folder.path) == 1)
        #expect(TemporaryFiles.list(in: folder.path) == [mine.temporaryName])
        mine.discard()
    }

    @Test("a folder's names are read in place: thousands of names of every length, each once, none cut or run on")
    func directoryNames() async throws {
        try await TemporaryFolder.with("skein-names") { folder in
            var made = Set<String>()
            for n in 0..<3000 {
                // Lengths 1 to 250: entries of every size, so some end where a buffer ends.
                let length = 1 + (n * 37) % 250
                let name = String(String(n).padding(toLength: length, withPad: "abcdefghij", startingAt: 0).prefix(length))
                if made.insert(name).inserted { _ = FileManager.default.createFile(atPath: folder + "/" + name, contents: nil) }
            }
            let listed = DirectoryNames.list(folder) ?? []
            #expect(listed.count == made.count)
            #expect(Set(listed) == made)
            #expect(DirectoryNames.list(folder + "/missing") == nil)
        }
    }
}
