// swift-tools-version:6.0
import PackageDescription

// Four modules (docs/architecture.md); an arrow is a dependency:
//   shopctl ──► ShopStore ──► CSQLite (libsqlite3)
//   shopctl, ShopStore ──► ShopKit (the shop's rules)
//   shopctl, ShopStore, ShopKit ──► Codecs (file formats and codecs: no domain, Foundation only)
let package = Package(
    name: "shopctl",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "shopctl", targets: ["shopctl"]),
        .library(name: "Codecs", targets: ["Codecs"]),
        .library(name: "ShopKit", targets: ["ShopKit"]),
        .library(name: "ShopStore", targets: ["ShopStore"]),
    ],
    targets: [
        .systemLibrary(
            name: "CSQLite",
            pkgConfig: "sqlite3",
            providers: [.apt(["libsqlite3-dev"]), .brew(["sqlite"])]
        ),
        .target(name: "Codecs"),
        .target(name: "ShopKit", dependencies: ["Codecs"]),
        .target(name: "ShopStore", dependencies: ["ShopKit", "Codecs", "CSQLite"]),
        .executableTarget(name: "shopctl", dependencies: ["ShopKit", "ShopStore", "Codecs"]),
        // The fuzz loop shared by CodecsTests and ShopKitTests (test support, not shipped).
        .target(name: "FuzzSupport", path: "Tests/FuzzSupport"),
        .testTarget(name: "CodecsTests", dependencies: ["Codecs", "FuzzSupport"]),
        .testTarget(name: "ShopKitTests", dependencies: ["ShopKit", "Codecs", "FuzzSupport"]),
        .testTarget(name: "ShopStoreTests", dependencies: ["ShopStore", "ShopKit", "Codecs"]),
        .testTarget(name: "shopctlTests", dependencies: ["shopctl", "ShopKit", "Codecs"]),
    ]
)
