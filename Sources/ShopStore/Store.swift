import CSQLite
import Codecs
import Foundation
import ShopKit

/// The shop's store: one SQLite file with the schema of `Migrations`.
///
///     let store = try Store.open(path: "~/.local/share/shopctl/shop.db", access: .write, creation: creation)
///     try store.write { try store.shops.insert(shop) }
///     let reader = try Store.open(path: path, access: .read)   // never creates, upgrades or checkpoints
///
/// A file is identified (`StoreFile.identify`) before anything may write to it: anything that is
/// not a shopctl store is refused untouched (`not-a-store`), a newer schema `store-newer`. A new
/// store is built whole in a temporary file beside it and published atomically
/// (`Store.create`): the file mode 0600, its folders, WAL, every migration, the platform, its
/// rules and a 32-byte secret. Opening for writing upgrades an older store (and marks one made
/// before `application_id` existed) and makes the store, its `-wal`, `-shm` and `-lock` mode 0600.
public final class Store {
    public static let schemaVersion = Migrations.all.last!.version
    /// How long a writer waits for another one (a million-order import holds the write lock
    /// for about 20 s on a small machine); readers never wait in WAL mode.
    public static let busyTimeoutMilliseconds: Int32 = 60_000

    /// What a command does with the store.
    public enum Access: Sendable, Equatable {
        /// Reads only: never creates, upgrades or checkpoints (SQLite opened read-only); a missing
        /// store is `no-store`, an older schema `store-outdated`.
        case read
        /// Reads only, any schema version this binary recognises, older ones included: for
        /// copying pages (`backup`).
        case readAnyVersion
        /// Writes (upgrading an older store first) but never creates: a missing store is `no-store`.
        case existing
        /// Writes, creating the store on first use.
        case write
        /// A dry run (`--dry-run`): writes inside transactions that are always rolled back, so
        /// nothing is ever stored. Never creates (`no-store`), never upgrades (an older schema is
        /// `store-outdated`) and never checkpoints.
        case trial

        public var writes: Bool { self == .existing || self == .write || self == .trial }
    }

    public let db: Database
    /// The path as given (messages name it).
    public let path: String
    public let access: Access
    /// The schema version the store had when it was opened (before any upgrade).
    public private(set) var openedVersion: Int = Store.schemaVersion
    /// Whether this process created the store.
    public private(set) var created = false
    public private(set) var platform: String
    public private(set) var rules: Rules
    public private(set) var secret: [UInt8]
    public private(set) var createdAt: Instant

    public lazy var shops = ShopRepository(db: db)
    public lazy var catalog = CatalogRepository(db: db)
    public lazy var picks = PickRepository(db: db)
    public lazy var shares = ShareRepository(db: db)
    public lazy var orders = OrderRepository(db: db)

    init(db: Database, path: String, access: Access) {
        self.db = db
        self.path = path
        self.access = access
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

    /// Whether a store exists at `path` (false: no file, or 0 bytes); throws `not-a-store` for a
    /// file that is not one.
    public static func exists(at path: String) throws -> Bool {
        try StoreFile.identify(path) != .none
    }

    /// Opens the store at `path` for `access`; `.write` creates it with `creation` when there is none.
    /// - Parameter mustCreate: `init`'s mode — an existing store is refused `already-initialized`.
    public static func open(
        path: String, access: Access = .write, creation: Creation? = nil, mustCreate: Bool = false
    ) throws -> Store {
        precondition(access != .write || creation != nil, "a store opened to write may be created: give its creation")
        precondition(!mustCreate || access == .write, "only a writer creates")
        let file = StoreFile.resolve(path)
        if access.writes { try WriteQueue.refuseUnsafeLockFile(storePath: file, shown: path) }
        var kind = try StoreFile.identify(path)
        var created = false
        if kind == .none {
            guard access == .write, let creation else { throw StoreFile.noStore(path) }
            created = try create(path: path, file: file, creation: creation, mustCreate: mustCreate)
            kind = try StoreFile.identify(path)
        } else if mustCreate {
            throw alreadyInitialized(path)
        }
        guard case .store(let version, _) = kind else { throw StoreFile.noStore(path) }
        if access == .read && version < schemaVersion { throw StoreFile.outdated(path, version) }
        if access == .trial && version < schemaVersion { throw StoreFile.outdatedForDryRun(path, version) }

        // Made private before SQLite opens them (it makes a missing -wal and -shm with the store's mode).
        if access.writes { StoreFile.restrictModes(file) }
        let db = try Database(path: file, create: false, readOnly: !access.writes, noCheckpointOnClose: true)
        if !access.writes { db.removesSidecarsItMade(file) }
        db.setBusyTimeout(milliseconds: busyTimeoutMilliseconds)
        // The version again, through the connection (a WAL may hold a newer header), before anything writes.
        let current = Int(try db.pragmaInt("user_version"))
        let appID = Int32(truncatingIfNeeded: try db.pragmaInt("application_id"))
        if current > schemaVersion { throw newer(path, Int64(current)) }
        if appID != (current >= StoreFile.firstMarkedVersion ? StoreFile.applicationID : 0) {
            throw StoreFile.notAStore(
                path, en: "application_id \(appID) at version \(current)", zh: "版本 \(current) 的 application_id 为 \(appID)")
        }
        if access == .read && current < schemaVersion { throw StoreFile.outdated(path, current) }
        if access == .trial && current < schemaVersion { throw StoreFile.outdatedForDryRun(path, current) }
        let store = Store(db: db, path: path, access: access)
        store.openedVersion = current
        store.created = created
        if access.writes && access != .trial {
            if current < schemaVersion { try store.migrate() }
            db.noCheckpointOnClose = false
            try db.execute("PRAGMA foreign_keys = ON")
        }
        // Large imports keep their working set in memory instead of spilling to the WAL.
        try db.execute("PRAGMA cache_size = -32768")
        try db.execute("PRAGMA temp_store = MEMORY")
        try db.execute("PRAGMA mmap_size = 268435456")
        try store.load()
        return store
    }

    static func alreadyInitialized(_ path: String) -> ShopError {
        ShopError.rule("already-initialized", en: "a store already exists at \(path)", zh: "数据库已存在：\(path)")
    }

    static func newer(_ path: String, _ version: Int64) -> ShopError {
        ShopError.store(
            "store-newer",
            en: "\(path) has schema version \(version), newer than this shopctl understands (\(schemaVersion)); upgrade shopctl",
            zh: "\(path) 的数据库版本 \(version) 高于本程序支持的版本 \(schemaVersion)，请升级 shopctl")
    }

    // MARK: - Creating and migrating

    /// The page size of stores created from now on (older stores keep theirs).
    public static let pageSize = 16_384

    /// Builds a whole new store in the empty file `tmp` (see `Store.create`).
    func build(_ c: Creation) throws {
        // The file is thrown away unless the whole store is built: syncing each step buys nothing,
        // so the build runs without syncs and the file is synced once before it is published.
        try db.execute("PRAGMA synchronous = OFF")
        // 16 KiB pages (set before the first table; a WAL store cannot change it later): a
        // million-order import writes a fifth faster than with SQLite's default 4 KiB, and
        // scans (search, checks) read fewer pages (docs/performance.md).
        try db.execute("PRAGMA page_size = \(Store.pageSize)")
        try db.execute("PRAGMA journal_mode = WAL")
        try migrate { [self] in
            let put = try db.prepare("INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)")
            try put.run("platform", c.platform.rawValue)
            try put.run("rules", c.rules.json.serialized(pretty: false))
            try put.run("secret", SQLValue.blob(c.secret))
            try put.run("created_at", c.now.seconds)
        }
        // Everything into the file itself, so that closing leaves no -wal to publish with it.
        let busy = try db.prepare("PRAGMA wal_checkpoint(TRUNCATE)").first { $0.int(0) } ?? 1
        if busy != 0 {
            throw ShopError.store("store-open", en: "cannot finish the new store \(path)", zh: "无法完成新数据库 \(path)")
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
    /// A store opened for a dry run (`.trial`) rolls the transaction back instead of committing:
    /// `body`'s result is returned and nothing is stored.
    public func write<T>(_ body: () throws -> T) throws -> T {
        precondition(access.writes, "a store opened to read is never written")
        return try db.immediateTransaction(commit: access != .trial, body)
    }

    /// For an import (many rows): no memory-mapped reads, so the resident memory stays within
    /// the page cache whatever the size of the store; and no foreign-key enforcement, which
    /// doubled the cost of a catalog import (a parent lookup per product and per search row).
    /// The importers check every reference themselves (a product's supplier is known and
    /// admitted, its search row gets the id just inserted), and `shopctl check` runs SQLite's
    /// `foreign_key_check` over the whole store. Temporary files on disk (the page cache): a
    /// statement journal is kept in memory or not as the transaction begins, and an orders
    /// import that drops the indexes of a store holding a million orders journals 39 MiB of
    /// their pages (docs/performance.md).
    ///
    /// And the WAL's pages start going to disk as the import writes them (`EarlyWriteback`), and
    /// the store's as the closing checkpoint copies them there, instead of all at an `fsync`
    /// after the last row, while nothing else can run.
    public func prepareForBulkWrite() throws {
        try db.execute("PRAGMA mmap_size = 0")
        try db.execute("PRAGMA cache_size = -16384")
        try db.execute("PRAGMA temp_store = FILE")
        try db.execute("PRAGMA foreign_keys = OFF")
        guard writeback == nil, access != .trial else { return }
        let w = EarlyWriteback(path: db.path + "-wal", store: Database.fileKey(db.path).map { (db.path, $0) })
        writeback = w
        let before = db.afterClose
        db.afterClose = {
            before?()
            w.stop()
        }
        w.start()
    }

    private var writeback: EarlyWriteback?

    /// `PRAGMA integrity_check` — "ok" or the first problem.
    public func integrityCheck() throws -> String {
        try db.prepare("PRAGMA integrity_check").scalarText() ?? "?"
    }
}
