import CSQLite
import Foundation
import ShopKit

let SQLITE_TRANSIENT = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

/// One SQLite connection.
///
///     let db = try Database(path: "/tmp/shop.db")
///     try db.execute("CREATE TABLE t(x)")
///     let st = try db.prepare("INSERT INTO t VALUES (?)")
///     try st.run(42)
///
/// Errors from SQLite are `ShopError` of kind `.store` (exit 5) carrying SQLite's
/// result code in the message; constraint violations are programmer errors unless
/// a repository maps them to a user-facing refusal first.
public final class Database {
    let handle: OpaquePointer
    public let path: String
    private var cache: [SQLKey: Statement] = [:]

    private static let configured: Int32 = shopctl_sqlite_configure()

    /// - Parameters:
    ///   - uri: a `file:` URI to open instead of `path` (`immutable=1` and the like); `path` still
    ///     names the store in messages and its lock file.
    ///   - noCheckpointOnClose: closing never checkpoints the WAL into the file (set before the
    ///     first read, so a store is not changed before it is known to be one this binary writes).
    public init(
        path: String, create: Bool = true, readOnly: Bool = false, uri: String? = nil, noCheckpointOnClose: Bool = false
    ) throws {
        _ = Database.configured
        var h: OpaquePointer?
        var flags = readOnly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE
        if create && !readOnly { flags |= SQLITE_OPEN_CREATE }
        flags |= SQLITE_OPEN_NOMUTEX
        if uri != nil { flags |= SQLITE_OPEN_URI }
        let rc = sqlite3_open_v2(uri ?? path, &h, flags, nil)
        guard rc == SQLITE_OK, let handle = h else {
            let msg = h.map { String(cString: sqlite3_errmsg($0)) } ?? "out of memory"
            if let h { sqlite3_close_v2(h) }
            throw ShopError.store(
                "store-open", en: "cannot open the store \(path): \(msg) (SQLite \(rc))",
                zh: "无法打开数据库 \(path)：\(msg)（SQLite \(rc)）")
        }
        self.handle = handle
        self.path = path
        sqlite3_extended_result_codes(handle, 1)
        // Set through SQLite here: a property observer does not run for an assignment in the
        // class's own initializer, so `self.noCheckpointOnClose = true` alone left SQLite's
        // checkpoint on close in place.
        if noCheckpointOnClose {
            self.noCheckpointOnClose = true
            _ = shopctl_no_checkpoint_on_close(handle, 1)
        }
        fileKey = path == ":memory:" || path.isEmpty ? nil : Database.fileKey(path)
        if let fileKey { Database.register(fileKey, +1) }
    }

    deinit {
        recent.removeAll()
        for st in cache.values { st.finalize() }
        cache.removeAll()
        sqlite3_close_v2(handle)
        for f in feeds.values { f.release() }
        if let fileKey { Database.register(fileKey, -1) }
        afterClose?()
    }

    // MARK: - Connections of this process, per file

    private let fileKey: String?
    private static let registryLock = NSLock()
    nonisolated(unsafe) private static var connections: [String: Int] = [:]

    /// The file's device and inode ("dev:ino"), nil when it does not exist.
    static func fileKey(_ path: String) -> String? {
        var st = stat()
        guard stat(path, &st) == 0 else { return nil }
        return "\(st.st_dev):\(st.st_ino)"
    }

    /// Descriptors of files that connections of this process have open, to be closed once none
    /// has (`closeWhenUnused`).
    nonisolated(unsafe) private static var pendingCloses: [String: [Int32]] = [:]

    private static func register(_ key: String, _ delta: Int) {
        registryLock.lock()
        connections[key, default: 0] += delta
        var unused: [Int32] = []
        if connections[key] == 0 {
            connections[key] = nil
            unused = pendingCloses.removeValue(forKey: key) ?? []
        }
        registryLock.unlock()
        for fd in unused { close(fd) }
    }

    /// Closes `fd`, a descriptor of our own on the file `key` names, once no connection of this
    /// process has that file open: closing any descriptor of a file drops every POSIX lock the
    /// process holds on it — SQLite's included.
    static func closeWhenUnused(_ fd: Int32, key: String) {
        registryLock.lock()
        if connections[key] != nil {
            pendingCloses[key, default: []].append(fd)
            registryLock.unlock()
            return
        }
        registryLock.unlock()
        close(fd)
    }

    /// How many connections of this process have the file open.
    static func openConnections(to key: String) -> Int {
        registryLock.lock()
        defer { registryLock.unlock() }
        return connections[key] ?? 0
    }

    /// Closing the connection never checkpoints the WAL into the database file (nor deletes it).
    public var noCheckpointOnClose: Bool = false {
        didSet { _ = shopctl_no_checkpoint_on_close(handle, noCheckpointOnClose ? 1 : 0) }
    }

    /// Runs once the connection is closed (a read-only opener removes the `-wal`/`-shm` it made).
    var afterClose: (() -> Void)?

    private var feeds: [String: Feed] = [:]

    /// The feed `name` of this connection (registered on first use, kept until it closes).
    public func feed(_ name: String, columns: [String]) throws -> Feed {
        if let f = feeds[name] { return f }
        let f = try Feed(db: handle, name: name, columns: columns)
        feeds[name] = f
        return f
    }

    // MARK: - Errors

    func error(_ rc: Int32, _ sql: String? = nil) -> ShopError {
        let msg = String(cString: sqlite3_errmsg(handle))
        let primary = rc & 0xFF
        if primary == SQLITE_BUSY || primary == SQLITE_LOCKED {
            return ShopError.store(
                "store-locked", en: "the store is locked by another shopctl process; try again (SQLite \(rc))",
                zh: "数据库正被另一个 shopctl 进程占用，请稍后重试（SQLite \(rc)）")
        }
        if primary == SQLITE_NOTADB || primary == SQLITE_CORRUPT {
            return ShopError.store(
                "store-corrupt", en: "\(path) is not a shopctl store or is damaged: \(msg) (SQLite \(rc))",
                zh: "\(path) 不是 shopctl 数据库或已损坏：\(msg)（SQLite \(rc)）")
        }
        if primary == SQLITE_CANTOPEN {
            // A file of the store (its -wal or -shm) could not be opened: code `store-open`, as when
            // the store itself cannot be (StoreFile.identify looks again when this was a race).
            return ShopError.store(
                "store-open", en: "cannot open the store's files: \(msg) (SQLite \(rc))",
                zh: "无法打开数据库的文件：\(msg)（SQLite \(rc)）")
        }
        return ShopError.store(
            "store-error", en: "store error: \(msg) (SQLite \(rc))", zh: "数据库错误：\(msg)（SQLite \(rc)）")
    }

    func check(_ rc: Int32, _ sql: String? = nil) throws {
        if rc != SQLITE_OK && rc != SQLITE_DONE && rc != SQLITE_ROW { throw error(rc, sql) }
    }

    // MARK: - Executing

    public func execute(_ sql: String) throws {
        var err: UnsafeMutablePointer<CChar>?
        let rc = sqlite3_exec(handle, sql, nil, nil, &err)
        if let err { sqlite3_free(err) }
        try check(rc, sql)
    }

    /// A prepared statement, cached per connection by its SQL text.
    public func prepare(_ sql: String) throws -> Statement {
        // Hot loops prepare the same few statements again and again: a short list compared by
        // length first answers them without hashing the SQL text.
        let n = sql.utf8.count
        for (i, entry) in recent.enumerated() where entry.length == n && entry.sql == sql {
            if i > 0 { recent.swapAt(i, i - 1) }
            entry.statement.reset()
            return entry.statement
        }
        let st = try prepareCached(sql)
        if recent.count >= 12 { recent.removeLast() }
        recent.insert((n, sql, st), at: 0)
        return st
    }

    private var recent: [(length: Int, sql: String, statement: Statement)] = []

    private func prepareCached(_ sql: String) throws -> Statement {
        let key = SQLKey(sql)
        if let st = cache[key] {
            st.reset()
            return st
        }
        var p: OpaquePointer?
        let rc = sqlite3_prepare_v2(handle, sql, -1, &p, nil)
        guard rc == SQLITE_OK, let p else { throw error(rc, sql) }
        let st = Statement(db: self, handle: p)
        cache[key] = st
        return st
    }

    /// Drops cached statements (after a schema change).
    public func clearCache() {
        recent.removeAll()
        for st in cache.values { st.finalize() }
        cache.removeAll()
    }

    public var changes: Int { Int(sqlite3_changes(handle)) }
    public var lastInsertRowID: Int64 { sqlite3_last_insert_rowid(handle) }

    /// How long a statement waits for a lock; a write transaction waits at most this long in all,
    /// in the write queue and then for SQLite's lock.
    public private(set) var busyTimeoutMilliseconds: Int32 = 0

    public func setBusyTimeout(milliseconds: Int32) {
        busyTimeoutMilliseconds = milliseconds
        sqlite3_busy_timeout(handle, milliseconds)
    }

    /// Writers of this store take turns in arrival order (`WriteQueue`); nil for a store
    /// without a usable lock file.
    private lazy var writeQueue: WriteQueue? = WriteQueue(storePath: path)

    /// `PRAGMA name` read as an integer.
    public func pragmaInt(_ name: String) throws -> Int64 {
        try prepare("PRAGMA \(name)").scalarInt() ?? 0
    }

    // MARK: - Transactions

    /// Runs `body` in one `BEGIN IMMEDIATE` transaction: committed when it returns,
    /// rolled back when it throws. The transaction starts after the writers that were waiting
    /// for the store before it (`WriteQueue`), within the busy timeout in all.
    /// With `commit` false the transaction is rolled back when `body` returns (a dry run).
    public func immediateTransaction<T>(commit: Bool = true, _ body: () throws -> T) throws -> T {
        let start = Date()
        let queue = busyTimeoutMilliseconds > 0 ? writeQueue : nil
        let ticket = queue?.wait(until: start.addingTimeInterval(Double(busyTimeoutMilliseconds) / 1000))
        defer { ticket.map { queue?.leave($0) } }
        if ticket != nil {
            let waited = Int32(min(Date().timeIntervalSince(start) * 1000, Double(busyTimeoutMilliseconds)))
            sqlite3_busy_timeout(handle, max(1, busyTimeoutMilliseconds - waited))
        }
        let begun = Result { try execute("BEGIN IMMEDIATE") }
        sqlite3_busy_timeout(handle, busyTimeoutMilliseconds)
        try begun.get()
        do {
            let result = try body()
            try execute(commit ? "COMMIT" : "ROLLBACK")
            return result
        } catch {
            try? execute("ROLLBACK")
            throw error
        }
    }
}

/// `s` as SQLite takes text: a pointer to its UTF-8 bytes and their count, without the copy and
/// `strlen` of a C string (and a real, empty string for "", never NULL). SQLite must copy it
/// (`SQLITE_TRANSIENT`): the pointer lives only inside `body`.
func withSQLiteText<R>(_ s: String, _ body: (UnsafePointer<CChar>, Int32) -> R) -> R {
    var s = s
    return s.withUTF8 { u in
        guard let p = u.baseAddress, u.count > 0 else { return body("", 0) }
        return p.withMemoryRebound(to: CChar.self, capacity: u.count) { body($0, Int32(u.count)) }
    }
}

/// A value bound to or read from SQLite.
public enum SQLValue: Sendable, Equatable {
    case null
    case int(Int64)
    case text(String)
    case blob([UInt8])
}

public protocol SQLBindable {
    var sqlValue: SQLValue { get }
}
extension Int: SQLBindable { public var sqlValue: SQLValue { .int(Int64(self)) } }
extension Int64: SQLBindable { public var sqlValue: SQLValue { .int(self) } }
extension Bool: SQLBindable { public var sqlValue: SQLValue { .int(self ? 1 : 0) } }
extension String: SQLBindable { public var sqlValue: SQLValue { .text(self) } }
extension SQLValue: SQLBindable { public var sqlValue: SQLValue { self } }
extension Optional: SQLBindable where Wrapped: SQLBindable {
    public var sqlValue: SQLValue { self?.sqlValue ?? .null }
}
extension Money: SQLBindable { public var sqlValue: SQLValue { .int(fen) } }
extension Instant: SQLBindable { public var sqlValue: SQLValue { .int(seconds) } }

/// A prepared statement; rows are read through `Row` inside `forEach`/`first`.
public final class Statement {
    /// Statements live in their database's cache and are finalized by its deinit, so this
    /// reference never outlives the database (and costs no reference counting per row).
    unowned(unsafe) let db: Database
    let handle: OpaquePointer

    init(db: Database, handle: OpaquePointer) {
        self.db = db
        self.handle = handle
    }

    func finalize() { sqlite3_finalize(handle) }

    public func reset() {
        sqlite3_reset(handle)
        sqlite3_clear_bindings(handle)
    }

    public func bind(_ values: [SQLBindable]) throws {
        sqlite3_reset(handle)
        sqlite3_clear_bindings(handle)
        for (i, v) in values.enumerated() {
            let idx = Int32(i + 1)
            let rc: Int32
            switch v.sqlValue {
            case .null: rc = sqlite3_bind_null(handle, idx)
            case .int(let n): rc = sqlite3_bind_int64(handle, idx, n)
            case .text(let s): rc = sqlite3_bind_text(handle, idx, s, -1, SQLITE_TRANSIENT)
            case .blob(let b):
                rc = b.withUnsafeBytes { sqlite3_bind_blob(handle, idx, $0.baseAddress, Int32(b.count), SQLITE_TRANSIENT) }
            }
            try db.check(rc)
        }
    }

    // Binding one parameter at a time, for hot loops (no array of existentials per row).
    // Parameters are 1-based; the statement keeps them until the next `bind`/`step`.

    public func bind(_ i: Int32, _ v: Int64) { sqlite3_bind_int64(handle, i, v) }
    public func bind(_ i: Int32, _ v: Int64?) {
        if let v { sqlite3_bind_int64(handle, i, v) } else { sqlite3_bind_null(handle, i) }
    }
    public func bind(_ i: Int32, _ s: String) {
        _ = withSQLiteText(s) { sqlite3_bind_text(handle, i, $0, $1, SQLITE_TRANSIENT) }
    }

    /// Runs the statement bound with `bind(_:_:)`; true when it returned a row (read it in
    /// `row` before the next step). Resets it when done.
    @discardableResult
    public func step() throws -> Bool {
        let rc = sqlite3_step(handle)
        if rc == SQLITE_ROW { return true }
        sqlite3_reset(handle)
        if rc != SQLITE_DONE { throw db.error(rc) }
        return false
    }

    /// The current row after `step()` returned true; call `reset()` when done with it.
    public var row: Row { Row(handle: handle) }

    /// Executes a statement that returns no rows.
    public func run(_ values: SQLBindable...) throws { try run(values) }

    public func run(_ values: [SQLBindable]) throws {
        try bind(values)
        let rc = sqlite3_step(handle)
        defer { sqlite3_reset(handle) }
        if rc != SQLITE_DONE && rc != SQLITE_ROW { throw db.error(rc) }
    }

    /// Calls `body` for every row.
    public func forEach(_ values: [SQLBindable] = [], _ body: (Row) throws -> Void) throws {
        try bind(values)
        defer { sqlite3_reset(handle) }
        while true {
            let rc = sqlite3_step(handle)
            if rc == SQLITE_DONE { break }
            guard rc == SQLITE_ROW else { throw db.error(rc) }
            try body(Row(handle: handle))
        }
    }

    public func map<T>(_ values: [SQLBindable] = [], _ body: (Row) throws -> T) throws -> [T] {
        var out: [T] = []
        try forEach(values) { out.append(try body($0)) }
        return out
    }

    public func first<T>(_ values: [SQLBindable] = [], _ body: (Row) throws -> T) throws -> T? {
        try bind(values)
        defer { sqlite3_reset(handle) }
        let rc = sqlite3_step(handle)
        if rc == SQLITE_DONE { return nil }
        guard rc == SQLITE_ROW else { throw db.error(rc) }
        return try body(Row(handle: handle))
    }

    public func scalarInt(_ values: [SQLBindable] = []) throws -> Int64? {
        try first(values) { $0.isNull(0) ? nil : $0.int(0) } ?? nil
    }

    public func scalarText(_ values: [SQLBindable] = []) throws -> String? {
        try first(values) { $0.optionalText(0) } ?? nil
    }
}

/// The current row of a statement; valid only inside the callback.
public struct Row {
    let handle: OpaquePointer
    public var columnCount: Int32 { sqlite3_column_count(handle) }
    public func isNull(_ i: Int32) -> Bool { sqlite3_column_type(handle, i) == SQLITE_NULL }
    public func int(_ i: Int32) -> Int64 { sqlite3_column_int64(handle, i) }
    public func bool(_ i: Int32) -> Bool { sqlite3_column_int64(handle, i) != 0 }
    public func text(_ i: Int32) -> String {
        guard let p = sqlite3_column_text(handle, i) else { return "" }
        return String(cString: p)
    }
    public func optionalText(_ i: Int32) -> String? { isNull(i) ? nil : text(i) }
    public func optionalInt(_ i: Int32) -> Int64? { isNull(i) ? nil : int(i) }
    public func blob(_ i: Int32) -> [UInt8] {
        let n = Int(sqlite3_column_bytes(handle, i))
        guard n > 0, let p = sqlite3_column_blob(handle, i) else { return [] }
        return Array(UnsafeRawBufferPointer(start: p, count: n))
    }
    public func money(_ i: Int32) -> Money { Money(fen: int(i)) }
    public func instant(_ i: Int32) -> Instant { Instant(seconds: int(i)) }
}

/// A statement cache key that hashes only the length and the ends of the SQL text
/// (hashing whole statements on every row showed up in import profiles); equality
/// still compares the full text, so two statements never share an entry.
struct SQLKey: Hashable {
    let sql: String
    init(_ sql: String) { self.sql = sql }
    func hash(into h: inout Hasher) {
        let u = sql.utf8
        var sample: UInt64 = UInt64(u.count)
        var i = 0
        for b in u.suffix(40) {
            sample = sample &* 31 &+ UInt64(b) &+ UInt64(i)
            i += 1
        }
        for b in u.prefix(16) { sample = sample &* 131 &+ UInt64(b) }
        h.combine(sample)
    }
    static func == (a: SQLKey, b: SQLKey) -> Bool { a.sql == b.sql }
}
