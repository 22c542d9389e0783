import ShopKit

/// Orders and their history.
///
///     let stored = try store.orders.find("O1001")        // (rowID, order, bonus) or nil
///     try store.orders.list(OrderQuery(shopID: "S000001", status: .paid, limit: 50))
public struct OrderRepository {
    let db: Database

    static let columns = """
        id, order_id, shop_id, share_id, product_id, category, channel, quantity, unit_price_fen, amount_fen, refunded_fen,
        status, status_at, paid_at, confirmed_at, rate_bp, self_purchase, commission_fen, bonus_fen, release_at
        """

    /// An order as stored, with its row id and current figures.
    public struct Stored: Sendable, Equatable {
        public var rowID: Int64
        public var order: Order
        public var commission: Money
        public var bonus: Money
        public var releaseAt: Instant?
    }

    static func stored(_ r: Row) -> Stored {
        Stored(
            rowID: r.int(0),
            order: Order(
                orderID: r.text(1), shopID: r.text(2), shareID: r.int(3), productID: r.text(4), category: r.text(5),
                channel: r.text(6), quantity: r.int(7), unitPrice: r.money(8), amount: r.money(9), refunded: r.money(10),
                status: OrderStatus(rawValue: r.text(11)) ?? .paid, statusAt: r.instant(12), paidAt: r.instant(13),
                confirmedAt: r.optionalInt(14).map(Instant.init), rate: Rate(bp: Int(r.int(15))), selfPurchase: r.bool(16)),
            commission: r.money(17), bonus: r.money(18), releaseAt: r.optionalInt(19).map(Instant.init))
    }

    public func find(_ orderID: String) throws -> Stored? {
        try db.prepare("SELECT \(Self.columns) FROM orders WHERE order_id = ?").first([orderID], Self.stored)
    }

    /// The statements an import runs for every row, prepared once for the whole import.
    public func writer() throws -> Writer { try Writer(db: db) }

    public final class Writer {
        let db: Database
        let find: Statement

        init(db: Database) throws {
            self.db = db
            find = try db.prepare("SELECT \(OrderRepository.columns) FROM orders WHERE order_id = ?")
        }

        static let feedColumns = [
            "order_id", "shop_id", "share_id", "product_id", "category", "channel", "quantity", "unit_price_fen", "amount_fen",
            "refunded_fen", "status", "status_at", "paid_at", "confirmed_at", "rate_bp", "self_purchase", "commission_fen",
            "bonus_fen", "release_at", "recorded_at",
        ]

        /// Stores a batch of new orders with one statement (rows read from a feed); for each,
        /// whether it was stored (false: an order with its id exists, nothing written).
        /// A new order's first state is its state (`first_status` '' says so, `history`): the
        /// first change of the order writes it down (`update`). Stored as '', 0, 0, the three
        /// columns take no bytes but their headers — a tenth of an order row.
        /// OR FAIL: a broken constraint ends the import (its transaction rolls back), so SQLite
        /// keeps no statement journal for the batch.
        func insert(_ batch: [OrderImporter.Pending]) throws -> [Bool] {
            let feed = try db.feed("shopctl_order_feed", columns: Self.feedColumns)
            let statement = try db.prepare(
                """
                INSERT OR FAIL INTO orders(order_id, shop_id, share_id, product_id, category, channel, quantity, unit_price_fen,
                    amount_fen, refunded_fen, status, status_at, paid_at, confirmed_at, rate_bp, self_purchase, commission_fen,
                    bonus_fen, release_at, first_status, first_status_at, first_refunded_fen, recorded_at)
                SELECT order_id, shop_id, share_id, product_id, category, channel, quantity, unit_price_fen, amount_fen,
                    refunded_fen, status, status_at, paid_at, confirmed_at, rate_bp, self_purchase, commission_fen, bonus_fen,
                    release_at, '', 0, 0, recorded_at
                FROM shopctl_order_feed WHERE true
                ON CONFLICT(order_id) DO NOTHING
                """)
            return try db.insert(batch.map(\.new.feedRow), from: feed, with: statement, table: "orders", keyColumn: "order_id") {
                batch[$0].new.order.orderID
            }
        }

        /// A new order as a row of the order feed (`feedColumns`), made where the order is
        /// prepared.
        static func encode(_ o: Order, _ c: OrderContribution, releaseAt: Instant?, recorded: Instant, _ e: inout FeedRowEncoder)
            -> FeedRow
        {
            e.text(o.orderID)
            e.text(o.shopID)
            e.int(o.shareID)
            e.text(o.productID)
            e.text(o.category)
            e.text(o.channel)
            e.int(o.quantity)
            e.int(o.unitPrice.fen)
            e.int(o.amount.fen)
            e.int(o.refunded.fen)
            e.text(o.status.rawValue)
            e.int(o.statusAt.seconds)
            e.int(o.paidAt.seconds)
            e.int(o.confirmedAt?.seconds)
            e.int(Int64(o.rate.bp))
            e.int(o.selfPurchase ? 1 : 0)
            e.int(c.commission.fen)
            e.int(c.bonus.fen)
            e.int(releaseAt?.seconds)
            e.int(recorded.seconds)
            return e.finish()
        }

        public func find(_ orderID: String) throws -> Stored? {
            find.bind(1, orderID)
            guard try find.step() else { return nil }
            defer { find.reset() }
            return OrderRepository.stored(find.row)
        }
    }

    /// Stores a change of an existing order and records it in the order's history. An order
    /// still in its first state (`first_status` '') has that state written down first: SQLite
    /// computes every new value of an UPDATE from the row as it was.
    public func update(rowID: Int64, _ o: Order, _ c: OrderContribution, releaseAt: Instant?, now: Instant) throws {
        try db.prepare(
            """
            UPDATE orders SET
                first_status = CASE first_status WHEN '' THEN status ELSE first_status END,
                first_status_at = CASE first_status WHEN '' THEN status_at ELSE first_status_at END,
                first_refunded_fen = CASE first_status WHEN '' THEN refunded_fen ELSE first_refunded_fen END,
                refunded_fen = ?, status = ?, status_at = ?, confirmed_at = ?, commission_fen = ?, bonus_fen = ?,
                release_at = ? WHERE id = ?
            """
        ).run(o.refunded, o.status.rawValue, o.statusAt, o.confirmedAt, c.commission, c.bonus, releaseAt, rowID)
        try db.prepare("INSERT INTO order_events(order_ref, status, at, refunded_fen, recorded_at) VALUES (?,?,?,?,?)")
            .run(rowID, o.status.rawValue, o.statusAt, o.refunded, now)
    }

    /// Sets the bonus of one order (when its month's level is fixed).
    public func setBonus(rowID: Int64, bonus: Money) throws {
        try db.prepare("UPDATE orders SET bonus_fen = ? WHERE id = ?").run(bonus, rowID)
    }

    /// Orders of a shop paid in `[from, to)`, in payment order (the index order: no sort, so
    /// a month of orders streams through in constant memory).
    public func paid(shopID: String, from: Instant, to: Instant, _ body: (Stored) throws -> Void) throws {
        try db.prepare("SELECT \(Self.columns) FROM orders WHERE shop_id = ? AND paid_at >= ? AND paid_at < ? ORDER BY paid_at")
            .forEach([shopID, from, to]) { try body(Self.stored($0)) }
    }

    /// Every order of a shop (for checks and recomputation).
    public func all(shopID: String, _ body: (Stored) throws -> Void) throws {
        try db.prepare("SELECT \(Self.columns) FROM orders WHERE shop_id = ? ORDER BY paid_at").forEach([shopID]) {
            try body(Self.stored($0))
        }
    }

    /// The latest orders matching a query, newest payment first.
    public func list(_ q: OrderQuery) throws -> [Stored] {
        var clauses = ["shop_id = ?"]
        var args: [SQLBindable] = [q.shopID]
        if let s = q.status {
            clauses.append("status = ?")
            args.append(s.rawValue)
        }
        if let p = q.productID {
            clauses.append("product_id = ?")
            args.append(p)
        }
        if let c = q.channel {
            clauses.append("channel = ?")
            args.append(c)
        }
        if let from = q.from {
            clauses.append("paid_at >= ?")
            args.append(from)
        }
        if let to = q.to {
            clauses.append("paid_at < ?")
            args.append(to)
        }
        let limit = q.limit > 0 ? "LIMIT \(q.limit)" : ""
        // A product filter walks that product's orders; anything else walks the shop's orders
        // newest first and stops at the limit.
        let index = q.productID != nil ? "orders_product" : "orders_shop_paid"
        return try db.prepare(
            "SELECT \(Self.columns) FROM orders INDEXED BY \(index) WHERE \(clauses.joined(separator: " AND ")) ORDER BY paid_at DESC, id DESC \(limit)"
        ).map(args, Self.stored)
    }

    /// The order's story: its first state and every later change, oldest first.
    public func history(rowID: Int64) throws -> [OrderEvent] {
        var out: [OrderEvent] = []
        // '': never changed since it was stored, its first state is its state (`Writer.insert`).
        try db.prepare(
            """
            SELECT CASE first_status WHEN '' THEN status ELSE first_status END,
                CASE first_status WHEN '' THEN status_at ELSE first_status_at END,
                CASE first_status WHEN '' THEN refunded_fen ELSE first_refunded_fen END, recorded_at
            FROM orders WHERE id = ?
            """
        ).forEach([rowID]) {
            out.append(
                OrderEvent(
                    status: OrderStatus(rawValue: $0.text(0)) ?? .paid, at: $0.instant(1), refunded: $0.money(2), recordedAt: $0.instant(3))
            )
        }
        try db.prepare("SELECT status, at, refunded_fen, recorded_at FROM order_events WHERE order_ref = ? ORDER BY id").forEach([rowID]) {
            out.append(
                OrderEvent(
                    status: OrderStatus(rawValue: $0.text(0)) ?? .paid, at: $0.instant(1), refunded: $0.money(2), recordedAt: $0.instant(3))
            )
        }
        return out
    }

    public func count() throws -> Int { Int(try db.prepare("SELECT count(*) FROM orders").scalarInt() ?? 0) }
}

public struct OrderQuery: Sendable {
    public var shopID: String
    public var status: OrderStatus?
    public var productID: String?
    public var channel: String?
    public var from: Instant?
    public var to: Instant?
    public var limit: Int

    public init(
        shopID: String, status: OrderStatus? = nil, productID: String? = nil, channel: String? = nil, from: Instant? = nil,
        to: Instant? = nil, limit: Int = 50
    ) {
        self.shopID = shopID
        self.status = status
        self.productID = productID
        self.channel = channel
        self.from = from
        self.to = to
        self.limit = limit
    }
}

public struct OrderEvent: Sendable, Equatable {
    public var status: OrderStatus
    public var at: Instant
    public var refunded: Money
    public var recordedAt: Instant
}
