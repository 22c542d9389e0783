import CSQLite
import Codecs
import Foundation
import ShopKit

/// The shop's store: one SQLite file with the schema of `Migrations`.
///
///     let store = try Store.open(path: "~/.local/share/shopctl/shop.db", now: now)
///     try store.write { try store.shops.insert(shop) }
///
/// Creating a store makes the file with mode 0600 (and its folders), switches it to
/// WAL, applies every migration and records the platform, its rules and a 32-byte
/// secret. A store whose `user_version` is newer than this binary is refused before
/// anything is written to it.
public final class Store {
    public static let schemaVersion = Migrations.all.last!.version
    /// How long a writer waits for another one (a million-order import holds the write lock
    /// for about 20 s on a small machine); readers never wait in WAL mode.
    public static let busyTimeoutMilliseconds: Int32 = 60_000

    public let db: Database
    public let path: String
    public private(set) var platform: String
    public private(set) var rules: Rules
    public private(set) var secret: [UInt8]
    public private(set) var createdAt: Instant

    public lazy var shops = ShopRepository(db: db)
    public lazy var catalog = CatalogRepository(db: db)
    public lazy var picks = PickRepository(db: db)
    public lazy var shares = ShareRepository(db: db)
    public lazy var orders = OrderRepository(db: db)

    private init(db: Database, path: String) {
        self.db = db
        self.path = path
        self.platform = ""
        self.rules = Rules.preset(.taoxiaopu)
        self.secret = []
        self.createdAt = Instant(seconds: 0)
    }

    /// What to create when the store does not exist yet.
    public struct Creation {
        public var platform: Platform
        public var rules: Rules
        public var now: Instant
        public var secret: [UInt8]
        public init(platform: Platform, rules: Rules, now: Instant, secret: [UInt8]) {
            precondition(secret.count == 32, "the store secret is 32 bytes")
            self.platform = platform
            self.rules = rules
            self.now = now
            self.secret = secret
        }
    }

    /// Whether a store (a file holding a shopctl schema) exists at `path`.
    public static func exists(at path: String) -> Bool {
        FileManager.default.fileExists(atPath: path)
    }

    /// Opens the store at `path`, creating it with `creation` when it does not exist.
    /// - Parameter mustCreate: `init`'s mode — an existing store is refused `already-initialized`.
    public static func open(path: String, creation: Creation, mustCreate: Bool = false) throws -> Store {
        let fm = FileManager.default
        var isDir: ObjCBool = false
        if fm.fileExists(atPath: path, isDirectory: &isDir), isDir.boolValue {
            throw ShopError.store(
                "store-open", en: "\(path) is a directory, not a store", zh: "\(path) 是目录，不是数据库文件")
        }
        if !fm.fileExists(atPath: path) {
            try createFile(path)
        }
        let db = try Database(path: path, create: false)
        db.setBusyTimeout(milliseconds: busyTimeoutMilliseconds)
        let store = Store(db: db, path: path)
        let version = try db.pragmaInt("user_version")
        if version > schemaVersion {
            throw newer(path, version)
        }
        if version == 0 {
            try store.create(creation)
        } else if mustCreate {
            throw ShopError.rule(
                "already-initialized", en: "a store already exists at \(path)", zh: "数据库已存在：\(path)")
        } else if version < schemaVersion {
            try store.migrate()
        }
        try db.execute("PRAGMA foreign_keys = ON")
        // Large imports keep their working set in memory instead of spilling to the WAL.
        try db.execute("PRAGMA cache_size = -32768")
        try db.execute("PRAGMA temp_store = MEMORY")
        try db.execute("PRAGMA mmap_size = 268435456")
        try store.load()
        return store
    }

    static func newer(_ path: String, _ version: Int64) -> ShopError {
        ShopError.store(
            "store-newer",
            en: "\(path) has schema version \(version), newer than this shopctl understands (\(schemaVersion)); upgrade shopctl",
            zh: "\(path) 的数据库版本 \(version) 高于本程序支持的版本 \(schemaVersion)，请升级 shopctl")
    }

    private static func createFile(_ path: String) throws {
        let dir = (path as NSString).deletingLastPathComponent
        do {
            if !dir.isEmpty {
                try FileManager.default.createDirectory(
                    atPath: dir, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            }
        } catch {
            throw ShopError.store(
                "store-open", en: "cannot create the folder \(dir): \(error.localizedDescription)",
                zh: "无法创建目录 \(dir)：\(error.localizedDescription)")
        }
        let fd = Foundation.open(path, O_CREAT | O_WRONLY | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            let reason = String(cString: strerror(errno))
            throw ShopError.store("store-open", en: "cannot create \(path): \(reason)", zh: "无法创建 \(path)：\(reason)")
        }
        fchmod(fd, 0o600)
        close(fd)
    }

    // MARK: - Creating and migrating

    /// The page size of stores created from now on (older stores keep theirs).
    public static let pageSize = 16_384

    private func create(_ c: Creation) throws {
        // The file may hold something that is not ours (user_version 0 but tables).
        let tables = try db.prepare("SELECT count(*) FROM sqlite_master").scalarInt() ?? 0
        if tables > 0 {
            throw ShopError.store(
                "store-open", en: "\(path) is an SQLite database but not a shopctl store",
                zh: "\(path) 是 SQLite 数据库，但不是 shopctl 的数据库")
        }
        // A brand-new, empty store: syncing each creation step buys nothing (a crash
        // here leaves a file the next run refuses or recreates), so creation syncs
        // once, at the end; every later write transaction runs with full syncs.
        try db.execute("PRAGMA synchronous = OFF")
        // 16 KiB pages (set before the first table; a WAL store cannot change it later): a
        // million-order import writes a fifth faster than with SQLite's default 4 KiB, and
        // scans (search, checks) read fewer pages (docs/performance.md).
        try db.execute("PRAGMA page_size = \(Store.pageSize)")
        try db.execute("PRAGMA journal_mode = WAL")
        defer { try? db.execute("PRAGMA synchronous = FULL") }
        try migrate { [self] in
            let put = try db.prepare("INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)")
            try put.run("platform", c.platform.rawValue)
            try put.run("rules", c.rules.json.serialized(pretty: false))
            try put.run("secret", SQLValue.blob(c.secret))
            try put.run("created_at", c.now.seconds)
        }
    }

    /// Applies every pending migration; `seed` runs in the first one's transaction
    /// (the store's creation), so a half-created store is never left behind.
    private func migrate(seed: (() throws -> Void)? = nil) throws {
        var seed = seed
        for m in Migrations.all {
            try db.immediateTransaction {
                let current = try db.pragmaInt("user_version")
                if current > Store.schemaVersion { throw Store.newer(path, current) }
                guard current < m.version else { return }
                try db.execute(m.sql)
                try db.execute("PRAGMA user_version = \(m.version)")
                if let s = seed {
                    try s()
                    seed = nil
                }
            }
        }
        db.clearCache()
    }

    private func load() throws {
        let get = try db.prepare("SELECT value FROM meta WHERE key = ?")
        guard let platformName = try get.scalarText(["platform"]), let p = Platform(rawValue: platformName),
            let rulesText = try get.scalarText(["rules"]),
            let secret = try get.first(["secret"], { $0.blob(0) }), secret.count == 32
        else {
            throw ShopError.store("store-corrupt", en: "\(path): store metadata is missing", zh: "\(path)：数据库元数据缺失")
        }
        self.platform = p.rawValue
        do {
            self.rules = try Rules.preset(p).overriding(with: try JSON.parse(rulesText))
        } catch {
            throw ShopError.store("store-corrupt", en: "\(path): stored rules are unreadable", zh: "\(path)：已保存的规则无法读取")
        }
        self.secret = secret
        self.createdAt = Instant(seconds: try get.scalarInt(["created_at"]) ?? 0)
    }

    // MARK: - Writing

    /// One `BEGIN IMMEDIATE` transaction for a command that writes.
    public func write<T>(_ body: () throws -> T) throws -> T {
        try db.immediateTransaction(body)
    }

    /// For an import (many rows): no memory-mapped reads, so the resident memory stays within
    /// the page cache whatever the size of the store; and no foreign-key enforcement, which
    /// doubled the cost of a catalog import (a parent lookup per product and per search row).
    /// The importers check every reference themselves (a product's supplier is known and
    /// admitted, its search row gets the id just inserted), and `shopctl check` runs SQLite's
    /// `foreign_key_check` over the whole store.
    public func prepareForBulkWrite() throws {
        try db.execute("PRAGMA mmap_size = 0")
        try db.execute("PRAGMA cache_size = -16384")
        try db.execute("PRAGMA foreign_keys = OFF")
    }

    /// `PRAGMA integrity_check` — "ok" or the first problem.
    public func integrityCheck() throws -> String {
        try db.prepare("PRAGMA integrity_check").scalarText() ?? "?"
    }
}

// MARK: - Levels

extension Store {
    /// The shop's level for the month of `now`: the fixed one, or (before anything fixed it)
    /// the one the rules give from last month's GMV. Reading never fixes a level.
    public func currentLevel(of shop: Shop, now: Instant) throws -> String {
        let ledger = Ledger(store: self)
        let m = ledger.month(of: now)
        if let fixed = try ledger.level(shopID: shop.shopID, month: m) { return fixed }
        return try MonthRules.level(of: m, opened: ledger.month(of: shop.openedAt), rules: rules) {
            try ledger.gmv(shopID: shop.shopID, month: m.previous)
        }.name
    }
}
