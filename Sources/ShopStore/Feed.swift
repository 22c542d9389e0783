import CSQLite
import Foundation
import ShopKit

/// A batch of rows that SQLite reads as an eponymous virtual table (`shim.h`): an import fills
/// the batch and runs one `INSERT … SELECT … FROM name`, so the target's B-tree cursors stay
/// positioned across the batch (a statement per row opens and seeks them again every time).
/// The rows are encoded beforehand (`FeedRowEncoder`, on any thread) and read in place by C:
/// no Swift code runs for the values SQLite reads.
///
///     var encoder = FeedRowEncoder(columns: 2)
///     encoder.text("O1001"); encoder.int(2)
///     let row = encoder.finish()
///     let feed = try db.feed("order_feed", columns: ["order_id", "quantity"])
///     try feed.with([row]) { try db.prepare("INSERT INTO t(id, q) SELECT * FROM order_feed").run() }
public final class Feed {
    public let name: String
    public let columns: Int
    let pointer: UnsafeMutablePointer<shopctl_feed>
    private let schema: UnsafeMutablePointer<CChar>

    init(db: OpaquePointer, name: String, columns: [String]) throws {
        precondition(columns.count <= FeedRowEncoder.maxColumns, "a feed has at most \(FeedRowEncoder.maxColumns) columns")
        self.name = name
        self.columns = columns.count
        schema = strdup("CREATE TABLE x(\(columns.joined(separator: ", ")))")!
        pointer = .allocate(capacity: 1)
        pointer.initialize(to: shopctl_feed(rows: nil, count: 0, schema: schema))
        let rc = shopctl_register_feed(db, name, pointer)
        if rc != SQLITE_OK {
            release()
            throw ShopError.store("store-error", en: "cannot register \(name) (SQLite \(rc))", zh: "无法注册 \(name)（SQLite \(rc)）")
        }
    }

    /// Runs `body` (the statement that reads the feed) with `rows` as the feed's batch; the
    /// feed is empty again afterwards.
    public func with<R>(_ rows: [FeedRow], _ body: () throws -> R) rethrows -> R {
        let pointers = rows.map { row -> UnsafePointer<Int64>? in
            precondition(row.columns == columns, "a row of \(row.columns) columns for the \(columns) of \(name)")
            return row.words
        }
        return try withExtendedLifetime(rows) {
            try pointers.withUnsafeBufferPointer { p in
                pointer.pointee.rows = p.baseAddress
                pointer.pointee.count = Int64(p.count)
                defer {
                    pointer.pointee.rows = nil
                    pointer.pointee.count = 0
                }
                return try body()
            }
        }
    }

    /// Frees the C side; only after the connection has closed.
    func release() {
        pointer.deinitialize(count: 1)
        pointer.deallocate()
        free(schema)
    }
}

extension Database {
    /// Stores a batch of feed rows with `insert` — an `INSERT OR FAIL INTO table … SELECT … FROM`
    /// `feed` that skips rows whose key is known (`ON CONFLICT(…) DO NOTHING`) — and tells, for
    /// each row, whether it was stored: every one when SQLite counts as many changes; otherwise
    /// those whose key (`key(i)` of row i) is on a row given a new row id (row ids grow past the
    /// largest), the first of the batch's rows with that key.
    func insert(
        _ rows: [FeedRow], from feed: Feed, with insert: Statement, table: String, keyColumn: String, key: (Int) -> String
    ) throws -> [Bool] {
        let before = try prepare("SELECT coalesce(max(rowid), 0) FROM \(table)").scalarInt() ?? 0
        try feed.with(rows) { try insert.run() }
        if changes == rows.count { return Array(repeating: true, count: rows.count) }
        // The stored rows, in row id order, are a subsequence of the feed's (SQLite stores them in
        // the order it reads them, each given the next row id): row i was stored when its key is
        // the next stored one. A key the batch holds twice is stored once — for its first row.
        var storedKeys: [String] = []
        try prepare("SELECT \(keyColumn) FROM \(table) WHERE rowid > ? ORDER BY rowid").forEach([before]) {
            storedKeys.append($0.text(0))
        }
        var next = 0
        return rows.indices.map { i in
            guard next < storedKeys.count, storedKeys[next] == key(i) else { return false }
            next += 1
            return true
        }
    }
}

/// One row encoded for a feed (see `shopctl_feed` in `shim.h` for the layout). It keeps the
/// memory it lives in, and never changes once made, so it can be made on one thread and read
/// on another.
public struct FeedRow: @unchecked Sendable {
    let block: FeedBlock
    let words: UnsafePointer<Int64>
    let columns: Int
}

/// Memory that encoded rows are written into one after another (one allocation for many
/// rows); freed when the last row in it is gone.
final class FeedBlock {
    let words: UnsafeMutablePointer<Int64>
    let capacity: Int
    var used = 0

    init(capacity: Int) {
        self.capacity = capacity
        words = .allocate(capacity: capacity)
    }

    deinit { words.deallocate() }
}

/// Encodes feed rows, one value per column in the feed's column order:
///
///     var e = FeedRowEncoder(columns: 3)
///     e.text("P1001"); e.int(12_900); e.int(nil)   // nil: SQL NULL
///     let row = e.finish()
///
/// One encoder per thread, used in place (`var`, `inout`): a copy shares the memory the row being
/// encoded is gathered in, so two copies must not encode rows at the same time.
public struct FeedRowEncoder {
    /// Two bits of the first word per column.
    public static let maxColumns = 32
    static let blockWords = 1 << 15

    public let columns: Int
    private var kinds: UInt64 = 0
    private var next = 0
    /// The row being encoded: its values, and its texts one after another (plain memory, not
    /// arrays: a row of an import appends half a dozen texts, and an array's uniqueness checks
    /// and growth were a third of the encoding).
    private let scratch: Scratch
    private var block = FeedBlock(capacity: FeedRowEncoder.blockWords)

    final class Scratch {
        let values: UnsafeMutablePointer<Int64>
        @exclusivity(unchecked) var text: UnsafeMutableRawPointer
        @exclusivity(unchecked) var textCapacity = 256
        @exclusivity(unchecked) var textCount = 0

        init(columns: Int) {
            values = .allocate(capacity: columns)
            values.initialize(repeating: 0, count: columns)
            text = .allocate(byteCount: textCapacity, alignment: 8)
        }

        func append(_ u: UnsafeBufferPointer<UInt8>) {
            if textCount + u.count > textCapacity {
                var capacity = textCapacity * 2
                while capacity < textCount + u.count { capacity *= 2 }
                let grown = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 8)
                grown.copyMemory(from: text, byteCount: textCount)
                text.deallocate()
                text = grown
                textCapacity = capacity
            }
            if let base = u.baseAddress { (text + textCount).copyMemory(from: base, byteCount: u.count) }
            textCount += u.count
        }

        deinit {
            values.deallocate()
            text.deallocate()
        }
    }

    public init(columns: Int) {
        precondition(columns > 0 && columns <= Self.maxColumns, "a feed row has 1 to \(Self.maxColumns) columns")
        self.columns = columns
        scratch = Scratch(columns: columns)
    }

    public mutating func int(_ v: Int64) {
        precondition(next < columns, "more values than the feed row's \(columns) columns")
        scratch.values[next] = v
        next += 1
    }

    public mutating func int(_ v: Int64?) {
        if let v { int(v) } else { null() }
    }

    public mutating func null() {
        precondition(next < columns, "more values than the feed row's \(columns) columns")
        kinds |= 2 << (2 * UInt64(next))
        next += 1
    }

    public mutating func text(_ s: String) {
        precondition(next < columns, "more values than the feed row's \(columns) columns")
        let scratch = self.scratch
        let at = next
        let columns = self.columns
        func put(_ u: UnsafeBufferPointer<UInt8>) {
            scratch.values[at] = Int64((1 + columns) * 8 + scratch.textCount) << 32 | Int64(u.count)
            scratch.append(u)
        }
        if s.utf8.withContiguousStorageIfAvailable(put) == nil {
            var s = s
            s.withUTF8(put)
        }
        kinds |= 1 << (2 * UInt64(next))
        next += 1
    }

    /// The row of the values given since the last `finish`.
    public mutating func finish() -> FeedRow {
        precondition(next == columns, "\(next) values for a feed row of \(columns) columns")
        let textCount = scratch.textCount
        let size = 1 + columns + (textCount + 7) / 8
        if block.capacity - block.used < size { block = FeedBlock(capacity: max(Self.blockWords, size)) }
        let row = block.words + block.used
        row[0] = Int64(bitPattern: kinds)
        (row + 1).update(from: scratch.values, count: columns)
        if textCount > 0 { UnsafeMutableRawPointer(row + 1 + columns).copyMemory(from: scratch.text, byteCount: textCount) }
        block.used += size
        kinds = 0
        next = 0
        scratch.textCount = 0
        return FeedRow(block: block, words: UnsafePointer(row), columns: columns)
    }
}
