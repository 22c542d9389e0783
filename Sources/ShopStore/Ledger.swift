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
        // Touched by every order on one thread, never through an overlapping access (their
        // runtime exclusivity checks were a tenth of `record`).
        @exclusivity(unchecked) var days: [Int: DayDelta] = [:]
        @exclusivity(unchecked) var releaseDays: [Int: Int64] = [:]
        @exclusivity(unchecked) var pending: Int64 = 0
        @exclusivity(unchecked) var confirmed: Int64 = 0
        /// Whether any counting order was recorded (only then is the shop's total written).
        @exclusivity(unchecked) var counted = false
        @exclusivity(unchecked) var sales: [String: Int64] = [:]
        init(_ shopID: String) { self.shopID = shopID }
    }

    @exclusivity(unchecked) private var shops: [ShopDeltas] = []
    /// Set when a gathered total went past `Int64` (checked adds, never a trap): `flush` refuses.
    @exclusivity(unchecked) private var overflowed = false
    @exclusivity(unchecked) private var shares: [Int64: ShareDelta] = [:]
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

    /// The bonus applied to each month's orders (the level stored for it, fixed or provisional).
    private var bonuses = FixedBonuses(fixedOnly: false)
    /// Bonuses (bp) that new orders were stored with by guess (`LevelGuesses`), by shop and month.
    var guessedBonus: [String: [Int: Set<Int>]] = [:]

    public init(store: Store) {
        self.db = store.db
        self.rules = store.rules
        self.zone = store.rules.zone
        self.orders = store.orders
    }

    public func month(of t: Instant) -> MonthIndex { MonthIndex(zone.civilDate(of: t)) }

    /// The bonus rate an order paid at `paidAt` earns now: that of its month's level as stored
    /// (fixed or provisional), 0 before a level is stored; the end of the command brings every
    /// order of a month whose level moved up to date (`fixMonths`).
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
        let day = zone.localDay(of: o.paidAt)
        var ok = shop.days[day, default: DayDelta()].add(c, sign: sign)
        switch c.state {
        case .pending: ok = ok && checkedAdd(&shop.pending, e)
        case .confirmed(let releaseAt):
            ok = ok && checkedAdd(&shop.confirmed, e)
            ok = ok && checkedAdd(&shop.releaseDays[zone.localDay(of: releaseAt), default: 0], e)
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

    /// Starts a command that changes orders: fixes the facts due of every shop of the store
    /// before a row is stored (SPEC §6: what arrives on or after a close no longer counts).
    public func begin(now: Instant, shops: ShopRepository) throws {
        for shop in try shops.all(rules: rules) { try fixMonths(shop: shop, now: now) }
    }

    /// Ends a command that changed orders: writes the totals, recomputes the provisional facts
    /// and fixes those due, and notes the months whose facts were fixed before a change of their
    /// GMV arrived (SPEC §6 `notes`).
    public func finish(now: Instant, shops: ShopRepository) throws {
        var changed: [String: [Int: Int64]] = [:]
        for shop in self.shops {
            for (day, d) in shop.days where d.gmv != 0 {
                let m = MonthIndex(CivilDate(daysSinceEpoch: day)).value
                guard checkedAdd(&changed[shop.shopID, default: [:]][m, default: 0], d.gmv) else { throw Ledger.overflow }
            }
        }
        try flush()
        for shopID in touchedShops.sorted() {
            guard let shop = try shops.find(shopID, rules: rules) else { continue }
            try fixMonths(shop: shop, now: now)
            for (m, delta) in (changed[shopID] ?? [:]).sorted(by: { $0.key < $1.key }) where delta != 0 {
                try noteLateChange(shop: shop, month: MonthIndex(m), delta: delta, now: now)
            }
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

    /// What is stored of a month (`shop_months`).
    struct MonthRow {
        var level: String?
        var bonusBP: Int?
        var levelFixed = false
        var reward: Int64?
        var rewardFixed = false
        var closeGMV: Int64?
        var lateAt: Instant?
    }

    func monthRows(shopID: String) throws -> [Int: MonthRow] {
        var rows: [Int: MonthRow] = [:]
        try db.prepare(
            """
            SELECT month, level, bonus_bp, level_fixed_at IS NOT NULL, reward_fen, reward_fixed_at IS NOT NULL, close_gmv_fen, late_at
            FROM shop_months WHERE shop_id = ?
            """
        ).forEach([shopID]) { r in
            rows[Int(r.int(0))] = MonthRow(
                level: r.optionalText(1), bonusBP: r.optionalInt(2).map { Int($0) }, levelFixed: r.bool(3), reward: r.optionalInt(4),
                rewardFixed: r.bool(5), closeGMV: r.optionalInt(6), lateAt: r.optionalInt(7).map { Instant(seconds: $0) })
        }
        return rows
    }

    /// A month's level as it stands: the level, and whether it is fixed, due to be fixed now, or
    /// provisional.
    public struct MonthLevel: Sendable, Equatable {
        public var level: Level
        public var state: MonthRules.FactState
        /// SPEC §4 `level_provisional`: false in a shop's first month and once fixed.
        public var provisional: Bool { state == .provisional }
    }

    /// THE one place that decides a month's level (SPEC §6): the stored one once fixed; else the
    /// rules' level from the previous month's GMV as the store holds it now (the lowest in a shop's
    /// first month) — due to be fixed when the previous month has closed, provisional before.
    /// Every command showing or using a level comes here (`currentLevel`), and `fixMonths` stores
    /// what this decides.
    func level(of shop: Shop, month m: MonthIndex, now: Instant, rows: [Int: MonthRow]) throws -> MonthLevel {
        let row = rows[m.value]
        let opened = month(of: shop.openedAt)
        let state = MonthRules.levelState(of: m, opened: opened, fixed: row?.levelFixed == true, now: now, rules: rules)
        if state == .fixed, let name = row?.level {
            let known = rules.levels.first { $0.name == name }
            return MonthLevel(
                level: Level(name, known?.minPrevMonthGMV.fen ?? 0, row?.bonusBP ?? known?.bonus.bp ?? 0), state: .fixed)
        }
        let level = try MonthRules.level(of: m, opened: opened, rules: rules) { try gmv(shopID: shop.shopID, month: m.previous) }
        return MonthLevel(level: level, state: state == .fixed ? .due : state)
    }

    /// THE one place that decides a month's volume reward (SPEC §6), as `level(of:month:now:rows:)`.
    func reward(of shop: Shop, month m: MonthIndex, now: Instant, rows: [Int: MonthRow]) throws -> (Money, MonthRules.FactState) {
        let row = rows[m.value]
        let state = MonthRules.rewardState(of: m, fixed: row?.rewardFixed == true, now: now, rules: rules)
        if state == .fixed { return (Money(fen: row?.reward ?? 0), .fixed) }
        return (MonthRules.reward(gmv: try gmv(shopID: shop.shopID, month: m), rules: rules), state)
    }

    /// The level of the month of `now` (read it after `fixMonths`, or inside `withFixedMonths`).
    public func currentLevel(of shop: Shop, now: Instant) throws -> MonthLevel {
        try level(of: shop, month: month(of: now), now: now, rows: monthRows(shopID: shop.shopID))
    }

    /// The months a shop's facts are kept for: from its first month (or first order) to now.
    func months(of shop: Shop, now: Instant) throws -> [MonthIndex] {
        let current = month(of: now)
        var start = min(current, month(of: shop.openedAt))
        let firstDay = try db.prepare("SELECT min(day) FROM shop_days WHERE shop_id = ? AND orders != 0").scalarInt([shop.shopID])
        if let d = firstDay { start = min(start, MonthIndex(CivilDate(daysSinceEpoch: Int(d)))) }
        return (start.value...current.value).map { MonthIndex($0) }
    }

    /// Brings a shop's month facts up to date (SPEC §6), oldest month first: fixes, once and for
    /// good, the levels and rewards due (a month's close has passed: the level for the month after
    /// and the reward for it, together), and recomputes the provisional ones from the orders known.
    /// The orders of a month whose level moved (or that an import stored with a guessed bonus) get
    /// their level's bonus.
    public func fixMonths(shop: Shop, now: Instant) throws {
        try flush()
        let shopID = shop.shopID
        let rows = try monthRows(shopID: shopID)
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
        let setCloseGMV = try db.prepare(
            """
            INSERT INTO shop_months(shop_id, month, close_gmv_fen) VALUES (?,?,?)
            ON CONFLICT(shop_id, month) DO UPDATE SET close_gmv_fen = excluded.close_gmv_fen
            """)
        let opened = month(of: shop.openedAt)
        for m in try months(of: shop, now: now) {
            let row = rows[m.value]
            let applied = row?.bonusBP ?? 0
            let fact = try level(of: shop, month: m, now: now, rows: rows)
            let bp = fact.level.bonus.bp
            if fact.state != .fixed {
                let due = fact.state == .due
                if due || row?.level != fact.level.name || row?.bonusBP != bp {
                    try setLevel.run(shopID, Int64(m.value), fact.level.name, Int64(bp), due ? now : nil)
                }
                bonuses.fixed(shopID: shopID, month: m.value, bp: bp)
                if due && m > opened {
                    try setCloseGMV.run(shopID, Int64(m.previous.value), try gmv(shopID: shopID, month: m.previous))
                }
            }
            if bp != applied || guessedBonus[shopID]?[m.value]?.contains(where: { $0 != bp }) == true {
                try applyBonus(shopID: shopID, month: m, rate: Rate(bp: bp))
            }
            guard !rules.volumeRewards.isEmpty else { continue }
            let (reward, state) = try self.reward(of: shop, month: m, now: now, rows: rows)
            if state != .fixed && (state == .due || row?.reward != reward.fen || row?.rewardFixed != false) {
                try setReward.run(shopID, Int64(m.value), reward, state == .due ? now : nil)
                if state == .due { try setCloseGMV.run(shopID, Int64(m.value), try gmv(shopID: shopID, month: m)) }
            }
        }
        guessedBonus[shopID] = nil
        try flush()
    }

    /// Whether `fixMonths` would fix anything now (a read: commands that only show take the
    /// write lock only when a level or reward is due).
    public func needsFixing(shop: Shop, now: Instant) throws -> Bool {
        let rows = try monthRows(shopID: shop.shopID)
        let opened = month(of: shop.openedAt)
        for m in try months(of: shop, now: now) {
            let row = rows[m.value]
            if MonthRules.levelState(of: m, opened: opened, fixed: row?.levelFixed == true, now: now, rules: rules) == .due {
                return true
            }
            if !rules.volumeRewards.isEmpty
                && MonthRules.rewardState(of: m, fixed: row?.rewardFixed == true, now: now, rules: rules) == .due
            {
                return true
            }
        }
        return false
    }

    /// Fixes what is due for `shops` (in a write transaction, only when something is) and runs
    /// `body` in a consistent read.
    public func withFixedMonths<T>(shops: [Shop], now: Instant, store: Store, _ body: () throws -> T) throws -> T {
        if store.access.writes, try shops.contains(where: { try needsFixing(shop: $0, now: now) }) {
            return try store.write {
                for shop in shops { try fixMonths(shop: shop, now: now) }
                return try body()
            }
        }
        try db.execute("BEGIN")
        defer { try? db.execute("COMMIT") }
        return try body()
    }

    public func withFixedMonths<T>(shop: Shop, now: Instant, store: Store, _ body: () throws -> T) throws -> T {
        try withFixedMonths(shops: [shop], now: now, store: store, body)
    }

    /// Records that a change of month `m`'s GMV (`delta`) arrived after its facts were fixed: one
    /// note per month, kept (SPEC §6). The GMV the facts were fixed from is kept with it.
    private func noteLateChange(shop: Shop, month m: MonthIndex, delta: Int64, now: Instant) throws {
        let rows = try monthRows(shopID: shop.shopID)
        let nextFixed = m.next > month(of: shop.openedAt) && rows[m.next.value]?.levelFixed == true
        guard nextFixed || rows[m.value]?.rewardFixed == true else { return }
        let before = try gmv(shopID: shop.shopID, month: m).fen - delta
        try db.prepare(
            """
            INSERT INTO shop_months(shop_id, month, close_gmv_fen, late_at) VALUES (?1,?2,?3,?4)
            ON CONFLICT(shop_id, month) DO UPDATE SET close_gmv_fen = COALESCE(close_gmv_fen, ?3), late_at = COALESCE(late_at, ?4)
            """
        ).run(shop.shopID, Int64(m.value), before, now)
    }

    /// The notes of `earnings` (SPEC §6): one per month whose GMV changed after its facts were fixed.
    public func notes(shop: Shop) throws -> [Message] {
        let rows = try monthRows(shopID: shop.shopID)
        return try rows.keys.sorted().compactMap { key -> Message? in
            guard let row = rows[key], row.lateAt != nil else { return nil }
            let m = MonthIndex(key)
            let closes = m.next.firstDay.adding(days: rules.monthCloseDays).description
            let now = Money(fen: try gmv(shopID: shop.shopID, month: m).fen).formatted
            let then = row.closeGMV.map { Money(fen: $0).formatted } ?? "?"
            var en =
                "\(m): orders or refunds that arrived after the month closed (\(closes) 00:00) changed its GMV from \(then) to \(now)"
            var zh = "\(m)：本月结账（\(closes) 00:00）后到达的订单或退款使成交额由 \(then) 变为 \(now)"
            var enFacts: [String] = []
            var zhFacts: [String] = []
            if let next = rows[m.next.value], next.levelFixed, let name = next.level {
                enFacts.append("the level for \(m.next) (\(name))")
                zhFacts.append("\(m.next) 的等级（\(name)）")
            }
            if !rules.volumeRewards.isEmpty, row.rewardFixed {
                let reward = Money(fen: row.reward ?? 0).formatted
                enFacts.append("the reward for \(m) (\(reward))")
                zhFacts.append("\(m) 的月销奖励（\(reward)）")
            }
            if !enFacts.isEmpty {
                en += "; " + enFacts.joined(separator: " and ") + (enFacts.count == 1 ? " stays" : " stay") + " as fixed"
                zh += "；" + zhFacts.joined(separator: "和") + "按已确定的不变"
            }
            return Message(en: en, zh: zh)
        }
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
        // A reward is released when it is fixed (SPEC §6); a provisional one is not yet.
        let rewards =
            try db.prepare("SELECT COALESCE(sum(reward_fen), 0) FROM shop_months WHERE shop_id = ? AND reward_fixed_at IS NOT NULL")
            .scalarInt([shopID]) ?? 0
        let withdrawn = try db.prepare("SELECT COALESCE(sum(amount_fen), 0) FROM withdrawals WHERE shop_id = ?").scalarInt([shopID]) ?? 0
        let level = try currentLevel(of: shop, now: now)
        var s = EarningsSummary(
            pending: Money(fen: pending), frozen: Money(fen: try Ledger.sum(confirmed, 0, minus: released)), released: Money(fen: released),
            rewards: Money(fen: rewards), withdrawn: Money(fen: withdrawn), feesPaid: shop.openingFee, level: level.level.name,
            nextLevel: MonthRules.nextLevel(after: level.level.name, rules: rules), monthGMV: try gmv(shopID: shopID, month: current))
        s.levelProvisional = level.provisional
        s.notes = try notes(shop: shop)
        return s
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
        case .campaign: column = "COALESCE((SELECT s.campaign FROM shares s WHERE s.id = orders.share_id), '')"
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

/// The bonus (bp) of each month whose level is stored, read once per (shop, month): only fixed
/// levels (`fixedOnly`, for an import's reading thread) or provisional ones too (what a month's
/// orders were given); nil while a month has none.
struct FixedBonuses {
    let fixedOnly: Bool
    private var cache: [String: [Int: Int?]] = [:]

    init(fixedOnly: Bool) { self.fixedOnly = fixedOnly }

    mutating func bp(db: Database, shopID: String, month: Int) throws -> Int? {
        if let cached = cache[shopID]?[month] { return cached }
        let bp =
            try db.prepare(
                "SELECT bonus_bp FROM shop_months WHERE shop_id = ? AND month = ?\(fixedOnly ? " AND level_fixed_at IS NOT NULL" : "")"
            )
            .scalarInt([shopID, Int64(month)]).map { Int($0) }
        cache[shopID, default: [:]][month] = bp
        return bp
    }

    /// Records a level stored now.
    mutating func fixed(shopID: String, month: Int, bp: Int) {
        cache[shopID, default: [:]][month] = bp
    }
}
