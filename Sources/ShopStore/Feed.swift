import CSQLite
import Foundation
import ShopKit

/// A batch of rows that SQLite reads as an eponymous virtual table (`shim.h`): an import fills
/// the batch and runs one `INSERT … SELECT … FROM name`, so the target's B-tree cursors stay
/// positioned across the batch (a statement per row opens and seeks them again every time).
///
///     let feed = try db.feed("order_feed", columns: ["order_id", "quantity"])
///     feed.provide(context: Unmanaged.passUnretained(rows).toOpaque(), count: n, column: rowColumn)
///     try db.prepare("INSERT INTO t(id, q) SELECT * FROM order_feed").run()
///     feed.clear()
public final class Feed {
    public let name: String
    let pointer: UnsafeMutablePointer<shopctl_feed>
    private let schema: UnsafeMutablePointer<CChar>

    init(db: OpaquePointer, name: String, columns: [String]) throws {
        self.name = name
        schema = strdup("CREATE TABLE x(\(columns.joined(separator: ", ")))")!
        pointer = .allocate(capacity: 1)
        pointer.initialize(to: shopctl_feed(context: nil, count: 0, schema: schema, column: emptyColumn))
        let rc = shopctl_register_feed(db, name, pointer)
        if rc != SQLITE_OK {
            release()
            throw ShopError.store("store-error", en: "cannot register \(name) (SQLite \(rc))", zh: "无法注册 \(name)（SQLite \(rc)）")
        }
    }

    /// The C function that sets a column's value: `context` is what `provide` was given,
    /// then the row (0-based), the column and SQLite's result context (wrap it in `FeedResult`).
    public typealias ColumnFunction = @convention(c) (UnsafeMutableRawPointer?, Int64, Int32, OpaquePointer?) -> Void

    /// The batch SQLite reads next: `count` rows whose values `column` sets from `context`. A
    /// plain C function over an object with constant properties: no closure, no existential and
    /// no exclusivity check on the path SQLite calls for every value.
    public func provide(context: UnsafeMutableRawPointer, count: Int, column: ColumnFunction) {
        pointer.pointee.context = context
        pointer.pointee.column = column
        pointer.pointee.count = Int64(count)
    }

    /// Empties the batch.
    public func clear() {
        pointer.pointee.count = 0
        pointer.pointee.context = nil
        pointer.pointee.column = emptyColumn
    }

    /// Frees the C side; only after the connection has closed.
    func release() {
        pointer.deinitialize(count: 1)
        pointer.deallocate()
        free(schema)
    }
}

/// Where a feed's column value goes (valid only inside the `provide` callback).
public struct FeedResult {
    let ctx: OpaquePointer
    public init(_ ctx: OpaquePointer) { self.ctx = ctx }
    public func int(_ v: Int64) { sqlite3_result_int64(ctx, v) }
    public func int(_ v: Int64?) {
        if let v { sqlite3_result_int64(ctx, v) } else { sqlite3_result_null(ctx) }
    }
    public func null() { sqlite3_result_null(ctx) }
    public func text(_ s: String) {
        withSQLiteText(s) { sqlite3_result_text(ctx, $0, $1, SQLITE_TRANSIENT) }
    }
}

private let emptyColumn: Feed.ColumnFunction = { _, _, _, ctx in
    if let ctx { sqlite3_result_null(ctx) }
}
