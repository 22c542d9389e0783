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
    /// Every preparer of this command (their guessed bonuses are corrected at the end).
    private var preparers: [OrderPreparer] = []
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
        preparers = [attribution]
    }

    /// What the reading thread of an import prepares rows with: its own read-only connection to
    /// the store, which sees the store as it was when the import began (an import changes no
    /// link, product or fixed level before its end).
    public func preparer() throws -> OrderPreparer {
        let db = try Database(path: store.path, create: false, readOnly: true)
        db.setBusyTimeout(milliseconds: 60_000)
        let p = OrderPreparer(db: db, secret: store.secret, rules: store.rules, now: now)
        p.fixedShare = fixedShare
        preparers.append(p)
        return p
    }

    @exclusivity(unchecked) private var begun = false

    /// A shop's own export (`"attribution":"shop"`, SPEC §7): every row is `shopID`'s, through
    /// its storefront link, made now (inside the import's transaction) when it has none. Call
    /// inside the transaction, before `preparer()`; the preparers made after it attribute every
    /// row to that link.
    public func attributeAll(to shopID: String) throws -> ShareRecord {
        let shares = store.shares
        if let link = try shares.storefront(shopID: shopID) {
            fixedShare = link
            return link
        }
        let channels = store.rules.channels
        let channel = channels.contains("other") ? "other" : (channels.first ?? "other")
        let link = try shares.issue(
            ShareFields(shopID: shopID, productID: nil, channel: channel, campaign: nil, createdAt: now), secret: store.secret)
        fixedShare = link
        return link
    }
    private var fixedShare: ShareRecord?

    /// Before the first row is stored: the facts due are fixed (SPEC §6 — an import after a close
    /// fixes them before storing its rows, so what it brings no longer counts for them).
    public func begin() throws {
        guard !begun else { return }
        begun = true
        try ledger.begin(now: now, shops: store.shops)
        ordersBefore = try store.db.prepare("SELECT coalesce(max(id), 0) FROM orders").scalarInt() ?? 0
    }

    /// One row, stored at once (for callers that need its outcome now).
    public func apply(_ r: OrderRow) throws -> RowOutcome {
        try begin()
        return try applyNow(try attribution.prepare(r))
    }

    /// A prepared row, stored at once: a new order, or a known one moved forward, or the reason
    /// it can be neither.
    private func applyNow(_ prepared: PreparedOrder) throws -> RowOutcome {
        switch prepared {
        case .failed(let error): throw error
        case .new(let n):
            if try writer().insert([Pending(place: ImportLoop.RowPlace(line: 0, id: n.row.orderID), new: n)])[0] {
                ledger.record(n.contribution, of: n.order, sign: 1)
                return .accepted
            }
            return try updateStored(n.row, shareID: n.shareID)
        case .other(let row, let shareID, let whyNotNew): return try updateStored(row, shareID: shareID, whyNotNew: whyNotNew)
        }
    }

    /// A row whose order is not new: the stored order moved forward, or the reason the row is
    /// neither (`whyNotNew` when it could not be a new order; never expected otherwise).
    private func updateStored(_ r: OrderRow, shareID: Int64, whyNotNew: RowProblem? = nil) throws -> RowOutcome {
        guard let existing = try writer().find(r.orderID) else { throw whyNotNew ?? Self.lost(r.orderID) }
        return try update(existing, with: r, shareID: shareID)
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
        let new: NewOrder
    }

    // The batch state is touched by every row on one thread, never through an overlapping
    // access: its runtime exclusivity checks were 2 % of the writing thread (docs/performance.md).
    @exclusivity(unchecked) private var pending: [Pending] = []
    /// The ids of the batch, gathered only once a row that is not a new order needs to know
    /// whether its order waits in the batch (empty until then): a batch of new orders alone is
    /// hashed by nobody — one holding an id twice stores its first row, the insert skips the
    /// second as known (`Database.insert`).
    @exclusivity(unchecked) private var pendingIDs = Set<String>()
    /// Set when most of the last batch were known orders (a re-import): rows are then looked up
    /// first, one by one, until a new order comes.
    @exclusivity(unchecked) private var expectKnown = false
    /// New orders stored per statement (smaller in tests, to cross batch boundaries often).
    var batchSize = 4096

    /// One row of an import, prepared on the reading thread (`OrderPreparer`), stored now or
    /// with its batch (`flush`); its outcome goes to `report`. New orders gather into batches
    /// that one statement stores; a row for a known order (or one that cannot be new) is applied
    /// at once — after the batch, if the batch holds its id.
    public func apply(_ prepared: PreparedOrder, place: ImportLoop.RowPlace, report: inout ImportReport) throws {
        try begin()
        if case .new(let n) = prepared, !expectKnown {  // the usual row: a new order
            try append(n, place, report: &report)
            return
        }
        let (row, shareID) = try prepared.attributed()
        if !pending.isEmpty {
            if pendingIDs.isEmpty { for p in pending { pendingIDs.insert(p.new.row.orderID) } }
            if pendingIDs.contains(row.orderID) { try flush(report: &report) }
        }
        if expectKnown {
            if let existing = try writer().find(row.orderID) {
                report.count(try update(existing, with: row, shareID: shareID))
                return
            }
            expectKnown = false
        }
        guard case .new(let n) = prepared else {
            report.count(try applyNow(prepared))
            return
        }
        try append(n, place, report: &report)
    }

    /// A new order joins the batch (its id to the batch's ids, once they are gathered).
    private func append(_ n: NewOrder, _ place: ImportLoop.RowPlace, report: inout ImportReport) throws {
        if !pendingIDs.isEmpty { pendingIDs.insert(n.row.orderID) }
        pending.append(Pending(place: place, new: n))
        if pending.count >= batchSize { try flush(report: &report) }
    }

    /// Stores the waiting new orders with one statement; those whose id turned out to be known
    /// are applied as updates, in their file order.
    public func flush(report: inout ImportReport) throws {
        guard !pending.isEmpty else { return }
        let batch = pending
        pending.removeAll(keepingCapacity: true)
        pendingIDs.removeAll(keepingCapacity: true)
        newOrders += Int64(batch.count)
        if deferIndexes && !dropped && newOrders >= max(Int64(deferIndexesAfter), ordersBefore / 4) && Self.outOfOrder(batch) {
            try dropSecondaryIndexes()
        }
        let inserted = try writer().insert(batch)
        for (i, p) in batch.enumerated() {
            let n = p.new
            if inserted[i] {
                ledger.record(n.contribution, of: n.order, sign: 1)
                report.accepted += 1
                continue
            }
            do {
                report.count(try updateStored(n.row, shareID: n.shareID))
            } catch let problem as RowProblem {
                report.reject(ImportLoop.rejection(problem, line: p.place.line, id: p.place.id), row: p.place.row)
            }
        }
        let known = inserted.lazy.filter { !$0 }.count
        expectKnown = known * 2 > batch.count
        releaseBin?.put(batch)
    }

    /// Where stored batches go to be released (on the reading thread of a pipelined import:
    /// freeing a batch's orders, their rows and strings, was a twentieth of this thread's time).
    var releaseBin: ReleaseBin?

    /// Imports the rows of `reader` on two threads (`ImportLoop.runPipelined`): `parse` (pure:
    /// the feed's rules and `OrderPreparer.prepare`) on a reading thread, storing on this one.
    /// Called here, where the row type is known, the pipeline is compiled for order rows; called
    /// from another module, the generic pipeline ran every row through runtime type metadata
    /// (a tenth of both threads, docs/performance.md).
    public func importRows(
        _ reader: inout ImportReader, report: inout ImportReport, progress: ((Int) -> Void)?,
        parse: @escaping @Sendable (ImportRow) throws(RowProblem) -> PreparedOrder
    ) throws {
        let bin = ReleaseBin()
        releaseBin = bin
        defer { releaseBin = nil }
        try ImportLoop.runPipelined(
            &reader, idColumn: "order_id", report: &report, progress: progress, parse: parse, bin: bin, apply: apply,
            flush: flush)
    }

    /// A row for an order already stored: the same order, moved forward (or unchanged).
    private func update(_ existing: OrderRepository.Stored, with r: OrderRow, shareID: Int64) throws -> RowOutcome {
        guard r.sameOrder(as: existing.order), existing.order.shareID == shareID else {
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
        try begin()
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

    // MARK: - Secondary indexes of a big import

    /// Rows in the store before the import (the largest order row id: ids are never reused).
    private var ordersBefore: Int64 = 0
    /// New orders handed to `flush` so far.
    @exclusivity(unchecked) private var newOrders: Int64 = 0
    /// Whether a big import drops the order indexes other than `order_id`'s and builds them
    /// again at its end, in the same transaction (docs/performance.md).
    var deferIndexes = true
    /// New orders from which an import defers its indexes (and at least a quarter of the orders
    /// the store held: building the indexes again costs in proportion to all of them).
    var deferIndexesAfter = 4096
    /// The indexes dropped (name, SQL as stored), built again by `finish`.
    private var deferred: [(name: String, sql: String)] = []
    private var dropped = false

    /// Whether a batch's orders come out of payment order (more than one in eight paid before the
    /// one before it): their index entries would land all over the indexes instead of at their ends.
    static func outOfOrder(_ batch: [Pending]) -> Bool {
        var descents = 0
        for i in batch.indices.dropFirst() where batch[i].new.order.paidAt < batch[i - 1].new.order.paidAt { descents += 1 }
        return descents * 8 > batch.count
    }

    private func dropSecondaryIndexes() throws {
        guard !dropped else { return }
        dropped = true
        // Indexes made by CREATE INDEX that enforce nothing: `order_id`'s (a UNIQUE constraint,
        // the conflict target of the batch insert) and any unique one stay, so every row is
        // still refused or accepted as it is stored.
        deferred = try store.db.prepare(
            """
            SELECT s.name, s.sql FROM pragma_index_list('orders') l JOIN sqlite_schema s ON s.type = 'index' AND s.name = l.name
            WHERE l."unique" = 0 AND l.origin = 'c' AND s.sql IS NOT NULL ORDER BY s.rowid
            """
        ).map { ($0.text(0), $0.text(1)) }
        // Freeing the pages of an index the store held before is written to a statement journal,
        // in memory if the transaction began under `temp_store = MEMORY` (39 MiB for the indexes
        // of 1,000,000 orders): `Store.prepareForBulkWrite` sets FILE before it begins.
        try withTemporaryFilesOnDisk {
            for index in deferred { try store.db.execute("DROP INDEX \"\(index.name)\"") }
        }
    }

    private func withTemporaryFilesOnDisk(_ body: () throws -> Void) throws {
        let temp = try store.db.pragmaInt("temp_store")
        try store.db.execute("PRAGMA temp_store = FILE")
        try body()
        try store.db.execute("PRAGMA temp_store = \(temp)")
    }

    private func rebuildSecondaryIndexes() throws {
        guard !deferred.isEmpty else { return }
        // The sort of CREATE INDEX spills to temporary files: on disk (the page cache), not in
        // memory, where SQLite's in-memory files cost twice the time and the resident memory.
        // Its runs in memory are as big as the page cache: a smaller cache for the sort keeps the
        // peak down (4 MiB: 12.7 MiB instead of 37 MiB for 2,000,000 orders, and no slower).
        let cache = try store.db.pragmaInt("cache_size")
        try store.db.execute("PRAGMA cache_size = -4096")
        try withTemporaryFilesOnDisk {
            for index in deferred { try store.db.execute(index.sql) }
        }
        try store.db.execute("PRAGMA cache_size = \(cache)")
        deferred = []
    }

    /// Writes the running totals and fixes the months due (inside the transaction). Call once
    /// the preparers are done.
    public func finish() throws {
        try rebuildSecondaryIndexes()
        for p in preparers {
            for (shop, months) in p.guesses.given {
                for (m, bps) in months { ledger.guessedBonus[shop, default: [:]][m, default: []].formUnion(bps) }
            }
        }
        try ledger.finish(now: now, shops: store.shops)
    }
}

/// An order row after the reads it needs: attributed to its link and product, and — when it
/// can be a new order — that order with its contribution (bonus of its month if fixed).
public enum PreparedOrder: Sendable {
    case new(NewOrder)
    /// Attributed to link `shareID`, but not storable as a new order: an update of a known one,
    /// or refused for `whyNotNew` if its id is unknown.
    case other(OrderRow, shareID: Int64, whyNotNew: RowProblem)
    /// The store could not be read.
    case failed(ShopError)

    /// The row and the link it came through; throws the store's error for `.failed`.
    func attributed() throws -> (row: OrderRow, shareID: Int64) {
        switch self {
        case .new(let n): return (n.row, n.shareID)
        case .other(let row, let shareID, _): return (row, shareID)
        case .failed(let error): throw error
        }
    }
}

/// A row that can be a new order: the order, its contribution (bonus of its month if fixed)
/// and its row for the batch insert, made where the row was prepared. A class: the writing
/// thread passes it on without copying its fields.
public final class NewOrder: Sendable {
    let row: OrderRow
    let shareID: Int64
    let order: Order
    let contribution: OrderContribution
    let feedRow: FeedRow

    init(row: OrderRow, shareID: Int64, order: Order, contribution: OrderContribution, feedRow: FeedRow) {
        self.row = row
        self.shareID = shareID
        self.order = order
        self.contribution = contribution
        self.feedRow = feedRow
    }
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
    /// Token → its link (nil: it does not verify). A class per link: a row takes one
    /// reference, not a copy of the record's strings.
    @exclusivity(unchecked) private var tokens: [String: Link?] = [:]
    final class Link: Sendable {
        let id: Int64
        let fields: ShareFields
        init(_ r: ShareRecord) {
            id = r.id
            fields = r.fields
        }
    }
    /// What an order's contribution needs of the rules (`OrderContribution`), kept apart so a
    /// row does not copy the whole `Rules`.
    private let selfPurchaseCommission: Bool
    private let settlement: Settlement
    private let links: ShareLinkParser
    @exclusivity(unchecked) private var products: [String: (rate: Rate, category: String)?] = [:]
    private var bonuses = FixedBonuses(fixedOnly: true)
    let guesses: LevelGuesses
    @exclusivity(unchecked) private var encoder = FeedRowEncoder(columns: OrderRepository.Writer.feedColumns.count)
    /// The bonus of the last row's shop and month: the next row of the same month (an export's
    /// usual run) takes it without the lookups. Still right when rows come out of order: a
    /// month's guess moves only with the GMV of the month before, which grows only while a row
    /// of that month is prepared — and that row has replaced this entry first.
    @exclusivity(unchecked) private var lastBonus: (shopID: String, month: Int, bp: Int)?
    /// Set for a shop's own export: every row comes through this (storefront) link, its token
    /// unread, and `before-link` does not apply (the link did not bring the orders).
    var fixedShare: ShareRecord? {
        didSet { fixedLink = fixedShare.map(Link.init) }
    }
    private var fixedLink: Link?

    init(db: Database, secret: [UInt8], rules: Rules, now: Instant) {
        self.db = db
        self.secret = secret
        self.rules = rules
        self.selfPurchaseCommission = rules.selfPurchaseCommission
        self.settlement = rules.settlement
        self.zone = rules.zone
        self.now = now
        self.links = ShareLinkParser(rules)
        self.guesses = LevelGuesses(db: db, rules: rules, now: now)
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
        let share: Link?
        if let fixedLink {
            share = fixedLink
        } else {
            // The bare token is taken as it is; a link, a 口令 or pasted copy goes through the parser.
            guard let token = links.token(in: r.shareToken) else { throw ShareLinkParser.notALink(rules) }
            if let cached = tokens[token] {
                share = cached
            } else {
                share = try ShareRepository(db: db).verify(token, secret: secret).map(Link.init)
                tokens[token] = share
            }
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
        if fixedLink == nil { try ShareRules.checkPaidAt(r.paidAt, linkCreatedAt: share.fields.createdAt, zone: zone) }
        let order: Order
        do {
            order = try r.newOrder(
                shopID: share.fields.shopID, shareID: share.id, category: product.category, channel: share.fields.channel,
                rate: product.rate, now: now)
        } catch {
            return .other(r, shareID: share.id, whyNotNew: error)
        }
        let month = MonthIndex(zone.civilDate(of: order.paidAt))
        let bp: Int
        if let last = lastBonus, last.month == month.value, last.shopID == order.shopID {
            bp = last.bp
        } else {
            bp = try bonuses.bp(db: db, shopID: order.shopID, month: month.value) ?? guesses.bp(shopID: order.shopID, month: month)
            lastBonus = (order.shopID, month.value, bp)
        }
        let c = OrderContribution(
            order, bonus: Rate(bp: bp), selfPurchaseCommission: selfPurchaseCommission, settlement: settlement, zone: zone)
        if c.counts { try guesses.add(c.gmv, shopID: order.shopID, month: month) }
        let feedRow = OrderRepository.Writer.encode(order, c, releaseAt: OrderImporter.releaseAt(c), recorded: now, &encoder)
        return .new(NewOrder(row: r, shareID: share.id, order: order, contribution: c, feedRow: feedRow))
    }
}

/// The bonus of a month whose level is not fixed yet, as the end of the command will leave it
/// (`Ledger.fixMonths`): from the month before's GMV, the store's at the start plus that of the
/// new orders prepared since — unless the month before has closed, whose facts the start of the
/// command fixed from the store's GMV alone (SPEC §6). A guess — exact when a feed lists orders in
/// payment order, as exports do — so that the months' orders need no rewriting at the end; the
/// end corrects the orders of any month guessed wrong (the bonuses given: `given`).
final class LevelGuesses {
    let db: Database
    let rules: Rules
    let now: Instant
    /// Shop → month → the bonuses (bp) given to its new orders by guess.
    var given: [String: [Int: Set<Int>]] { shops.compactMapValues { $0.given.isEmpty ? nil : $0.given } }

    private final class ShopMonths {
        let opened: MonthIndex
        /// Month → GMV in fen (the store's at the start plus this command's new orders).
        @exclusivity(unchecked) var gmv: [Int: Int64] = [:]
        /// Month → bonuses given by guess; the last pair added, so that the rows of one month (a
        /// feed's usual run) add it once.
        var given: [Int: Set<Int>] = [:]
        @exclusivity(unchecked) var lastGiven: (month: Int, bp: Int)?
        init(opened: MonthIndex) { self.opened = opened }
    }
    private var shops: [String: ShopMonths] = [:]
    @exclusivity(unchecked) private var last: (id: String, months: ShopMonths)?

    /// The last month closed at `now` (the one before the month before always is: a close is at
    /// most 28 days into the month after).
    private let lastClosed: Int

    init(db: Database, rules: Rules, now: Instant) {
        self.db = db
        self.rules = rules
        self.now = now
        let current = MonthIndex(rules.zone.civilDate(of: now))
        lastClosed = MonthRules.isClosed(current.previous, at: now, rules: rules) ? current.value - 1 : current.value - 2
    }

    func bp(shopID: String, month m: MonthIndex) throws -> Int {
        let s = try months(shopID)
        let bp = try MonthRules.level(of: m, opened: s.opened, rules: rules) { Money(fen: try gmv(s, shopID, m.previous)) }.bonus.bp
        if s.lastGiven?.month != m.value || s.lastGiven?.bp != bp {
            s.given[m.value, default: []].insert(bp)
            s.lastGiven = (m.value, bp)
        }
        return bp
    }

    func add(_ gmv: Money, shopID: String, month m: MonthIndex) throws {
        // A closed month's facts were fixed before this command stored anything.
        if m.value <= lastClosed { return }
        let s = try months(shopID)
        s.gmv[m.value] = try self.gmv(s, shopID, m) + gmv.fen
    }
    private func months(_ shopID: String) throws -> ShopMonths {
        if let last, last.id == shopID { return last.months }
        let s: ShopMonths
        if let known = shops[shopID] {
            s = known
        } else {
            // A link's shop is always stored; were it not, the guess would only be worse (and corrected).
            let opened = try ShopRepository(db: db).find(shopID, rules: rules)?.openedAt ?? Instant(seconds: 0)
            s = ShopMonths(opened: MonthIndex(rules.zone.civilDate(of: opened)))
            shops[shopID] = s
        }
        last = (shopID, s)
        return s
    }

    private func gmv(_ s: ShopMonths, _ shopID: String, _ m: MonthIndex) throws -> Int64 {
        if let g = s.gmv[m.value] { return g }
        let g = try Ledger.gmv(db: db, shopID: shopID, month: m).fen
        s.gmv[m.value] = g
        return g
    }
}
