// swift-tools-version:6.1
import PackageDescription

/// One set of settings for every target: Swift 6 language mode and the upcoming features the
/// codebases we model ourselves on use.
let swiftSettings: [SwiftSetting] = [
    .swiftLanguageMode(.v6),
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "skein",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "skein", targets: ["skein"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1", traits: []),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/x-sheep/swift-property-based", from: "2.0.1"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        .package(url: "https://github.com/vapor/sqlite-nio", from: "1.13.2"),
        .package(url: "https://github.com/LebJe/TOMLKit", from: "0.6.0"),
    ],
    targets: [
        // libvips' headers (`apt-get install libvips-dev`). They live in /usr/include; pkg-config
        // is asked for glib's, which they include. Not for vips': its flags would link the
        // library, and CVips loads it itself (dlopen) when first needed.
        .systemLibrary(
            name: "CVipsSystem",
            pkgConfig: "glib-2.0",
            providers: [.apt(["libvips-dev"])]
        ),
        // Fixed-argument C wrappers over libvips' variadic API (Swift can't call varargs).
        .target(name: "CVips", dependencies: ["CVipsSystem"]),
        .target(
            name: "ImgurAPI",
            dependencies: [
                "Basics",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "Downloader",
            dependencies: [
                "SafeFiles", "Basics",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: swiftSettings
        ),
        // libdeflate (apt libdeflate-dev): CRC-32 for downloads, DEFLATE for PNG thumbnails.
        .systemLibrary(name: "CLibdeflate", pkgConfig: "libdeflate", providers: [.apt(["libdeflate-dev"])]),
        // What every layer shares: Locked<Value> (the lock every module uses; NSLock underneath,
        // ThreadSanitizer-clean), a seeded random generator, Duration and column helpers.
        // Self-contained HTML pages: the contact sheet of a run, the timeline of a trace.
        .target(name: "Pages", swiftSettings: swiftSettings),
        .target(name: "Basics", dependencies: [.product(name: "Logging", package: "swift-log")], swiftSettings: swiftSettings),
        // Files written under a temporary name and published atomically.
        .target(name: "SafeFiles", dependencies: ["CLibdeflate"], swiftSettings: swiftSettings),
        // Direct thumbnail paths without libvips: TurboJPEG (DCT-scaled decode), PNG over libdeflate, giflib,
        // with our own Lanczos-3 and EXIF orientation; videos' first frames through FFmpeg's libraries, loaded
        // with dlopen when a video needs them (their headers at build time). apt: libturbojpeg0-dev
        // libdeflate-dev libgif-dev libavformat-dev libavcodec-dev libswscale-dev.
        .target(
            name: "CThumbs",
            dependencies: ["CLibdeflate"],
            linkerSettings: [.linkedLibrary("turbojpeg"), .linkedLibrary("deflate"), .linkedLibrary("gif"), .linkedLibrary("m"),
                             .linkedLibrary("dl")]
        ),
        .target(name: "Thumbnailer", dependencies: ["CVips", "CThumbs", "SafeFiles"], swiftSettings: swiftSettings),
        // Linux process calls Swift can't make directly (pipe2, prctl, closefrom).
        .target(name: "CProcess"),
        .target(name: "Engines", dependencies: ["CProcess", "Basics", .product(name: "Logging", package: "swift-log")], swiftSettings: swiftSettings),
        .target(
            name: "Pipeline",
            dependencies: [
                "ImgurAPI", "Downloader", "Thumbnailer", "Engines", "SafeFiles", "Basics", "Pages",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        // Durable jobs: items in shards in a store (SQLite for one machine, PostgreSQL for
        // many), claimed with leases, run through the pipeline one shard at a time.
        .target(
            name: "Jobs",
            dependencies: [
                "Pipeline", "ImgurAPI", "Downloader", "Engines", "Basics",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "SQLiteNIO", package: "sqlite-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "GalleryServer",
            dependencies: [
                "CVips", "Basics", "SafeFiles",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "Bench",
            dependencies: ["Engines", "GalleryServer", "Pipeline", "Thumbnailer", "SafeFiles", "Basics", .product(name: "NIOCore", package: "swift-nio")],
            swiftSettings: swiftSettings
        ),
        .target(name: "ConcurrencyLab", dependencies: ["Engines", "Basics"], swiftSettings: swiftSettings),
        .target(
            name: "SkeinTesting",
            dependencies: [
                "GalleryServer", "Basics",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "skein",
            dependencies: [
                "Pipeline", "GalleryServer", "ConcurrencyLab", "Engines", "Bench", "Basics",
                "Downloader", "ImgurAPI", "Thumbnailer", "Jobs", "Pages", "SafeFiles",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "TOMLKit", package: "TOMLKit"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "SkeinTests",
            dependencies: [
                "ImgurAPI", "Downloader", "Thumbnailer", "Engines", "Pipeline",
                "GalleryServer", "ConcurrencyLab", "SkeinTesting", "skein", "Bench", "SafeFiles", "Basics", "CVips", "CThumbs", "Jobs", "Pages",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "PropertyBased", package: "swift-property-based"),
            ],
            resources: [.copy("Fixtures")],
            swiftSettings: swiftSettings
        ),
    ]
)
