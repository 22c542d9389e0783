import ShopKit

/// Applies order rows (SPEC §4 orders): attribution by signed token, forward-only
/// transitions, the rate frozen at first store, and every running total in step.
///
///     let importer = OrderImporter(store: store, now: now)
///     try ImportLoop.run(&reader, idColumn: "order_id", report: &report, progress: nil, handle: importer.row)
///     try importer.finish()
public final class OrderImporter {
    let store: Store
    let now: Instant
    public let ledger: Ledger
    private var tokens: [String: ShareRecord?] = [:]
    private var products: [String: (rate: Rate, category: String)?] = [:]
    private var writerStatements: OrderRepository.Writer?

    private func writer() throws -> OrderRepository.Writer {
        if let w = writerStatements { return w }
        let w = try store.orders.writer()
        writerStatements = w
        return w
    }

    public init(store: Store, now: Instant) {
        self.store = store
        self.now = now
        self.ledger = Ledger(store: store)
    }

    private func share(_ token: String) throws -> ShareRecord? {
        if let cached = tokens[token] { return cached }
        let rec = try store.shares.verify(token, secret: store.secret)
        tokens[token] = rec
        return rec
    }

    private func product(_ id: String) throws -> (rate: Rate, category: String)? {
        if let cached = products[id] { return cached }
        let p = try store.catalog.product(id).map { ($0.commissionRate, $0.category) }
        products[id] = p
        return p
    }

    /// One feed row.
    public func row(_ row: ImportRow) throws -> RowOutcome {
        let r = try OrderFeed.parse(row, now: now)
        return try apply(r)
    }

    public func apply(_ r: OrderRow) throws -> RowOutcome {
        guard let share = try share(r.shareToken) else {
            throw RowProblem(
                "invalid-token", en: "the share token does not verify for this store (forged, altered or from another store)",
                zh: "分享口令对本数据库无效（伪造、被改动或来自其他数据库）")
        }
        guard let product = try product(r.productID) else {
            throw RowProblem("unknown-product", en: "product \(r.productID) is not in the catalog", zh: "商品 \(r.productID) 不在目录中")
        }
        if let linked = share.fields.productID, linked != r.productID {
            throw RowProblem(
                "product-mismatch", en: "the share token is for product \(linked), not \(r.productID)",
                zh: "该分享口令属于商品 \(linked)，而不是 \(r.productID)")
        }
        // A fresh feed is mostly new orders: one insert that does nothing when the id is known.
        // A re-import is mostly known orders: after a known one, look the next one up first.
        if lastWasKnown, let existing = try writer().find(r.orderID) {
            return try update(existing, with: r, share: share)
        }
        lastWasKnown = false
        if let order = try? r.newOrder(
            shopID: share.fields.shopID, shareID: share.id, category: product.category, channel: share.fields.channel,
            rate: product.rate, now: now)
        {
            let c = try ledger.contribution(order)
            if try writer().insertIfNew(order, c, releaseAt: Self.releaseAt(c), now: now) {
                ledger.record(c, of: order, sign: 1)
                return .accepted
            }
        }
        if let existing = try writer().find(r.orderID) {
            return try update(existing, with: r, share: share)
        }
        // A new order that cannot be stored as it is: say why.
        _ = try r.newOrder(
            shopID: share.fields.shopID, shareID: share.id, category: product.category, channel: share.fields.channel,
            rate: product.rate, now: now)
        throw RowProblem("bad-value", en: "order \(r.orderID) could not be stored", zh: "订单 \(r.orderID) 无法保存")
    }

    private var lastWasKnown = false

    /// A row for an order already stored: the same order, moved forward (or unchanged).
    private func update(_ existing: OrderRepository.Stored, with r: OrderRow, share: ShareRecord) throws -> RowOutcome {
        lastWasKnown = true
        guard r.sameOrder(as: existing.order), existing.order.shareID == share.id else {
            throw RowProblem(
                "invalid-transition",
                en: "order \(r.orderID) is already stored with another product, quantity, price, payment time, link or self-purchase flag",
                zh: "订单 \(r.orderID) 已存在，但商品、数量、单价、付款时间、链接或自购标记不同")
        }
        return try change(existing, r.change) ? .accepted : .unchanged
    }

    /// Applies a change to a stored order; false when it changes nothing.
    @discardableResult
    public func change(_ existing: OrderRepository.Stored, _ change: OrderChange) throws -> Bool {
        guard let next = try OrderRules.apply(change, to: existing.order, now: now) else { return false }
        var old = try ledger.contribution(existing.order)
        old.bonus = old.counts ? existing.bonus : .zero
        let new = try ledger.contribution(next)
        ledger.record(old, of: existing.order, sign: -1)
        ledger.record(new, of: next, sign: 1)
        try store.orders.update(rowID: existing.rowID, next, new, releaseAt: Self.releaseAt(new), now: now)
        return true
    }

    static func releaseAt(_ c: OrderContribution) -> Instant? {
        if case .confirmed(let r) = c.state { return r }
        return nil
    }

    /// Writes the running totals and fixes the months due (inside the transaction).
    public func finish() throws {
        try ledger.finish(now: now, shops: store.shops)
    }
}
