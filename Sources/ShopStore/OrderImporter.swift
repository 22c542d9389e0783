import ShopKit

/// Applies order rows (SPEC §4 orders): attribution by signed token, forward-only
/// transitions, the rate frozen at first store, and every running total in step.
/// One importer serves one command: its rows, then `finish()`.
///
///     let importer = OrderImporter(store: store, now: now)
///     _ = try importer.apply(row)                       // one row, stored now
///     try importer.finish()
///
/// `orders import` runs rows through `apply(_:place:report:)` instead, prepared on the reading
/// thread (`preparer()`) and stored in batches (`flush`).
public final class OrderImporter {
    let store: Store
    let now: Instant
    public let ledger: Ledger
    /// Attribution for rows applied one at a time, over the store's own connection.
    private let attribution: OrderPreparer
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
        self.attribution = OrderPreparer(db: store.db, secret: store.secret, rules: store.rules, now: now)
    }

    /// What the reading thread of an import prepares rows with: its own read-only connection to
    /// the store, which sees the store as it was when the import began (an import changes no
    /// link, product or fixed level before its end).
    public func preparer() throws -> OrderPreparer {
        let db = try Database(path: store.path, create: false, readOnly: true)
        db.setBusyTimeout(milliseconds: 60_000)
        return OrderPreparer(db: db, secret: store.secret, rules: store.rules, now: now)
    }

    /// One row, stored at once (for callers that need its outcome now).
    public func apply(_ r: OrderRow) throws -> RowOutcome {
        try applyNow(try attribution.prepare(r))
    }

    /// A prepared row, stored at once: a new order, or a known one moved forward, or the reason
    /// it can be neither.
    private func applyNow(_ prepared: PreparedOrder) throws -> RowOutcome {
        let r: OrderRow
        let share: ShareRecord
        var whyNotNew: RowProblem?
        switch prepared {
        case .failed(let error): throw error
        case .new(let row, let s, let order, let c):
            let p = Pending(
                place: ImportLoop.RowPlace(line: 0, id: row.orderID), row: row, share: s, order: order, contribution: c,
                releaseAt: Self.releaseAt(c))
            if try writer().insert([p], now: now)[0] {
                ledger.record(c, of: order, sign: 1)
                return .accepted
            }
            (r, share) = (row, s)
        case .other(let row, let s, let problem): (r, share, whyNotNew) = (row, s, problem)
        }
        if let existing = try writer().find(r.orderID) { return try update(existing, with: r, share: share) }
        if let whyNotNew { throw whyNotNew }
        throw Self.lost(r.orderID)
    }

    /// A new order the insert skipped as known and the lookup does not find (never expected).
    static func lost(_ orderID: String) -> ShopError {
        ShopError.store(
            "store-error", en: "order \(orderID) was neither stored nor found", zh: "订单 \(orderID) 既未保存也未找到")
    }

    // MARK: - Batches

    /// A new order waiting to be stored with the others of its batch.
    struct Pending {
        let place: ImportLoop.RowPlace
        let row: OrderRow
        let share: ShareRecord
        let order: Order
        let contribution: OrderContribution
        let releaseAt: Instant?
    }

    private var pending: [Pending] = []
    private var pendingIDs = Set<String>()
    /// Set when most of the last batch were known orders (a re-import): rows are then looked up
    /// first, one by one, until a new order comes.
    private var expectKnown = false
    /// New orders stored per statement (smaller in tests, to cross batch boundaries often).
    var batchSize = 4096

    /// One row of an import, prepared on the reading thread (`OrderPreparer`), stored now or
    /// with its batch (`flush`); its outcome goes to `report`. New orders gather into batches
    /// that one statement stores; a row for a known order (or one that cannot be new) is applied
    /// at once — after the batch, if the batch holds its id.
    public func apply(_ prepared: PreparedOrder, place: ImportLoop.RowPlace, report: inout ImportReport) throws {
        let r: OrderRow
        let share: ShareRecord
        switch prepared {
        case .failed(let error): throw error
        case .new(let row, let s, _, _), .other(let row, let s, _):
            r = row
            share = s
        }
        if pendingIDs.contains(r.orderID) { try flush(report: &report) }
        if expectKnown {
            if let existing = try writer().find(r.orderID) {
                report.count(try update(existing, with: r, share: share))
                return
            }
            expectKnown = false
        }
        guard case .new(_, _, let order, let c) = prepared else {
            report.count(try applyNow(prepared))
            return
        }
        pending.append(Pending(place: place, row: r, share: share, order: order, contribution: c, releaseAt: Self.releaseAt(c)))
        pendingIDs.insert(r.orderID)
        if pending.count >= batchSize { try flush(report: &report) }
    }

    /// Stores the waiting new orders with one statement; those whose id turned out to be known
    /// are applied as updates, in their file order.
    public func flush(report: inout ImportReport) throws {
        guard !pending.isEmpty else { return }
        let batch = pending
        pending.removeAll(keepingCapacity: true)
        pendingIDs.removeAll(keepingCapacity: true)
        let inserted = try writer().insert(batch, now: now)
        for (i, p) in batch.enumerated() {
            if inserted[i] {
                ledger.record(p.contribution, of: p.order, sign: 1)
                report.accepted += 1
                continue
            }
            do {
                guard let existing = try writer().find(p.row.orderID) else { throw Self.lost(p.row.orderID) }
                report.count(try update(existing, with: p.row, share: p.share))
            } catch let problem as RowProblem {
                report.rejected.append(ImportLoop.rejection(problem, line: p.place.line, id: p.place.id))
            }
        }
        let known = inserted.lazy.filter { !$0 }.count
        expectKnown = known * 2 > batch.count
    }

    /// A row for an order already stored: the same order, moved forward (or unchanged).
    private func update(_ existing: OrderRepository.Stored, with r: OrderRow, share: ShareRecord) throws -> RowOutcome {
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

/// An order row after the reads it needs: attributed to its link and product, and — when it
/// can be a new order — that order with its contribution (bonus of its month if fixed).
public enum PreparedOrder: Sendable {
    case new(OrderRow, ShareRecord, Order, OrderContribution)
    /// Attributed, but not storable as a new order: an update of a known one, or refused for
    /// `whyNotNew` if its id is unknown.
    case other(OrderRow, ShareRecord, whyNotNew: RowProblem)
    /// The store could not be read.
    case failed(ShopError)
}

/// Attribution and the new order of a row — the reads a row needs, cached — over one
/// connection: the store's own for rows applied one at a time, a read-only one of its own on
/// the reading thread of an import (so that the writing thread only stores). Used by one thread
/// at a time.
public final class OrderPreparer: @unchecked Sendable {
    let db: Database
    let secret: [UInt8]
    let rules: Rules
    let zone: Zone
    let now: Instant
    private var tokens: [String: ShareRecord?] = [:]
    private var products: [String: (rate: Rate, category: String)?] = [:]
    private var bonuses = FixedBonuses()

    init(db: Database, secret: [UInt8], rules: Rules, now: Instant) {
        self.db = db
        self.secret = secret
        self.rules = rules
        self.zone = rules.zone
        self.now = now
    }

    public func prepare(_ r: OrderRow) throws(RowProblem) -> PreparedOrder {
        do {
            return try attribute(r)
        } catch let problem as RowProblem {
            throw problem
        } catch let error as ShopError {
            return .failed(error)
        } catch {
            return .failed(ShopError.store("store-error", en: "store error: \(error)", zh: "数据库错误：\(error)"))
        }
    }

    /// The attribution rules: a token that verifies, a product in the catalog, the link's product.
    private func attribute(_ r: OrderRow) throws -> PreparedOrder {
        let share: ShareRecord?
        if let cached = tokens[r.shareToken] {
            share = cached
        } else {
            share = try ShareRepository(db: db).verify(r.shareToken, secret: secret)
            tokens[r.shareToken] = share
        }
        guard let share else {
            throw RowProblem(
                "invalid-token", en: "the share token does not verify for this store (forged, altered or from another store)",
                zh: "分享口令对本数据库无效（伪造、被改动或来自其他数据库）")
        }
        let product: (rate: Rate, category: String)?
        if let cached = products[r.productID] {
            product = cached
        } else {
            product = try CatalogRepository(db: db).product(r.productID).map { ($0.commissionRate, $0.category) }
            products[r.productID] = product
        }
        guard let product else {
            throw RowProblem("unknown-product", en: "product \(r.productID) is not in the catalog", zh: "商品 \(r.productID) 不在目录中")
        }
        if let linked = share.fields.productID, linked != r.productID {
            throw RowProblem(
                "product-mismatch", en: "the share token is for product \(linked), not \(r.productID)",
                zh: "该分享口令属于商品 \(linked)，而不是 \(r.productID)")
        }
        let order: Order
        do {
            order = try r.newOrder(
                shopID: share.fields.shopID, shareID: share.id, category: product.category, channel: share.fields.channel,
                rate: product.rate, now: now)
        } catch {
            return .other(r, share, whyNotNew: error)
        }
        let month = MonthIndex(zone.civilDate(of: order.paidAt)).value
        let bp = try bonuses.bp(db: db, shopID: order.shopID, month: month) ?? 0
        return .new(r, share, order, OrderContribution(order, bonus: Rate(bp: bp), rules: rules, zone: zone))
    }
}
