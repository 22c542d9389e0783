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
        /// OR FAIL: a broken constraint ends the import (its transaction rolls back), so SQLite
        /// keeps no statement journal for the batch.
        func insert(_ batch: [OrderImporter.Pending], now: Instant) throws -> [Bool] {
            let feed = try db.feed("shopctl_order_feed", columns: Self.feedColumns)
            let statement = try db.prepare(
                """
                INSERT OR FAIL INTO orders(order_id, shop_id, share_id, product_id, category, channel, quantity, unit_price_fen,
                    amount_fen, refunded_fen, status, status_at, paid_at, confirmed_at, rate_bp, self_purchase, commission_fen,
                    bonus_fen, release_at, first_status, first_status_at, first_refunded_fen, recorded_at)
                SELECT order_id, shop_id, share_id, product_id, category, channel, quantity, unit_price_fen, amount_fen,
                    refunded_fen, status, status_at, paid_at, confirmed_at, rate_bp, self_purchase, commission_fen, bonus_fen,
                    release_at, status, status_at, refunded_fen, recorded_at
                FROM shopctl_order_feed WHERE true
                ON CONFLICT(order_id) DO NOTHING
                """)
            let before = try db.prepare("SELECT coalesce(max(id), 0) FROM orders").scalarInt() ?? 0
            try batch.withUnsafeBufferPointer { rows in
                let source = FeedRows(rows: rows, recorded: now.seconds)
                feed.provide(context: Unmanaged.passUnretained(source).toOpaque(), count: rows.count, column: orderFeedColumn)
                defer { feed.clear() }
                try withExtendedLifetime(source) { try statement.run() }
            }
            if db.changes == batch.count { return Array(repeating: true, count: batch.count) }
            // Some ids were known: the stored ones are those with the row ids just given out.
            var stored = Set<String>()
            try db.prepare("SELECT order_id FROM orders WHERE id > ?").forEach([before]) { stored.insert($0.text(0)) }
            return batch.map { stored.contains($0.order.orderID) }
        }

        public func find(_ orderID: String) throws -> Stored? {
            find.bind(1, orderID)
            guard try find.step() else { return nil }
            defer { find.reset() }
            return OrderRepository.stored(find.row)
        }
    }

    /// Stores a change of an existing order and records it in the order's history.
    public func update(rowID: Int64, _ o: Order, _ c: OrderContribution, releaseAt: Instant?, now: Instant) throws {
        try db.prepare(
            """
            UPDATE orders SET refunded_fen = ?, status = ?, status_at = ?, confirmed_at = ?, commission_fen = ?, bonus_fen = ?,
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
        try db.prepare("SELECT first_status, first_status_at, first_refunded_fen, recorded_at FROM orders WHERE id = ?").forEach([rowID]) {
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

/// One batch of new orders as the order feed reads it (constant properties only).
final class FeedRows {
    let rows: UnsafeBufferPointer<OrderImporter.Pending>
    let recorded: Int64
    init(rows: UnsafeBufferPointer<OrderImporter.Pending>, recorded: Int64) {
        self.rows = rows
        self.recorded = recorded
    }
}

/// The order feed's columns (`Writer.feedColumns`), read in place from the batch.
private let orderFeedColumn: Feed.ColumnFunction = { context, row, column, ctx in
    guard let context, let ctx else { return }
    let feed = Unmanaged<FeedRows>.fromOpaque(context).takeUnretainedValue()
    let p = feed.rows.baseAddress! + Int(row)
    let out = FeedResult(ctx)
    switch column {
    case 0: out.text(p.pointee.order.orderID)
    case 1: out.text(p.pointee.order.shopID)
    case 2: out.int(p.pointee.order.shareID)
    case 3: out.text(p.pointee.order.productID)
    case 4: out.text(p.pointee.order.category)
    case 5: out.text(p.pointee.order.channel)
    case 6: out.int(p.pointee.order.quantity)
    case 7: out.int(p.pointee.order.unitPrice.fen)
    case 8: out.int(p.pointee.order.amount.fen)
    case 9: out.int(p.pointee.order.refunded.fen)
    case 10: out.text(p.pointee.order.status.rawValue)
    case 11: out.int(p.pointee.order.statusAt.seconds)
    case 12: out.int(p.pointee.order.paidAt.seconds)
    case 13: out.int(p.pointee.order.confirmedAt?.seconds)
    case 14: out.int(Int64(p.pointee.order.rate.bp))
    case 15: out.int(p.pointee.order.selfPurchase ? 1 : 0)
    case 16: out.int(p.pointee.contribution.commission.fen)
    case 17: out.int(p.pointee.contribution.bonus.fen)
    case 18: out.int(p.pointee.releaseAt?.seconds)
    default: out.int(feed.recorded)
    }
}
