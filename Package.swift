// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "shopctl",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "shopctl", targets: ["shopctl"]),
        .library(name: "ShopKit", targets: ["ShopKit"]),
        .library(name: "ShopStore", targets: ["ShopStore"]),
    ],
    targets: [
        .systemLibrary(
            name: "CSQLite",
            pkgConfig: "sqlite3",
            providers: [.apt(["libsqlite3-dev"]), .brew(["sqlite"])]
        ),
        .target(name: "ShopKit"),
        .target(name: "ShopStore", dependencies: ["ShopKit", "CSQLite"]),
        .executableTarget(name: "shopctl", dependencies: ["ShopKit", "ShopStore"]),
        .testTarget(name: "ShopKitTests", dependencies: ["ShopKit"]),
        .testTarget(name: "ShopStoreTests", dependencies: ["ShopStore", "ShopKit"]),
        .testTarget(name: "shopctlTests", dependencies: ["shopctl", "ShopKit"]),
    ]
)
