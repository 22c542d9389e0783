/// An order's lifecycle: `paid → shipped → confirmed` (steps may be skipped), any of them → `refunded`.
public enum OrderStatus: String, Sendable, CaseIterable, Comparable {
    case paid, shipped, confirmed, refunded

    var rank: Int {
        switch self {
        case .paid: return 0
        case .shipped: return 1
        case .confirmed: return 2
        case .refunded: return 3
        }
    }

    public static func < (a: OrderStatus, b: OrderStatus) -> Bool { a.rank < b.rank }

    /// Whether an order may move from `self` to `next` (staying is allowed).
    public func canMove(to next: OrderStatus) -> Bool {
        if self == next { return true }
        if self == .refunded { return false }
        return next.rank > rank
    }
}

/// An attributed order of a shop, as stored. Amounts in fen; the rate frozen at first store.
///
///     var o = Order(...)                          // paid, ¥129.50 × 2, rate 20 %
///     o.net                                       // ¥259.00
///     o.commission                                // ¥51.80
public struct Order: Sendable, Equatable {
    public var orderID: String
    public var shopID: String
    public var shareID: Int64
    public var productID: String
    public var category: String
    public var channel: String
    public var quantity: Int64
    public var unitPrice: Money
    public var amount: Money
    /// Cumulative refunded amount as reported (never more than `amount`); the whole `amount`
    /// when the order became `refunded` without a figure. Outputs show `effectiveRefund`.
    public var refunded: Money
    public var status: OrderStatus
    /// When the order reached `status`.
    public var statusAt: Instant
    public var paidAt: Instant
    public var confirmedAt: Instant?
    public var rate: Rate
    public var selfPurchase: Bool

    public init(
        orderID: String, shopID: String, shareID: Int64, productID: String, category: String, channel: String, quantity: Int64,
        unitPrice: Money, amount: Money, refunded: Money, status: OrderStatus, statusAt: Instant, paidAt: Instant,
        confirmedAt: Instant?, rate: Rate, selfPurchase: Bool
    ) {
        self.orderID = orderID
        self.shopID = shopID
        self.shareID = shareID
        self.productID = productID
        self.category = category
        self.channel = channel
        self.quantity = quantity
        self.unitPrice = unitPrice
        self.amount = amount
        self.refunded = refunded
        self.status = status
        self.statusAt = statusAt
        self.paidAt = paidAt
        self.confirmedAt = confirmedAt
        self.rate = rate
        self.selfPurchase = selfPurchase
    }

    /// `amount − refunded`, and 0 once the order is `refunded`.
    public var net: Money { status == .refunded ? .zero : Money(fen: amount.fen - refunded.fen) }

    /// The one refunded figure every output shows (`orders list`, `orders show`, JSON and
    /// human, `earnings`): everything once `refunded` (net 0), else the cumulative `refunded`.
    public var effectiveRefund: Money { status == .refunded ? amount : refunded }
}

/// One change of an order: what a feed row or `orders update` asks for.
public struct OrderChange: Sendable, Equatable {
    public var status: OrderStatus
    /// When the order reached `status`; nil = default (paid_at for `paid`, else now).
    public var statusAt: Instant?
    /// Cumulative refunded amount; nil = unchanged (or 0 for a new order).
    public var refunded: Money?

    public init(status: OrderStatus, statusAt: Instant?, refunded: Money?) {
        self.status = status
        self.statusAt = statusAt
        self.refunded = refunded
    }
}

/// The order rules (SPEC §4 orders), as pure functions.
public enum OrderRules {
    /// Applies a change to a stored order.
    /// - Returns: the new order, or nil when the change changes nothing (a re-import). An order
    ///   that becomes `refunded` without a refunded figure has its whole amount refunded.
    /// - Throws: `invalid-transition` for a status moving back or out of `refunded`, or a
    ///   refund that shrinks; `bad-value` for a time before payment or in the future, or a refund
    ///   above the amount.
    public static func apply(_ change: OrderChange, to order: Order, now: Instant) throws(RowProblem) -> Order? {
        let refunded = change.refunded ?? order.refunded
        if refunded > order.amount {
            throw RowProblem(
                "bad-value", en: "column refunded: \(refunded.formatted) is more than the order amount \(order.amount.formatted)",
                zh: "列 refunded：\(refunded.formatted) 超过订单金额 \(order.amount.formatted)")
        }
        if refunded < order.refunded {
            throw RowProblem(
                "invalid-transition",
                en: "order \(order.orderID): the refunded amount may only grow (\(order.refunded.formatted) → \(refunded.formatted))",
                zh: "订单 \(order.orderID)：退款金额只能增加（\(order.refunded.formatted) → \(refunded.formatted)）")
        }
        if !order.status.canMove(to: change.status) {
            throw RowProblem(
                "invalid-transition",
                en: "order \(order.orderID): status cannot go from \(order.status.rawValue) to \(change.status.rawValue)",
                zh: "订单 \(order.orderID)：状态不能从 \(order.status.rawValue) 变为 \(change.status.rawValue)")
        }
        if change.status == order.status && refunded == order.refunded { return nil }
        var next = order
        // Refunded without a figure: the whole amount (docs/earnings.md).
        next.refunded = change.status == .refunded && change.refunded == nil ? order.amount : refunded
        if change.status != order.status {
            let at = change.statusAt ?? now
            try checkStatusTime(at, paidAt: order.paidAt, now: now)
            next.status = change.status
            next.statusAt = at
            if change.status == .confirmed { next.confirmedAt = at }
        }
        return next
    }

    /// A status time may not be before payment, nor later than now.
    public static func checkStatusTime(_ at: Instant, paidAt: Instant, now: Instant) throws(RowProblem) {
        if at < paidAt {
            throw RowProblem("bad-value", en: "column status_at: the status time is before paid_at", zh: "列 status_at：状态时间早于付款时间")
        }
        if at > now {
            throw RowProblem("bad-value", en: "column status_at: the status time is in the future", zh: "列 status_at：状态时间晚于当前时间")
        }
    }
}

/// What an order adds to a shop's figures (SPEC §5), given the bonus of its paid month.
///
///     let c = OrderContribution(order, bonus: Rate(bp: 500), rules: rules)
///     c.commission, c.bonus, c.earnings, c.state
public struct OrderContribution: Sendable, Equatable {
    public enum State: Sendable, Equatable {
        /// paid or shipped.
        case pending
        /// confirmed: frozen until `releaseAt`, released after.
        case confirmed(releaseAt: Instant)
        /// refunded before confirmation (earns nothing, releases nothing).
        case none
    }

    /// Whether the order is the shop's at all: self-purchases only where they earn.
    public var counts: Bool
    /// Counts toward GMV: `net` of a non-refunded order.
    public var gmv: Money
    public var refunded: Money
    public var commission: Money
    public var bonus: Money
    public var units: Int64
    public var state: State

    public var earnings: Money { Money(fen: commission.fen + bonus.fen) }

    public static let nothing = OrderContribution(
        counts: false, gmv: .zero, refunded: .zero, commission: .zero, bonus: .zero, units: 0, state: .none)

    public init(counts: Bool, gmv: Money, refunded: Money, commission: Money, bonus: Money, units: Int64, state: State) {
        self.counts = counts
        self.gmv = gmv
        self.refunded = refunded
        self.commission = commission
        self.bonus = bonus
        self.units = units
        self.state = state
    }

    public init(_ o: Order, bonus bonusRate: Rate, rules: Rules, zone: Zone) {
        self.init(o, bonus: bonusRate, selfPurchaseCommission: rules.selfPurchaseCommission, settlement: rules.settlement, zone: zone)
    }

    /// The same from the two rules it reads (`self_purchase_commission`, `settlement`): an
    /// import's hot loop passes them without copying the whole `Rules`.
    public init(_ o: Order, bonus bonusRate: Rate, selfPurchaseCommission: Bool, settlement: Settlement, zone: Zone) {
        guard !o.selfPurchase || selfPurchaseCommission else {
            self = .nothing
            return
        }
        let commission = Money(fen: (try? roundHalfUp(o.net.fen, times: Int64(o.rate.bp), over: 10_000)) ?? 0)
        let bonus = Money(fen: (try? roundHalfUp(commission.fen, times: Int64(bonusRate.bp), over: 10_000)) ?? 0)
        let state: State
        switch o.status {
        case .paid, .shipped: state = .pending
        case .confirmed:
            state = .confirmed(releaseAt: settlement.releaseTime(confirmedAt: o.confirmedAt ?? o.statusAt, zone: zone))
        case .refunded: state = .none
        }
        self.init(
            counts: true, gmv: o.net, refunded: o.effectiveRefund, commission: commission, bonus: bonus,
            units: o.status == .refunded ? 0 : o.quantity, state: state)
    }
}

extension Settlement {
    /// The longest `after_days` a rules file may ask for (ten years).
    public static let maxDays = 3650

    /// When confirmed earnings are released under this rule (SPEC §5): `after_days` —
    /// `confirmed_at + days`; `monthly` — 00:00 on `day` of the month after the month of
    /// `confirmed_at`, in the store's zone.
    public func releaseTime(confirmedAt: Instant, zone: Zone) -> Instant {
        switch self {
        case .afterDays(let days):
            return confirmedAt.adding(days: days)
        case .monthly(let day):
            return zone.instant(of: zone.civilDate(of: confirmedAt).firstOfMonth(adding: 1).day(day))
        }
    }
}

/// A calendar month as `year × 12 + (month − 1)`, for month arithmetic and keys.
public struct MonthIndex: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var value: Int
    public init(_ value: Int) { self.value = value }
    public init(_ d: CivilDate) { value = d.year * 12 + d.month - 1 }
    public var year: Int { value >= 0 ? value / 12 : (value - 11) / 12 }
    public var month: Int { value - year * 12 + 1 }
    public var firstDay: CivilDate { MonthIndex.epoch.firstOfMonth(adding: value - MonthIndex(MonthIndex.epoch).value) }
    private static let epoch = CivilDate(daysSinceEpoch: 0)
    public var previous: MonthIndex { MonthIndex(value - 1) }
    public var next: MonthIndex { MonthIndex(value + 1) }
    public static func < (a: MonthIndex, b: MonthIndex) -> Bool { a.value < b.value }
    /// `2026-11`.
    public var description: String { "\(year)-\(month < 10 ? "0" : "")\(month)" }
}

/// Month-end facts (SPEC §6) as pure functions.
public enum MonthRules {
    /// The level for a month whose previous month had `previousGMV`.
    public static func level(previousGMV: Money, rules: Rules) -> Level {
        rules.levels.last { $0.minPrevMonthGMV <= previousGMV } ?? rules.lowestLevel
    }

    /// The level of month `m` of a shop opened in month `opened`: the lowest up to the month it
    /// opened in, then by the previous month's GMV (asked for only then).
    public static func level(of m: MonthIndex, opened: MonthIndex, rules: Rules, previousGMV: () throws -> Money) rethrows -> Level {
        m <= opened ? rules.lowestLevel : level(previousGMV: try previousGMV(), rules: rules)
    }

    /// The volume reward for a month of `gmv` (zero when no tier is reached).
    public static func reward(gmv: Money, rules: Rules) -> Money {
        rules.volumeRewards.last { $0.minMonthGMV <= gmv }?.reward ?? .zero
    }

    /// The level above `level`, if any.
    public static func nextLevel(after level: String, rules: Rules) -> Level? {
        guard let i = rules.levelRank(level), i + 1 < rules.levels.count else { return nil }
        return rules.levels[i + 1]
    }
}
