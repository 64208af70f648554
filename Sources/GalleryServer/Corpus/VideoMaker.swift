import Foundation

/// The animated items' other files, as Imgur has them: an mp4 of each GIF, made with FFmpeg
/// (the `ffmpeg` program, H.264 as Imgur serves), and for the one GIF over 20 MB the preview
/// its `link` points at. Made when the corpus is generated and cached with it.
enum VideoMaker {
    struct Failure: Error, CustomStringConvertible { let description: String }

    /// The `ffmpeg` program on `PATH`, if there is one.
    static let ffmpeg: String? = {
        let paths = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin").split(separator: ":")
        return paths.map { "\($0)/ffmpeg" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }()

    /// The mp4 of a GIF: H.264, even dimensions, the index first (`faststart`).
    static func mp4(ofGIF gif: [UInt8]) throws -> [UInt8] {
        guard let ffmpeg else { throw Failure(description: "ffmpeg is not installed") }
        let folder = NSTemporaryDirectory() + "skein-video-\(getpid())-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let input = folder + "/in.gif", output = folder + "/out.mp4"
        guard FileManager.default.createFile(atPath: input, contents: Data(gif)) else { throw Failure(description: "cannot write \(input)") }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: ffmpeg)
        process.arguments = ["-nostdin", "-v", "error", "-y", "-i", input, "-an", "-c:v", "libx264", "-preset", "veryfast",
                             "-pix_fmt", "yuv420p", "-vf", "scale=trunc(iw/2)*2:trunc(ih/2)*2", "-movflags", "+faststart",
                             "-threads", "1", output]
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let said = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0, let data = FileManager.default.contents(atPath: output), !data.isEmpty else {
            throw Failure(description: "ffmpeg failed: \(String(decoding: said.prefix(300), as: UTF8.self))")
        }
        return Array(data)
    }

    /// An animated GIF of `frames` frames of `width` × `height`, written with LZW codes that
    /// never grow past 9 bits (a clear code every 250 pixels): about 1.13 bytes a pixel
    /// whatever the picture, so a GIF over 20 MB costs no time to make. A diagonal pattern that
    /// moves from frame to frame, so its mp4 is small.
    static func largeGIF(width: Int, height: Int, frames: Int) -> [UInt8] {
        var out: [UInt8] = Array("GIF89a".utf8)
        func le16(_ v: Int) { out += [UInt8(v & 0xFF), UInt8(v >> 8 & 0xFF)] }
        le16(width)
        le16(height)
        out += [0xF7, 0, 0] // global colour table of 256 entries
        for i in 0..<256 { out += [UInt8(i), UInt8((i * 3) & 0xFF), UInt8(255 - i)] }
        out += [0x21, 0xFF, 0x0B] + Array("NETSCAPE2.0".utf8) + [0x03, 0x01, 0x00, 0x00, 0x00] // loop forever
        for frame in 0..<frames {
            out += [0x21, 0xF9, 0x04, 0x04, 0x0A, 0x00, 0x00, 0x00] // 100 ms a frame
            out += [0x2C]
            le16(0); le16(0); le16(width); le16(height)
            out += [0x00, 0x08] // no local table; LZW minimum code size 8
            var bits: UInt32 = 0, count = 0
            var block: [UInt8] = []
            func flushBlock() {
                out.append(UInt8(block.count))
                out += block
                block.removeAll(keepingCapacity: true)
            }
            func emit(_ code: Int) {
                bits |= UInt32(code) << count
                count += 9
                while count >= 8 {
                    block.append(UInt8(bits & 0xFF))
                    bits >>= 8
                    count -= 8
                    if block.count == 255 { flushBlock() }
                }
            }
            emit(256)
            var run = 0
            for y in 0..<height {
                for x in 0..<width {
                    emit((x + y + frame * 4) & 0xFF)
                    run += 1
                    if run == 250 { emit(256); run = 0 }
                }
            }
            emit(257) // end of information
            if count > 0 { block.append(UInt8(bits & 0xFF)) }
            if !block.isEmpty { flushBlock() }
            out.append(0x00)
        }
        out.append(0x3B)
        return out
    }
}
