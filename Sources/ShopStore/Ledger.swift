import ShopKit

/// The earnings ledger: running totals kept in step with every order change, levels and
/// rewards fixed once, and the summary computed from the totals without rescanning orders.
///
///     let ledger = Ledger(store: store)
///     ledger.record(contribution, of: order, sign: +1)   // deltas gather in memory …
///     try ledger.finish(now: now)                        // … and are written, months fixed
///     try ledger.summary(shop: shop, now: now)
///
/// Every order contributes (SPEC §5) to: its paid day (orders, GMV, commission, bonus,
/// refunds), its shop's pending or confirmed total, the local day of its release, its share
/// link, and its product's units. A change is recorded as minus the old contribution plus
/// the new one, so refunds and clawbacks move every figure they touch.
public final class Ledger {
    let db: Database
    let rules: Rules
    let zone: Zone
    let orders: OrderRepository

    fileprivate struct DayDelta {
        var orders: Int64 = 0
        var gmv: Int64 = 0
        var commission: Int64 = 0
        var bonus: Int64 = 0
        var refunded: Int64 = 0
    }
    fileprivate struct ShareDelta {
        var orders: Int64 = 0
        var gmv: Int64 = 0
        var earnings: Int64 = 0
    }
    /// One shop's gathered deltas (a store holds one shop or a few: found by a short walk
    /// comparing ids, not by hashing the id on every order).
    private final class ShopDeltas {
        let shopID: String
        var days: [Int: DayDelta] = [:]
        var releaseDays: [Int: Int64] = [:]
        var pending: Int64 = 0
        var confirmed: Int64 = 0
        /// Whether any counting order was recorded (only then is the shop's total written).
        var counted = false
        var sales: [String: Int64] = [:]
        init(_ shopID: String) { self.shopID = shopID }
    }

    private var shops: [ShopDeltas] = []
    /// Set when a gathered total went past `Int64` (checked adds, never a trap): `flush` refuses.
    private var overflowed = false
    private var shares: [Int64: ShareDelta] = [:]
    /// Shops whose orders changed (their months are fixed at `finish`).
    public var touchedShops: Set<String> { Set(shops.map(\.shopID)) }

    private func deltas(_ shopID: String) -> ShopDeltas {
        if let first = shops.first, first.shopID == shopID { return first }
        if let i = shops.firstIndex(where: { $0.shopID == shopID }) {
            shops.swapAt(0, i)
            return shops[0]
        }
        shops.insert(ShopDeltas(shopID), at: 0)
        return shops[0]
    }

    private var bonuses = FixedBonuses()
    /// Months (by shop) whose orders were stored with a guessed bonus (`LevelGuesses`).
    var guessedBonus: [String: Set<Int>] = [:]

    public init(store: Store) {
        self.db = store.db
        self.rules = store.rules
        self.zone = store.rules.zone
        self.orders = store.orders
    }

    public func month(of t: Instant) -> MonthIndex { MonthIndex(zone.civilDate(of: t)) }

    /// The bonus rate an order paid at `paidAt` earns now: its month's fixed level, or 0
    /// until the level is fixed (then every order of the month is brought up to date).
    public func bonusRate(shopID: String, paidAt: Instant) throws -> Rate {
        Rate(bp: try bonuses.bp(db: db, shopID: shopID, month: month(of: paidAt).value) ?? 0)
    }

    public func contribution(_ o: Order) throws -> OrderContribution {
        OrderContribution(o, bonus: try bonusRate(shopID: o.shopID, paidAt: o.paidAt), rules: rules, zone: zone)
    }

    // MARK: - Recording

    public func record(_ c: OrderContribution, of o: Order, sign: Int64) {
        let shop = deltas(o.shopID)
        guard c.counts else { return }
        shop.counted = true
        let e = c.earnings.fen * sign
        let day = zone.civilDate(of: o.paidAt).daysSinceEpoch
        var ok = shop.days[day, default: DayDelta()].add(c, sign: sign)
        switch c.state {
        case .pending: ok = ok && checkedAdd(&shop.pending, e)
        case .confirmed(let releaseAt):
            ok = ok && checkedAdd(&shop.confirmed, e)
            ok = ok && checkedAdd(&shop.releaseDays[zone.civilDate(of: releaseAt).daysSinceEpoch, default: 0], e)
        case .none: break
        }
        ok = ok && shares[o.shareID, default: ShareDelta()].add(c, sign: sign)
        if c.units != 0 { ok = ok && checkedAdd(&shop.sales[o.productID, default: 0], c.units * sign) }
        if !ok { overflowed = true }
    }

    /// Writes the gathered deltas.
    public func flush() throws {
        if overflowed { throw Ledger.overflow }
        let day = try db.prepare(
            """
            INSERT INTO shop_days(shop_id, day, orders, gmv_fen, commission_fen, bonus_fen, refunded_fen) VALUES (?,?,?,?,?,?,?)
            ON CONFLICT(shop_id, day) DO UPDATE SET orders = orders + excluded.orders, gmv_fen = gmv_fen + excluded.gmv_fen,
                commission_fen = commission_fen + excluded.commission_fen, bonus_fen = bonus_fen + excluded.bonus_fen,
                refunded_fen = refunded_fen + excluded.refunded_fen
            """)
        let release = try db.prepare(
            """
            INSERT INTO shop_release_days(shop_id, day, earnings_fen) VALUES (?,?,?)
            ON CONFLICT(shop_id, day) DO UPDATE SET earnings_fen = earnings_fen + excluded.earnings_fen
            """)
        let total = try db.prepare(
            """
            INSERT INTO shop_totals(shop_id, pending_fen, confirmed_fen) VALUES (?,?,?)
            ON CONFLICT(shop_id) DO UPDATE SET pending_fen = pending_fen + excluded.pending_fen,
                confirmed_fen = confirmed_fen + excluded.confirmed_fen
            """)
        let sale = try db.prepare(
            """
            INSERT INTO product_sales(shop_id, product_id, units) VALUES (?,?,?)
            ON CONFLICT(shop_id, product_id) DO UPDATE SET units = units + excluded.units
            """)
        for shop in shops {
            let id = shop.shopID
            for (k, d) in shop.days { try day.run(id, Int64(k), d.orders, d.gmv, d.commission, d.bonus, d.refunded) }
            for (k, e) in shop.releaseDays where e != 0 { try release.run(id, Int64(k), e) }
            if shop.counted { try total.run(id, shop.pending, shop.confirmed) }
            for (product, u) in shop.sales where u != 0 { try sale.run(id, product, u) }
            shop.days.removeAll()
            shop.releaseDays.removeAll()
            shop.pending = 0
            shop.confirmed = 0
            shop.counted = false
            shop.sales.removeAll()
        }
        let share = try db.prepare(
            "UPDATE shares SET orders = orders + ?, gmv_fen = gmv_fen + ?, commission_fen = commission_fen + ? WHERE id = ?")
        for (id, s) in shares { try share.run(s.orders, s.gmv, s.earnings, id) }
        shares.removeAll()
    }

    /// Ends a command that changed orders: writes the totals and fixes the months due.
    public func finish(now: Instant, shops: ShopRepository) throws {
        try flush()
        for shopID in touchedShops.sorted() {
            if let shop = try shops.find(shopID, rules: rules) { try fixMonths(shop: shop, now: now) }
        }
    }

    // MARK: - Months

    /// GMV of a month (SPEC §6 `month_gmv`), from the daily totals.
    public func gmv(shopID: String, month m: MonthIndex) throws -> Money { try Self.gmv(db: db, shopID: shopID, month: m) }

    static func gmv(db: Database, shopID: String, month m: MonthIndex) throws -> Money {
        Money(
            fen: try db.prepare("SELECT COALESCE(sum(gmv_fen), 0) FROM shop_days WHERE shop_id = ? AND day >= ? AND day < ?")
                .scalarInt([shopID, Int64(m.firstDay.daysSinceEpoch), Int64(m.next.firstDay.daysSinceEpoch)]) ?? 0)
    }

    /// Fixes, once, the level of every month up to now and the reward of every month that has
    /// ended (SPEC §6), oldest first; orders of a month whose level carries a bonus get it.
    public func fixMonths(shop: Shop, now: Instant) throws {
        let shopID = shop.shopID
        let current = month(of: now)
        let opened = month(of: shop.openedAt)
        let firstDay = try db.prepare("SELECT min(day) FROM shop_days WHERE shop_id = ? AND orders != 0").scalarInt([shopID])
        var start = current
        if let d = firstDay { start = min(start, MonthIndex(CivilDate(daysSinceEpoch: Int(d)))) }
        var fixed: [Int: (level: Bool, reward: Bool)] = [:]
        try db.prepare("SELECT month, level_fixed_at IS NOT NULL, reward_fixed_at IS NOT NULL FROM shop_months WHERE shop_id = ?")
            .forEach([shopID]) { fixed[Int($0.int(0))] = ($0.bool(1), $0.bool(2)) }
        let setLevel = try db.prepare(
            """
            INSERT INTO shop_months(shop_id, month, level, bonus_bp, level_fixed_at) VALUES (?,?,?,?,?)
            ON CONFLICT(shop_id, month) DO UPDATE SET level = excluded.level, bonus_bp = excluded.bonus_bp,
                level_fixed_at = excluded.level_fixed_at
            """)
        let setReward = try db.prepare(
            """
            INSERT INTO shop_months(shop_id, month, reward_fen, reward_fixed_at) VALUES (?,?,?,?)
            ON CONFLICT(shop_id, month) DO UPDATE SET reward_fen = excluded.reward_fen, reward_fixed_at = excluded.reward_fixed_at
            """)
        var m = start
        while m <= current {
            if fixed[m.value]?.level != true {
                let level = try MonthRules.level(of: m, opened: opened, rules: rules) { try gmv(shopID: shopID, month: m.previous) }
                try setLevel.run(shopID, Int64(m.value), level.name, Int64(level.bonus.bp), now)
                bonuses.fixed(shopID: shopID, month: m.value, bp: level.bonus.bp)
                // Orders of a month not fixed before have no bonus, or the one an import guessed.
                if level.bonus.bp > 0 || guessedBonus[shopID]?.contains(m.value) == true {
                    try applyBonus(shopID: shopID, month: m, rate: level.bonus)
                }
            }
            if m < current && !rules.volumeRewards.isEmpty && fixed[m.value]?.reward != true {
                try flush()
                let reward = MonthRules.reward(gmv: try gmv(shopID: shopID, month: m), rules: rules)
                try setReward.run(shopID, Int64(m.value), reward, now)
            }
            m = m.next
        }
        try flush()
    }

    /// Whether `fixMonths` would write anything now (a read: commands that only show earnings
    /// take the write lock only when a level or reward is due).
    public func needsFixing(shop: Shop, now: Instant) throws -> Bool {
        let current = month(of: now)
        guard try level(shopID: shop.shopID, month: current) != nil else { return true }
        let firstDay = try db.prepare("SELECT min(day) FROM shop_days WHERE shop_id = ? AND orders != 0").scalarInt([shop.shopID])
        guard let d = firstDay else { return false }
        let first = MonthIndex(CivilDate(daysSinceEpoch: Int(d)))
        let months = Int64(current.value - first.value + 1)
        let levels =
            try db.prepare(
                "SELECT count(*) FROM shop_months WHERE shop_id = ? AND month >= ? AND month <= ? AND level_fixed_at IS NOT NULL"
            ).scalarInt([shop.shopID, Int64(first.value), Int64(current.value)]) ?? 0
        if levels < months { return true }
        guard !rules.volumeRewards.isEmpty, current > first else { return false }
        let rewards =
            try db.prepare(
                "SELECT count(*) FROM shop_months WHERE shop_id = ? AND month >= ? AND month < ? AND reward_fixed_at IS NOT NULL"
            ).scalarInt([shop.shopID, Int64(first.value), Int64(current.value)]) ?? 0
        return rewards < months - 1
    }

    /// Fixes what is due (in a write transaction, only when something is) and runs `body`
    /// in a consistent read.
    public func withFixedMonths<T>(shop: Shop, now: Instant, store: Store, _ body: () throws -> T) throws -> T {
        if try needsFixing(shop: shop, now: now) {
            return try store.write {
                try fixMonths(shop: shop, now: now)
                return try body()
            }
        }
        try db.execute("BEGIN")
        defer { try? db.execute("COMMIT") }
        return try body()
    }

    /// Gives every order of a month the bonus of its newly fixed level. Only the bonus moves, so
    /// the totals change by the bonus difference of each order (its paid day, its pending or
    /// confirmed total and release day, its link), read from a narrow walk of the month's orders;
    /// the orders themselves are brought up to date by one set-based UPDATE.
    private func applyBonus(shopID: String, month m: MonthIndex, rate: Rate) throws {
        let from = zone.instant(of: m.firstDay).seconds
        let to = zone.instant(of: m.next.firstDay).seconds
        let bp = Int64(rate.bp)
        // The SQL form of OrderContribution's bonus, roundHalfUp(commission × bp / 10 000):
        // commission is never negative (and 0 for orders that do not count).
        let newBonus = "(commission_fen * ?4 + 5000) / 10000"
        let shop = deltas(shopID)
        let walk = try db.prepare(
            """
            SELECT share_id, paid_at, status, release_at, commission_fen, bonus_fen FROM orders INDEXED BY orders_shop_paid
            WHERE shop_id = ?1 AND paid_at >= ?2 AND paid_at < ?3 AND bonus_fen != \(newBonus)
            """)
        var changed = false
        try walk.forEach([shopID, from, to, bp]) { r in
            changed = true
            let bonus = try roundHalfUp(r.int(4), times: bp, over: 10_000)
            let (delta, o) = bonus.subtractingReportingOverflow(r.int(5))
            var ok = !o
            shop.counted = true
            ok = ok && checkedAdd(&shop.days[zone.civilDate(of: r.instant(1)).daysSinceEpoch, default: DayDelta()].bonus, delta)
            switch r.text(2) {
            case OrderStatus.paid.rawValue, OrderStatus.shipped.rawValue: ok = ok && checkedAdd(&shop.pending, delta)
            case OrderStatus.confirmed.rawValue:
                ok = ok && checkedAdd(&shop.confirmed, delta)
                if let release = r.optionalInt(3) {
                    ok =
                        ok && checkedAdd(&shop.releaseDays[zone.civilDate(of: Instant(seconds: release)).daysSinceEpoch, default: 0], delta)
                }
            default: break
            }
            ok = ok && checkedAdd(&shares[r.int(0), default: ShareDelta()].earnings, delta)
            if !ok { throw Ledger.overflow }
        }
        // Nothing to rewrite when every order already has it (an import guessed the level).
        guard changed else { return }
        try db.prepare(
            """
            UPDATE OR FAIL orders INDEXED BY orders_shop_paid SET bonus_fen = \(newBonus)
            WHERE shop_id = ?1 AND paid_at >= ?2 AND paid_at < ?3 AND bonus_fen != \(newBonus)
            """
        ).run(shopID, from, to, bp)
    }

    /// The fixed level of a month, if it is fixed.
    public func level(shopID: String, month m: MonthIndex) throws -> String? {
        try db.prepare("SELECT level FROM shop_months WHERE shop_id = ? AND month = ? AND level_fixed_at IS NOT NULL")
            .scalarText([shopID, Int64(m.value)])
    }

    // MARK: - Summary

    /// The summary at `now` from the running totals (fix the months first: `fixMonths`).
    public func summary(shop: Shop, now: Instant) throws -> EarningsSummary {
        let shopID = shop.shopID
        let (pending, confirmed) =
            try db.prepare("SELECT pending_fen, confirmed_fen FROM shop_totals WHERE shop_id = ?").first([shopID]) {
                ($0.int(0), $0.int(1))
            }
            ?? (0, 0)
        let today = zone.civilDate(of: now)
        let past =
            try db.prepare("SELECT COALESCE(sum(earnings_fen), 0) FROM shop_release_days WHERE shop_id = ? AND day < ?")
            .scalarInt([shopID, Int64(today.daysSinceEpoch)]) ?? 0
        let todays =
            try db.prepare(
                """
                SELECT COALESCE(sum(commission_fen + bonus_fen), 0) FROM orders INDEXED BY orders_release
                WHERE shop_id = ? AND release_at >= ? AND release_at <= ? AND status = 'confirmed'
                  AND (self_purchase = 0 OR ?)
                """
            ).scalarInt([shopID, zone.instant(of: today), now, rules.selfPurchaseCommission]) ?? 0
        let released = try Ledger.sum(past, todays)
        let current = month(of: now)
        let rewards =
            try db.prepare(
                "SELECT COALESCE(sum(reward_fen), 0) FROM shop_months WHERE shop_id = ? AND reward_fixed_at IS NOT NULL AND month < ?"
            ).scalarInt([shopID, Int64(current.value)]) ?? 0
        let withdrawn = try db.prepare("SELECT COALESCE(sum(amount_fen), 0) FROM withdrawals WHERE shop_id = ?").scalarInt([shopID]) ?? 0
        let level = try self.level(shopID: shopID, month: current) ?? rules.lowestLevel.name
        return EarningsSummary(
            pending: Money(fen: pending), frozen: Money(fen: try Ledger.sum(confirmed, 0, minus: released)), released: Money(fen: released),
            rewards: Money(fen: rewards), withdrawn: Money(fen: withdrawn), feesPaid: shop.openingFee, level: level,
            nextLevel: MonthRules.nextLevel(after: level, rules: rules), monthGMV: try gmv(shopID: shopID, month: current))
    }

    /// The same summary recomputed from every order (for `shopctl check` and tests).
    public func recomputedSummary(shop: Shop, now: Instant) throws -> EarningsSummary {
        var pending: Int64 = 0
        var frozen: Int64 = 0
        var released: Int64 = 0
        var monthGMV: Int64 = 0
        let current = month(of: now)
        try orders.all(shopID: shop.shopID) { s in
            let c = OrderContribution(s.order, bonus: try bonusRate(shopID: shop.shopID, paidAt: s.order.paidAt), rules: rules, zone: zone)
            guard c.counts else { return }
            var ok = true
            switch c.state {
            case .pending: ok = checkedAdd(&pending, c.earnings.fen)
            case .confirmed(let r): ok = r <= now ? checkedAdd(&released, c.earnings.fen) : checkedAdd(&frozen, c.earnings.fen)
            case .none: break
            }
            if month(of: s.order.paidAt) == current { ok = ok && checkedAdd(&monthGMV, c.gmv.fen) }
            if !ok { throw Ledger.overflow }
        }
        var s = try summary(shop: shop, now: now)
        s.pending = Money(fen: pending)
        s.frozen = Money(fen: frozen)
        s.released = Money(fen: released)
        s.monthGMV = Money(fen: monthGMV)
        return s
    }

    // MARK: - Withdrawals

    public func recordWithdrawal(shopID: String, _ w: Withdrawal, at now: Instant) throws {
        try db.prepare("INSERT INTO withdrawals(shop_id, amount_fen, fee_fen, payout_fen, at) VALUES (?,?,?,?,?)")
            .run(shopID, w.amount, w.fee, w.payout, now)
    }

    public func withdrawals(shopID: String) throws -> [(Withdrawal, Instant)] {
        try db.prepare("SELECT amount_fen, fee_fen, payout_fen, at FROM withdrawals WHERE shop_id = ? ORDER BY id").map([shopID]) {
            (Withdrawal(amount: $0.money(0), fee: $0.money(1), payout: $0.money(2)), $0.instant(3))
        }
    }

    // MARK: - Reports

    /// Report rows by day, week or month from the daily totals (no order is read).
    public func report(shopID: String, period: ReportPeriod?, by g: ReportGrouping) throws -> [ReportRow] {
        var rows: [String: ReportRow] = [:]
        var order: [String] = []
        let from = Int64(period?.start.daysSinceEpoch ?? Int(Int32.min))
        let to = Int64(period?.end.daysSinceEpoch ?? Int(Int32.max))
        try db.prepare(
            """
            SELECT day, orders, gmv_fen, commission_fen + bonus_fen, refunded_fen FROM shop_days
            WHERE shop_id = ? AND day >= ? AND day < ? AND orders != 0 ORDER BY day
            """
        ).forEach([shopID, from, to]) { r in
            let key = g.key(of: CivilDate(daysSinceEpoch: Int(r.int(0))))
            if rows[key] == nil {
                order.append(key)
                rows[key] = ReportRow(key: key, orders: 0, gmv: .zero, commission: .zero, refunded: .zero)
            }
            guard checkedAdd(&rows[key]!.orders, r.int(1)), checkedAdd(&rows[key]!.gmv.fen, r.int(2)),
                checkedAdd(&rows[key]!.commission.fen, r.int(3)), checkedAdd(&rows[key]!.refunded.fen, r.int(4))
            else { throw Ledger.overflow }
        }
        return order.map { rows[$0]! }
    }

    /// Report rows by product, category or channel, from the orders paid in the period.
    public func reportByOrder(shopID: String, period: ReportPeriod?, by g: ReportGrouping) throws -> [ReportRow] {
        let column: String
        switch g {
        case .product: column = "product_id"
        case .category: column = "category"
        default: column = "channel"
        }
        let from = period.map { zone.instant(of: $0.start) } ?? Instant(seconds: Int64.min / 2)
        let to = period.map { zone.instant(of: $0.end) } ?? Instant(seconds: Int64.max / 2)
        return try db.prepare(
            """
            SELECT \(column), count(*),
                   sum(CASE WHEN status = 'refunded' THEN 0 ELSE amount_fen - refunded_fen END),
                   sum(commission_fen + bonus_fen),
                   sum(CASE WHEN status = 'refunded' THEN amount_fen ELSE refunded_fen END)
            FROM orders WHERE shop_id = ? AND paid_at >= ? AND paid_at < ? AND (self_purchase = 0 OR ?)
            GROUP BY \(column) ORDER BY 4 DESC, 1
            """
        ).map([shopID, from, to, rules.selfPurchaseCommission]) {
            ReportRow(key: $0.text(0), orders: $0.int(1), gmv: $0.money(2), commission: $0.money(3), refunded: $0.money(4))
        }
    }
}

extension Ledger {
    /// A shop's totals past `Int64` fen (92 million billion yuan: about 46 million orders of the
    /// largest amount at 100 % with a 100 % bonus). Checked, never wrapped nor trapped; the
    /// command stores nothing (its transaction rolls back).
    static let overflow = ShopError.invalidInput(
        "totals-overflow", en: "the totals would exceed 92,233,720,368,547,758.07 yuan; nothing was stored",
        zh: "合计金额将超过 92,233,720,368,547,758.07 元，未保存任何内容")

    /// `a + b − minus`, checked.
    static func sum(_ a: Int64, _ b: Int64, minus: Int64 = 0) throws -> Int64 {
        let (s, o1) = a.addingReportingOverflow(b)
        let (r, o2) = s.subtractingReportingOverflow(minus)
        if o1 || o2 { throw overflow }
        return r
    }
}

/// `total += delta` unless it overflows (then `total` is unchanged and the answer is false).
func checkedAdd(_ total: inout Int64, _ delta: Int64) -> Bool {
    let (r, o) = total.addingReportingOverflow(delta)
    if !o { total = r }
    return !o
}

extension Ledger.DayDelta {
    /// Deltas are at most 2 × 10^11 fen an order (SPEC §2 bounds): the products cannot overflow.
    fileprivate mutating func add(_ c: OrderContribution, sign: Int64) -> Bool {
        checkedAdd(&orders, sign) && checkedAdd(&gmv, c.gmv.fen * sign) && checkedAdd(&commission, c.commission.fen * sign)
            && checkedAdd(&bonus, c.bonus.fen * sign) && checkedAdd(&refunded, c.refunded.fen * sign)
    }
}

extension Ledger.ShareDelta {
    fileprivate mutating func add(_ c: OrderContribution, sign: Int64) -> Bool {
        checkedAdd(&orders, sign) && checkedAdd(&gmv, c.gmv.fen * sign) && checkedAdd(&earnings, c.earnings.fen * sign)
    }
}

/// The bonus (bp) of each month whose level is fixed, read once per (shop, month); nil while a
/// month's level is not fixed.
struct FixedBonuses {
    private var cache: [String: [Int: Int?]] = [:]

    mutating func bp(db: Database, shopID: String, month: Int) throws -> Int? {
        if let cached = cache[shopID]?[month] { return cached }
        let bp =
            try db.prepare("SELECT bonus_bp FROM shop_months WHERE shop_id = ? AND month = ? AND level_fixed_at IS NOT NULL")
            .scalarInt([shopID, Int64(month)]).map { Int($0) }
        cache[shopID, default: [:]][month] = bp
        return bp
    }

    /// Records a level fixed now.
    mutating func fixed(shopID: String, month: Int, bp: Int) {
        cache[shopID, default: [:]][month] = bp
    }
}
