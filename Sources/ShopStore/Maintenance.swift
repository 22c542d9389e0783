import CSQLite
import Foundation
import ShopKit

/// One result of `shopctl check`.
public struct CheckResult: Sendable, Equatable {
    /// Stable name (JSON); `shopctl check` shows it in the user's language.
    public var name: String
    public var ok: Bool
    public var detail: String
    /// `detail` in Chinese (the same data, the words translated).
    public var detailZh: String

    public init(name: String, ok: Bool, detail: String, detailZh: String? = nil) {
        self.name = name
        self.ok = ok
        self.detail = detail
        self.detailZh = detailZh ?? detail
    }
}

extension Store {
    // MARK: - Backup

    /// Copies the store to `path` with SQLite's online backup API: a consistent snapshot even
    /// while other processes write. The copy goes through `OutputFile` (SPEC §2 "Files shopctl
    /// writes"): `path` is refused before any work when it exists (unless `force`) or names the
    /// store or one of its files (always); the copy is made in a temporary file beside it,
    /// switched to a rollback journal, checked, then put in place with mode 0600. A failure
    /// leaves nothing behind: no copy, no temporary file, no `-journal` or `-wal` of it.
    /// - Parameter storePath: the store's path as the user spelled it (default: `self.path`).
    /// - Returns: the size of the copy in bytes.
    public func backup(to path: String, force: Bool = false, storePath: String? = nil) throws -> Int64 {
        try OutputFile.checkDestination(path, force: force, storePath: self.path)
        let out = try OutputFile(path: path, force: force, storePath: storePath ?? self.path)
        let temp = out.temporaryPath
        let sidecars = ["-journal", "-wal", "-shm"].map { temp + $0 }
        defer { for f in sidecars { unlink(f) } }
        do {
            try copy(into: temp, for: path)
        } catch {
            out.discard()
            throw error
        }
        var st = stat()
        let size = stat(temp, &st) == 0 ? Int64(st.st_size) : 0
        try out.commit()
        return size
    }

    /// The backup itself, into the (empty) file at `temp`; the connection to it is closed on
    /// return. A failure to write it (a full disk, an I/O error) is `write-failed`, naming `path`.
    private func copy(into temp: String, for path: String) throws {
        let dest = try Database(path: temp, create: false)
        do {
            try copy(to: dest)
        } catch let e as ShopError where e.code == "store-error" {
            let code = sqlite3_errcode(dest.handle)
            guard [SQLITE_FULL, SQLITE_IOERR, SQLITE_CANTOPEN].contains(code & 0xFF) else { throw e }
            let reason = String(cString: sqlite3_errstr(code))
            throw ShopError.store(
                "write-failed", en: "cannot write \(path): \(reason); nothing was written", zh: "无法写入 \(path)：\(reason)；未写入任何内容")
        }
    }

    private func copy(to dest: Database) throws {
        dest.setBusyTimeout(milliseconds: Store.busyTimeoutMilliseconds)
        guard let b = sqlite3_backup_init(dest.handle, "main", db.handle, "main") else {
            throw dest.error(sqlite3_errcode(dest.handle))
        }
        var rc: Int32
        repeat {
            rc = sqlite3_backup_step(b, 256)
            if rc == SQLITE_BUSY || rc == SQLITE_LOCKED { sqlite3_sleep(20) }
        } while rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED
        let done = sqlite3_backup_finish(b)
        guard rc == SQLITE_DONE, done == SQLITE_OK else { throw dest.error(rc == SQLITE_DONE ? done : rc) }
        // A self-contained file: no WAL beside it.
        try dest.execute("PRAGMA journal_mode = DELETE")
        let ok = try dest.prepare("PRAGMA integrity_check").scalarText()
        guard ok == "ok" else {
            throw ShopError.store("backup", en: "the backup failed its integrity check: \(ok ?? "?")", zh: "备份未通过完整性检查：\(ok ?? "?")")
        }
    }

    // MARK: - Check

    /// Integrity, foreign keys, and the ledger's invariants (running totals equal a
    /// recomputation from the orders), in a read transaction.
    public func check(now: Instant) throws -> [CheckResult] {
        var out: [CheckResult] = []
        func add(_ name: String, _ ok: Bool, _ detail: String, _ detailZh: String? = nil) {
            out.append(CheckResult(name: name, ok: ok, detail: detail, detailZh: detailZh))
        }
        try db.execute("BEGIN")
        defer { try? db.execute("COMMIT") }
        let integrity = try db.prepare("PRAGMA integrity_check").map { $0.text(0) }
        add("integrity", integrity == ["ok"], integrity.prefix(3).joined(separator: "; "))
        let fk = try db.prepare("PRAGMA foreign_key_check").map { "\($0.text(0)) row \($0.int(1)) → \($0.text(2))" }
        add("foreign-keys", fk.isEmpty, fk.isEmpty ? "ok" : fk.prefix(3).joined(separator: "; "))

        // Each query gives up to 10 differences: three columns that say what differs, and the
        // first order (by payment time) of what differs, or NULL when no order is left there.
        func mismatches(_ name: String, _ sql: String) throws {
            let rows = try db.prepare(sql).map { r in
                (
                    (0..<3).map { r.isNull(Int32($0)) ? "-" : r.text(Int32($0)) }.joined(separator: " "),
                    r.isNull(3) ? nil : r.text(3)
                )
            }
            guard let (what, order) = rows.first else { return add(name, true, "ok") }
            add(
                name, false, "\(rows.count) difference(s), first: \(what)" + (order.map { " (order \($0))" } ?? " (no order)"),
                "\(rows.count) 处不一致，第一处：\(what)" + (order.map { "（订单 \($0)）" } ?? "（没有订单）"))
        }
        func firstOrder(_ condition: String) -> String {
            "(SELECT o2.order_id FROM orders o2 WHERE \(condition) ORDER BY o2.paid_at, o2.id LIMIT 1)"
        }
        let counting = rules.selfPurchaseCommission ? "1" : "o.self_purchase = 0"
        try mismatches(
            "orders-attributed",
            """
            SELECT o.order_id, o.shop_id, o.share_id, o.order_id FROM orders o LEFT JOIN shares s ON s.id = o.share_id
            WHERE s.id IS NULL OR s.shop_id != o.shop_id OR (s.product_id IS NOT NULL AND s.product_id != o.product_id)
               OR NOT EXISTS (SELECT 1 FROM products p WHERE p.product_id = o.product_id) LIMIT 10
            """)
        let z = rules.zone
        let offset = z.offset(at: now)
        // Daily totals = the orders grouped by local paid day (the zone's offset now; Asia/Shanghai has no DST).
        try mismatches(
            "daily-totals",
            """
            WITH g AS (
              SELECT shop_id, (paid_at + \(offset)) / 86400 - ((paid_at + \(offset)) % 86400 < 0) AS day, count(*) AS n,
                     sum(CASE WHEN status = 'refunded' THEN 0 ELSE amount_fen - refunded_fen END) AS gmv,
                     sum(commission_fen) AS c, sum(bonus_fen) AS b,
                     sum(CASE WHEN status = 'refunded' THEN amount_fen ELSE refunded_fen END) AS r
              FROM orders o WHERE \(counting) GROUP BY 1, 2)
            SELECT coalesce(g.shop_id, d.shop_id), date(coalesce(g.day, d.day) * 86400, 'unixepoch'),
                   'orders ' || coalesce(g.n, 0) || ' vs ' || coalesce(d.orders, 0),
                   \(firstOrder("o2.shop_id = coalesce(g.shop_id, d.shop_id) AND (o2.paid_at + \(offset)) / 86400 - ((o2.paid_at + \(offset)) % 86400 < 0) = coalesce(g.day, d.day)"))
            FROM g FULL OUTER JOIN (SELECT * FROM shop_days WHERE orders != 0) d ON d.shop_id = g.shop_id AND d.day = g.day
            WHERE g.n IS NOT d.orders OR g.gmv IS NOT d.gmv_fen OR g.c IS NOT d.commission_fen OR g.b IS NOT d.bonus_fen OR g.r IS NOT d.refunded_fen
            LIMIT 10
            """)
        try mismatches(
            "link-totals",
            """
            WITH g AS (
              SELECT share_id, count(*) AS n, sum(CASE WHEN status = 'refunded' THEN 0 ELSE amount_fen - refunded_fen END) AS gmv,
                     sum(commission_fen + bonus_fen) AS e
              FROM orders o WHERE \(counting) GROUP BY 1)
            SELECT s.token, s.orders, coalesce(g.n, 0), \(firstOrder("o2.share_id = s.id")) FROM shares s LEFT JOIN g ON g.share_id = s.id
            WHERE s.orders != coalesce(g.n, 0) OR s.gmv_fen != coalesce(g.gmv, 0) OR s.commission_fen != coalesce(g.e, 0) LIMIT 10
            """)
        try mismatches(
            "product-sales",
            """
            WITH g AS (SELECT shop_id, product_id, sum(quantity) AS u FROM orders o WHERE \(counting) AND status != 'refunded' GROUP BY 1, 2)
            SELECT coalesce(g.shop_id, s.shop_id), coalesce(g.product_id, s.product_id), coalesce(g.u, 0) || ' vs ' || coalesce(s.units, 0),
                   \(firstOrder("o2.shop_id = coalesce(g.shop_id, s.shop_id) AND o2.product_id = coalesce(g.product_id, s.product_id)"))
            FROM g FULL OUTER JOIN (SELECT * FROM product_sales WHERE units != 0) s ON s.shop_id = g.shop_id AND s.product_id = g.product_id
            WHERE g.u IS NOT s.units LIMIT 10
            """)
        let ledger = Ledger(store: self)
        for shop in try shops.all(rules: rules) {
            let a = try ledger.summary(shop: shop, now: now)
            let b = try ledger.recomputedSummary(shop: shop, now: now)
            var diffs: [String] = []
            if a.pending != b.pending { diffs.append("pending \(a.pending.fen) vs \(b.pending.fen)") }
            if a.frozen != b.frozen { diffs.append("frozen \(a.frozen.fen) vs \(b.frozen.fen)") }
            if a.released != b.released { diffs.append("released \(a.released.fen) vs \(b.released.fen)") }
            if a.monthGMV != b.monthGMV { diffs.append("month GMV \(a.monthGMV.fen) vs \(b.monthGMV.fen)") }
            add("earnings \(shop.shopID)", diffs.isEmpty, diffs.isEmpty ? "ok" : diffs.joined(separator: "; "))
            if rules.maxPicks > 0 {
                let picks = try self.picks.count(shopID: shop.shopID)
                add(
                    "picks \(shop.shopID)", picks <= rules.maxPicks, "\(picks) of at most \(rules.maxPicks)",
                    "\(picks) 个，最多 \(rules.maxPicks) 个")
            }
        }
        return out
    }
}
