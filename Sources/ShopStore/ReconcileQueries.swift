import Foundation
import ShopKit

/// The reads of `shopctl reconcile` (SPEC §8, docs/reconcile.md), over a store opened to read.
///
///     let q = ReconcileQueries(store: store)
///     try q.load { try statement.next() }          // the statement's lines, sorted on disk
///     let result = try q.run(shopID: "S000001", period: nil, reconciler: r)
///
/// The statement's lines come in any order: they are sorted in bounded memory in a TEMP table
/// of this connection (SQLite's temporary database: its own file, removed when the connection
/// closes; never the store, which a read-only connection cannot change). The store's side is
/// ONE query ordered by `order_id` (the `UNIQUE` index's BINARY order), so the comparison is a
/// merge of two sorted cursors (`Reconciler.run`).
public final class ReconcileQueries {
    let db: Database
    let rules: Rules
    private var loaded = false

    public init(store: Store) {
        db = store.db
        rules = store.rules
    }

    deinit { if loaded { try? db.execute("DROP TABLE IF EXISTS temp.shopctl_statement") } }

    /// Reads every statement line from `next` into the sort; returns how many.
    public func load(_ next: () throws -> StatementEntry?) throws -> Int {
        // Bounded memory whatever the sizes: no memory-mapped reads of the store (its pages would
        // count as resident), a page cache of 8 MiB, the sort on disk (SQLite's temporary files).
        try db.execute(
            """
            PRAGMA mmap_size = 0;
            PRAGMA cache_size = -8192;
            PRAGMA temp_store = FILE;
            CREATE TEMP TABLE IF NOT EXISTS shopctl_statement(
                order_id TEXT NOT NULL, units INTEGER NOT NULL, state INTEGER, line INTEGER NOT NULL)
            """)
        loaded = true
        let insert = try db.prepare("INSERT INTO temp.shopctl_statement(order_id, units, state, line) VALUES (?, ?, ?, ?)")
        var n = 0
        try db.execute("BEGIN")
        do {
            while let e = try next() {
                insert.bind(1, e.orderID)
                insert.bind(2, e.amount.units)
                insert.bind(3, e.state.map(Self.code))
                insert.bind(4, Int64(e.line))
                try insert.step()
                n += 1
            }
            // One sort, by SQLite's external sorter: the index serves both the statement's
            // cursor (it covers every column) and the store query's `IN`, so neither sorts again.
            try db.execute("CREATE INDEX temp.shopctl_statement_order ON shopctl_statement(order_id, line, units, state)")
            try db.execute("COMMIT")
        } catch {
            try? db.execute("ROLLBACK")
            throw error
        }
        return n
    }

    static func code(_ s: SettlementState) -> Int64 {
        switch s {
        case .pending: return 0
        case .settled: return 1
        case .invalid: return 2
        }
    }

    static func state(_ code: Int64) -> SettlementState? {
        switch code {
        case 0: return .pending
        case 1: return .settled
        case 2: return .invalid
        default: return nil
        }
    }

    /// The level bonus applied to each month of the shop (`MonthIndex.value` → rate), as stored.
    public func bonusRates(shopID: String) throws -> [Int: Rate] {
        var out: [Int: Rate] = [:]
        try db.prepare("SELECT month, bonus_bp FROM shop_months WHERE shop_id = ? AND bonus_bp IS NOT NULL").forEach([shopID]) {
            out[Int($0.int(0))] = Rate(bp: Int($0.int(1)))
        }
        return out
    }

    static let orderColumns = """
        order_id, paid_at, amount_fen, CASE WHEN status = 'refunded' THEN amount_fen ELSE refunded_fen END, status, rate_bp,
        commission_fen, bonus_fen, self_purchase = 0 OR ?4
        """

    /// The store's side: the shop's orders the statement lists, and with a period `[from, to)`
    /// those paid in it, in ONE query ordered by order id.
    static func ordersSQL(period: Bool) -> String {
        let listed = "order_id IN (SELECT order_id FROM temp.shopctl_statement)"
        guard period else {
            return "SELECT \(orderColumns), 0 FROM orders WHERE shop_id = ?1 AND \(listed) ORDER BY order_id"
        }
        let inPeriod = "paid_at >= ?2 AND paid_at < ?3"
        return """
            SELECT \(orderColumns), \(inPeriod) FROM orders WHERE shop_id = ?1 AND \(inPeriod)
            UNION
            SELECT \(orderColumns), \(inPeriod) FROM orders WHERE shop_id = ?1 AND \(listed)
            ORDER BY 1
            """
    }

    /// Runs the merge. `period`: the `--period` as instants (`[from, to)`), nil for none.
    public func run(shopID: String, period: (from: Instant, to: Instant)?, reconciler: Reconciler) throws -> Reconciliation {
        precondition(loaded, "load the statement first")
        let orders = try db.prepare(Self.ordersSQL(period: period != nil))
        try orders.bind([
            shopID, period?.from.seconds ?? 0, period?.to.seconds ?? 0, rules.selfPurchaseCommission,
        ])
        let lines = try db.prepare(
            "SELECT order_id, units, state, line FROM temp.shopctl_statement INDEXED BY shopctl_statement_order ORDER BY order_id, line")
        try lines.bind([])
        defer {
            orders.reset()
            lines.reset()
        }
        // One read transaction for both cursors: the store's figures of one moment.
        try db.execute("BEGIN")
        defer { try? db.execute("COMMIT") }
        return try reconciler.run(
            ours: {
                guard try orders.step() else { return nil }
                let r = orders.row
                return OrderEarnings(
                    orderID: r.text(0), paidAt: r.instant(1), amount: r.money(2), refunded: r.money(3),
                    status: OrderStatus(rawValue: r.text(4)) ?? .paid, rate: Rate(bp: Int(r.int(5))), commission: r.money(6),
                    bonus: r.money(7), earns: r.bool(8), inPeriod: r.bool(9))
            },
            theirs: {
                guard try lines.step() else { return nil }
                let r = lines.row
                return StatementEntry(
                    orderID: r.text(0), amount: StatementAmount(units: r.int(1)), state: r.optionalInt(2).flatMap(Self.state),
                    line: Int(r.int(3)))
            })
    }
}

/// Bytes spooled to a `ScratchFile` and streamed back: what a reconcile's million differences render to, so peak memory
/// does not grow with their number.
public final class ByteSpool {
    private var file: ScratchFile?
    private var buffer: [UInt8] = []
    private var written: Int64 = 0
    private let directory: String
    private var failure: ShopError?
    public private(set) var isEmpty = true

    public init(directory: String? = nil) {
        self.directory = ScratchFile.folder(directory)
        buffer.reserveCapacity(1 << 16)
    }

    public func append(_ bytes: [UInt8]) {
        isEmpty = isEmpty && bytes.isEmpty
        buffer += bytes
        if buffer.count >= 1 << 16 { flush() }
    }

    public func append(_ text: String) { append(Array(text.utf8)) }

    private func flush() {
        guard !buffer.isEmpty, failure == nil else { return }
        if file == nil {
            do { file = try ScratchFile(prefix: "reconcile", folder: directory) } catch {
                failure = Self.failure(directory, error.errno)
                return
            }
        }
        if let e = file!.write(buffer, at: written) { failure = Self.failure(directory, e) }
        written += Int64(buffer.count)
        buffer.removeAll(keepingCapacity: true)
    }

    static func failure(_ dir: String, _ code: Int32) -> ShopError {
        let reason = String(cString: strerror(code))
        return ShopError.store(
            "write-failed", en: "cannot write the differences to a temporary file in \(dir): \(reason); set TMPDIR to another folder",
            zh: "无法把差异写入 \(dir) 中的临时文件：\(reason)；请把 TMPDIR 设为其他目录")
    }

    /// Writes what is buffered; throws the spool's first write error, if any (before anything
    /// is printed: a failed spool never leaves half a document on stdout).
    public func finish() throws {
        if file != nil || buffer.count > 1 << 20 { flush() }
        if let failure { throw failure }
    }

    /// Hands the spooled bytes back in order, at most 64 KiB at a time.
    public func forEachChunk(_ body: ([UInt8]) throws -> Void) throws {
        guard let file else {
            if let failure { throw failure }
            if !buffer.isEmpty { try body(buffer) }
            return
        }
        flush()
        if let failure { throw failure }
        var offset: Int64 = 0
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while offset < written {
            let want = Int(min(Int64(chunk.count), written - offset))
            let e = chunk.withUnsafeMutableBytes { file.read(into: $0, at: 0, count: want, offset: offset) }
            if let e { throw Self.failure(directory, e) }
            try body(Array(chunk[0..<want]))
            offset += Int64(want)
        }
    }
}
