import Foundation

/// `shopctl reconcile` (SPEC §8): the platform's statement held against the store's own figures,
/// order by order, as a pure merge of two sequences sorted by order id (docs/reconcile.md).
///
///     var r = Reconciler(comparesMissing: true, zone: .shanghai, bonusRates: [:])
///     let result = try r.run(ours: { store.next() }, theirs: { statement.next() })
///     result.matched, result.ours, result.theirs, result.shown   // the first 20 differences
///
/// Order ids are compared by their UTF-8 bytes: the order of SQLite's BINARY collation, which
/// orders the store's `UNIQUE` index on `orders.order_id` (two ids that are canonically
/// equivalent Unicode but different bytes are different orders, as they are to the store).

// MARK: - Statement side

/// A statement's figure: yuan with up to 6 decimals, held exactly in 1/10000 fen.
///
///     StatementAmount.parse("¥1,234.5")!.fen      // 123450
///     StatementAmount.parse("12.345")!.units      // 123_4500 (12.345 yuan = 1234.5 fen)
public struct StatementAmount: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// 1/10000 fen: the exact value of `net_fen × rate_bp / 10000` fen.
    public var units: Int64
    public static let unitsPerFen: Int64 = 10_000
    /// The most decimals (of yuan) a statement's figure may carry.
    public static let maxDecimals = 6

    public init(units: Int64) { self.units = units }
    public init(fen: Int64) { units = fen * Self.unitsPerFen }

    /// The whole fen the figure reaches (truncated toward zero).
    public var fen: Int64 { units / Self.unitsPerFen }
    /// Whether the figure is a whole number of fen.
    public var isWholeFen: Bool { units % Self.unitsPerFen == 0 }

    public static func < (a: StatementAmount, b: StatementAmount) -> Bool { a.units < b.units }

    /// `129`, `129.5`, `-3.20`, `¥1,234.50`, `￥12.345`: yuan, at most 6 decimals, at most
    /// 1,000,000,000 yuan, negative allowed (an adjustment line). nil for anything else.
    public static func parse(_ text: String) -> StatementAmount? {
        var b = Array(text.trimmingSpaces().utf8)[...]
        var negative = false
        func sign() {
            if b.first == UInt8(ascii: "-") {
                negative = true
                b = b.dropFirst()
            }
        }
        sign()
        if b.starts(with: [0xC2, 0xA5]) {
            b = b.dropFirst(2)
        } else if b.starts(with: [0xEF, 0xBF, 0xA5]) {
            b = b.dropFirst(3)
        }
        if !negative { sign() }
        var whole: Int64 = 0
        var wholeDigits = 0
        var groupDigits = -1  // digits since the last thousands separator (-1: none seen)
        var fraction: Int64 = 0
        var decimals = 0
        var point = false
        for c in b {
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                let d = Int64(c - 48)
                if point {
                    decimals += 1
                    if decimals > maxDecimals { return nil }
                    fraction = fraction * 10 + d
                } else {
                    wholeDigits += 1
                    if groupDigits >= 0 { groupDigits += 1 }
                    if groupDigits > 3 { return nil }
                    whole = whole * 10 + d
                    if whole > 1_000_000_000 { return nil }
                }
            case UInt8(ascii: ","):
                if point || wholeDigits == 0 || (groupDigits >= 0 && groupDigits != 3) || (groupDigits < 0 && wholeDigits > 3) {
                    return nil
                }
                groupDigits = 0
            case UInt8(ascii: "."):
                if point || wholeDigits == 0 || (groupDigits >= 0 && groupDigits != 3) { return nil }
                point = true
            default: return nil
            }
        }
        if wholeDigits == 0 || (point && decimals == 0) || (!point && groupDigits >= 0 && groupDigits != 3) { return nil }
        for _ in decimals..<maxDecimals { fraction *= 10 }
        let units = whole * 1_000_000 + fraction
        if units > 1_000_000_000 * 1_000_000 { return nil }
        return StatementAmount(units: negative ? -units : units)
    }

    /// `¥12.34`, or with the decimals it carries beyond the fen: `¥12.345`.
    public var formatted: String {
        let money = Money(fen: fen).formatted
        guard !isWholeFen else { return units < 0 && fen == 0 ? "-" + money : money }
        var rest = String(units.magnitude % UInt64(Self.unitsPerFen))
        rest = String(repeating: "0", count: 4 - rest.count) + rest
        while rest.hasSuffix("0") { rest.removeLast() }
        return (units < 0 && fen == 0 ? "-" : "") + money + rest
    }

    public var description: String { formatted }
}

/// What a statement or the store says of an order's settlement.
public enum SettlementState: String, Sendable, CaseIterable {
    /// Paid or shipped, not settled yet (订单付款).
    case pending
    /// Settled: confirmed, frozen or released (订单成功, 订单结算).
    case settled
    /// Invalid: refunded or cancelled (订单失效); judged by the amount alone.
    case invalid

    /// The store's state of an order of `status`.
    public init(_ status: OrderStatus) {
        switch status {
        case .paid, .shipped: self = .pending
        case .confirmed: self = .settled
        case .refunded: self = .invalid
        }
    }

    public var message: Message {
        switch self {
        case .pending: return Message(en: "pending", zh: "未结算")
        case .settled: return Message(en: "settled", zh: "已结算")
        case .invalid: return Message(en: "invalid", zh: "已失效")
        }
    }
}

/// One line of a statement, read.
public struct StatementEntry: Sendable, Equatable {
    public var orderID: String
    public var amount: StatementAmount
    /// nil when the statement does not say (no `status`, no `settled_at` column).
    public var state: SettlementState?
    /// The line of the file it starts on.
    public var line: Int

    public init(orderID: String, amount: StatementAmount, state: SettlementState?, line: Int) {
        self.orderID = orderID
        self.amount = amount
        self.state = state
        self.line = line
    }
}

/// Reading a statement's rows (SPEC §8): `order_id`, `commission`, optionally `status` and
/// `settled_at`. A row that cannot be read is a `bad-value` problem naming the column: the
/// command stops there (exit 4 with the line and column, docs/reconcile.md).
public enum StatementFeed {
    public static let columns = ["order_id", "commission"]
    public static let optionalColumns = ["status", "settled_at"]
    public static let statusValues = SettlementState.allCases.map(\.rawValue)

    /// shopctl's own words and the order feed's, any case.
    static let englishWords: [String: SettlementState] = [
        "pending": .pending, "settled": .settled, "invalid": .invalid, "paid": .pending, "shipped": .pending,
        "confirmed": .settled, "refunded": .invalid, "cancelled": .invalid, "canceled": .invalid,
    ]

    /// Reads a row. `hasSettledAt`: the file has a `settled_at` column (without a status, a time
    /// there means settled and an empty cell pending).
    public static func parse(_ row: ImportRow, hasSettledAt: Bool) throws(RowProblem) -> StatementEntry {
        let f = RowFields(row)
        let id = try f.id("order_id")
        guard let text = f.optionalText("commission") else {
            throw RowProblem("bad-value", en: "column commission is empty", zh: "列 commission 为空")
        }
        guard let amount = StatementAmount.parse(text) else {
            throw RowProblem.badValue(
                "commission", text,
                en: "is not an amount in yuan (like 12.30, ¥1,234.50; at most \(StatementAmount.maxDecimals) decimals)",
                zh: "不是以元计的金额（如 12.30、¥1,234.50；最多 \(StatementAmount.maxDecimals) 位小数）")
        }
        var state: SettlementState?
        if f.optionalText("status") != nil {
            let word = f.word("status", builtin: ImportMap.builtinStatementStatusIndex)
            guard let s = SettlementState(rawValue: word) ?? englishWords[word] else {
                throw RowProblem.badValue(
                    "status", f.optionalText("status") ?? word, en: "must be settled, pending or invalid (or 订单结算, 订单付款, 订单失效 …)",
                    zh: "必须是 settled、pending 或 invalid（或 订单结算、订单付款、订单失效 等）")
            }
            state = s
        }
        let settledAt = try f.optionalInstant("settled_at")
        if state == nil && hasSettledAt { state = settledAt == nil ? .pending : .settled }
        return StatementEntry(orderID: id, amount: amount, state: state, line: row.line)
    }
}

// MARK: - Store side

/// What the store knows of one order: the facts its earnings come from (SPEC §5).
public struct OrderEarnings: Sendable, Equatable {
    public var orderID: String
    public var paidAt: Instant
    public var amount: Money
    /// The refunded figure outputs show (`Order.effectiveRefund`: the whole amount once refunded).
    public var refunded: Money
    public var status: OrderStatus
    public var rate: Rate
    public var commission: Money
    public var bonus: Money
    /// Whether the order earns at all (a self-purchase only where the rules pay for it).
    public var earns: Bool
    /// Paid inside the `--period` (always false without one).
    public var inPeriod: Bool

    public init(
        orderID: String, paidAt: Instant, amount: Money, refunded: Money, status: OrderStatus, rate: Rate, commission: Money,
        bonus: Money, earns: Bool = true, inPeriod: Bool = false
    ) {
        self.orderID = orderID
        self.paidAt = paidAt
        self.amount = amount
        self.refunded = refunded
        self.status = status
        self.rate = rate
        self.commission = commission
        self.bonus = bonus
        self.earns = earns
        self.inPeriod = inPeriod
    }

    /// "ours": the order's current earnings, `commission_fen + bonus_fen`.
    public var earnings: Int64 { commission.fen + bonus.fen }
    public var net: Int64 { amount.fen - refunded.fen }
    public var state: SettlementState { SettlementState(status) }
}

// MARK: - The result

public struct ReconcileDifference: Sendable, Equatable {
    public enum Code: String, Sendable, CaseIterable {
        case unknownOrder = "unknown-order"
        case missingOrder = "missing-order"
        case amount
        case state
    }

    /// Why an `amount` differs, when the store can tell (docs/reconcile.md).
    public enum Explanation: Sendable, Equatable {
        /// The statement's figure is the earnings before the refund.
        case refundNotReflected
        /// The statement's figure is the commission at another rate than the frozen one.
        case rateDiffers(Rate)
        /// The statement's figure is the commission without the level bonus.
        case bonusLeftOut
        /// The statement rounded down instead of half up.
        case roundedDown
        /// The statement carries the product before rounding.
        case unrounded
        /// The platform marks the order invalid and pays nothing.
        case invalidOnStatement
        /// Nothing the store can tell.
        case none
    }

    public var orderID: String
    public var code: Code
    public var ours: Int64
    public var theirs: Int64
    public var explanation: Explanation
    public var message: Message
    /// The statement's line (nil for `missing-order`).
    public var line: Int?

    public var diff: Int64 { theirs &- ours }
}

/// The outcome of a reconcile: counts and totals, and the first differences (the command spools
/// the others: peak memory does not grow with their number).
public struct Reconciliation: Sendable, Equatable {
    /// How many differences are kept in `shown`.
    public static let shownLimit = 20

    /// Orders on the statement that the store has with the same figure (and state).
    public var matched = 0
    /// Σ ours over the orders compared (those the statement lists that the store has, and the missing ones).
    public var ours: Int64 = 0
    /// Σ theirs over the statement's orders.
    public var theirs: Int64 = 0
    public var differenceCount = 0
    public var counts: [ReconcileDifference.Code: Int] = [:]
    /// The first differences, in order id order.
    public var shown: [ReconcileDifference] = []
    /// Statement lines read (lines of one order are one entry).
    public var lines = 0

    public var diff: Int64 { theirs &- ours }
    public var allMatch: Bool { differenceCount == 0 }

    /// The one-line verdict.
    public var verdict: Message {
        if allMatch {
            return Message(
                en: "All \(matched) order(s) match: the statement agrees with the store to the fen.",
                zh: "全部 \(matched) 个订单一致：平台对账单与本地记录分毫不差。")
        }
        let d = Money(fen: diff.magnitude > UInt64(Int64.max) ? Int64.max : abs(diff)).formatted
        let en =
            diff < 0
            ? "the statement comes to \(d) less than the store's figures"
            : diff > 0 ? "the statement comes to \(d) more than the store's figures" : "the totals agree, the orders do not"
        let zh = diff < 0 ? "对账单合计比本地少 \(d)" : diff > 0 ? "对账单合计比本地多 \(d)" : "合计相同，但逐单不符"
        return Message(
            en: "\(differenceCount) difference(s), \(matched) order(s) match: \(en).",
            zh: "发现 \(differenceCount) 处差异，\(matched) 个订单一致：\(zh)。")
    }

    /// Exit 1, code `differences`, when anything differs.
    public var failure: ShopError? {
        guard !allMatch else { return nil }
        return ShopError.rule(
            "differences", en: "the statement differs from the store in \(differenceCount) place(s)",
            zh: "对账单与本地记录有 \(differenceCount) 处差异")
    }
}

// MARK: - The merge

/// The comparison: both sides sorted by order id (bytes), the statement's lines of one order
/// together in file order. `run` reads each side once.
public struct Reconciler {
    /// With `--period`: store orders in the period that earn and that the statement lacks are `missing-order`.
    public let comparesMissing: Bool
    public let zone: Zone
    /// The level bonus applied to each month's orders (`MonthIndex.value` → rate), for explanations.
    public let bonusRates: [Int: Rate]
    /// Each difference as it is found (in order id order), besides the first ones kept.
    public var sink: ((ReconcileDifference) throws -> Void)?

    public init(
        comparesMissing: Bool, zone: Zone, bonusRates: [Int: Rate] = [:], sink: ((ReconcileDifference) throws -> Void)? = nil
    ) {
        self.comparesMissing = comparesMissing
        self.zone = zone
        self.bonusRates = bonusRates
        self.sink = sink
    }

    /// The order of two ids' UTF-8 bytes (< 0, 0, > 0): `memcmp` over native strings' storage.
    static func order(_ a: String, _ b: String) -> Int {
        let fast = a.utf8.withContiguousStorageIfAvailable { pa in
            b.utf8.withContiguousStorageIfAvailable { pb -> Int in
                let n = min(pa.count, pb.count)
                let c = n == 0 ? 0 : Int(memcmp(pa.baseAddress!, pb.baseAddress!, n))
                return c != 0 ? c : pa.count - pb.count
            }
        }
        if let r = fast ?? nil { return r }
        if a.utf8.elementsEqual(b.utf8) { return 0 }
        return a.utf8.lexicographicallyPrecedes(b.utf8) ? -1 : 1
    }
    static func less(_ a: String, _ b: String) -> Bool { order(a, b) < 0 }
    static func same(_ a: String, _ b: String) -> Bool { order(a, b) == 0 }

    static let overflow = ShopError.invalidInput(
        "totals-overflow", en: "the statement's figures add up past 92,233,720,368,547,758.07 yuan",
        zh: "对账单金额合计超过 92,233,720,368,547,758.07 元")

    /// Merges the two sides. `ours` and `theirs` return the next element, nil at the end; each
    /// must be sorted by order id (a precondition: the store's queries sort them).
    public func run(ours nextOurs: () throws -> OrderEarnings?, theirs nextTheirs: () throws -> StatementEntry?) throws
        -> Reconciliation
    {
        var result = Reconciliation()
        var lastOurs: String?
        var lastTheirs: String?
        var raw = try nextTheirs()

        // The statement's next order: its lines together (adjacent in the sorted statement),
        // their amounts added up, the last state given winning.
        func nextEntry() throws -> StatementEntry? {
            guard let first = raw else { return nil }
            if let last = lastTheirs { precondition(Self.less(last, first.orderID), "the statement is sorted by order id") }
            var entry = first
            var sum = first.amount.units
            var n = 1
            raw = try nextTheirs()
            while let more = raw, Self.same(more.orderID, first.orderID) {
                let (s, over) = sum.addingReportingOverflow(more.amount.units)
                if over { throw Self.overflow }
                sum = s
                if let st = more.state { entry.state = st }
                n += 1
                raw = try nextTheirs()
            }
            entry.amount = StatementAmount(units: sum)
            result.lines += n
            lastTheirs = first.orderID
            return entry
        }
        func nextOrder() throws -> OrderEarnings? {
            let next = try nextOurs()
            if let next, let last = lastOurs { precondition(Self.less(last, next.orderID), "the store's orders are sorted by order id") }
            lastOurs = next?.orderID
            return next
        }
        // A difference is made (its message written) only when it is kept or handed on: a
        // statement of a million differences in the human form formats 20 messages.
        func add(_ code: ReconcileDifference.Code, _ make: () -> ReconcileDifference) throws {
            result.differenceCount += 1
            result.counts[code, default: 0] += 1
            let keep = result.shown.count < Reconciliation.shownLimit
            guard keep || sink != nil else { return }
            let d = make()
            if keep { result.shown.append(d) }
            try sink?(d)
        }
        func total(_ sum: inout Int64, _ fen: Int64) throws {
            let (s, over) = sum.addingReportingOverflow(fen)
            if over { throw Self.overflow }
            sum = s
        }

        var o = try nextOrder()
        var entry = try nextEntry()
        while o != nil || entry != nil {
            let side = o.flatMap { ours in entry.map { Self.order(ours.orderID, $0.orderID) } }
            if let ours = o, let theirs = entry, side == 0 {
                try total(&result.ours, ours.earnings)
                try total(&result.theirs, theirs.amount.fen)
                var differs = false
                if theirs.amount.units != ours.earnings * StatementAmount.unitsPerFen {
                    differs = true
                    try add(.amount) { amountDifference(ours, theirs) }
                }
                if let their = theirs.state, their != .invalid, ours.state != .invalid, their != ours.state {
                    differs = true
                    try add(.state) { stateDifference(ours, theirs, their) }
                }
                if !differs { result.matched += 1 }
                o = try nextOrder()
                entry = try nextEntry()
            } else if let ours = o, entry == nil || side! < 0 {
                // The store's order is not on the statement.
                if comparesMissing && ours.inPeriod && ours.earns && ours.earnings != 0 {
                    try total(&result.ours, ours.earnings)
                    try add(.missingOrder) { missing(ours) }
                }
                o = try nextOrder()
            } else if let theirs = entry {
                try total(&result.theirs, theirs.amount.fen)
                try add(.unknownOrder) { unknown(theirs) }
                entry = try nextEntry()
            }
        }
        return result
    }
}

// MARK: - Differences and their explanations

extension Reconciler {
    /// The level bonus applied to the order's month (0 when none is stored).
    public func bonusRate(of o: OrderEarnings) -> Rate {
        bonusRates[MonthIndex(zone.civilDate(of: o.paidAt)).value] ?? .zero
    }

    /// Why the statement's figure differs from the store's, when a rule of docs/reconcile.md tells:
    /// the first that gives exactly the statement's figure, in this order: invalid on the
    /// statement, refund not reflected, bonus left out, rounding (down, or not at all), another rate.
    public func explain(_ o: OrderEarnings, theirs a: StatementAmount, state: SettlementState?) -> ReconcileDifference.Explanation {
        let b = Int64(bonusRate(of: o).bp)
        let r = Int64(o.rate.bp)
        let net = o.net
        let ours = o.earnings
        /// Earnings of a net at a rate, half up once each (SPEC §5).
        func earnings(net: Int64, rate: Int64) -> Int64? {
            guard let c = try? roundHalfUp(net, times: rate, over: 10_000), let bonus = try? roundHalfUp(c, times: b, over: 10_000)
            else { return nil }
            return c + bonus
        }
        if state == .invalid && a.units == 0 && ours != 0 { return .invalidOnStatement }
        guard o.earns, net >= 0 else { return .none }
        if a.isWholeFen {
            let t = a.fen
            if o.refunded.fen > 0, let before = earnings(net: o.amount.fen, rate: r), before == t, before != ours {
                return .refundNotReflected
            }
            if o.bonus.fen != 0 && t == o.commission.fen { return .bonusLeftOut }
            let (product, over) = net.multipliedReportingOverflow(by: r)
            if !over {
                let down = product / 10_000
                let downBonus = down * b / 10_000
                if t != ours && (t == down + downBonus || t == down + o.bonus.fen) { return .roundedDown }
            }
            if net > 0 {
                // The rate r' whose earnings give t: near t / (net × (1 + b)), checked exactly.
                let (scaled, o1) = t.multipliedReportingOverflow(by: 100_000_000)
                let (denominator, o2) = net.multipliedReportingOverflow(by: 10_000 + b)
                if !o1 && !o2 && denominator > 0 {
                    // Several rates may give the same figure on a small net: the roundest wins (a whole
                    // percent, then half, tenth, twentieth of one), then the nearest to the guess.
                    let guess = scaled / denominator
                    let low = min(10_000, max(0, guess - 50))
                    let high = min(10_000, max(0, guess + 50))
                    func roundness(_ bp: Int64) -> Int { bp % 100 == 0 ? 0 : bp % 50 == 0 ? 1 : bp % 10 == 0 ? 2 : bp % 5 == 0 ? 3 : 4 }
                    var best: Int64?
                    for candidate in low...high where candidate != r && earnings(net: net, rate: candidate) == t {
                        if let b = best,
                            (roundness(b), abs(b - guess)) <= (roundness(candidate), abs(candidate - guess))
                        {
                            continue
                        }
                        best = candidate
                    }
                    if let best { return .rateDiffers(Rate(bp: Int(best))) }
                }
            }
            return .none
        }
        // More decimals than the fen: the product before rounding (the commission unrounded, with
        // the store's bonus, or commission and bonus both unrounded).
        let (product, over) = net.multipliedReportingOverflow(by: r)
        if !over {
            let (bonusUnits, o1) = o.bonus.fen.multipliedReportingOverflow(by: StatementAmount.unitsPerFen)
            if !o1 && a.units == product + bonusUnits { return .unrounded }
            let (lhs, o2) = a.units.multipliedReportingOverflow(by: 10_000)
            let (rhs, o3) = product.multipliedReportingOverflow(by: 10_000 + b)
            if !o2 && !o3 && lhs == rhs { return .unrounded }
        }
        return .none
    }

    func amountDifference(_ o: OrderEarnings, _ t: StatementEntry) -> ReconcileDifference {
        let why = explain(o, theirs: t.amount, state: t.state)
        return ReconcileDifference(
            orderID: o.orderID, code: .amount, ours: o.earnings, theirs: t.amount.fen, explanation: why,
            message: message(why, o, t.amount), line: t.line)
    }

    func stateDifference(_ o: OrderEarnings, _ t: StatementEntry, _ theirs: SettlementState) -> ReconcileDifference {
        let status = Self.statusWord(o.status)
        return ReconcileDifference(
            orderID: o.orderID, code: .state, ours: o.earnings, theirs: t.amount.fen, explanation: .none,
            message: Message(
                en: "line \(t.line): the statement says \(theirs.message.en), the store says \(o.state.message.en) (\(status.en))",
                zh: "第 \(t.line) 行：对账单显示\(theirs.message.zh)，本地记录为\(o.state.message.zh)（\(status.zh)）"),
            line: t.line)
    }

    func missing(_ o: OrderEarnings) -> ReconcileDifference {
        let day = zone.civilDate(of: o.paidAt).description
        let status = Self.statusWord(o.status)
        let e = Money(fen: o.earnings).formatted
        return ReconcileDifference(
            orderID: o.orderID, code: .missingOrder, ours: o.earnings, theirs: 0, explanation: .none,
            message: Message(
                en: "the store has this order (paid \(day), \(status.en), earning \(e)) and the statement does not list it",
                zh: "本地有此订单（\(day) 付款，\(status.zh)，收益 \(e)），对账单中没有"),
            line: nil)
    }

    func unknown(_ t: StatementEntry) -> ReconcileDifference {
        ReconcileDifference(
            orderID: t.orderID, code: .unknownOrder, ours: 0, theirs: t.amount.fen, explanation: .none,
            message: Message(
                en: "line \(t.line): the statement lists this order (\(t.amount.formatted)) but the store has no such order of this shop",
                zh: "第 \(t.line) 行：对账单列出了此订单（\(t.amount.formatted)），但本店铺没有这个订单"),
            line: t.line)
    }

    static func statusWord(_ s: OrderStatus) -> Message {
        switch s {
        case .paid: return Message(en: "paid", zh: "已付款")
        case .shipped: return Message(en: "shipped", zh: "已发货")
        case .confirmed: return Message(en: "confirmed", zh: "已确认收货")
        case .refunded: return Message(en: "refunded", zh: "已退款")
        }
    }

    /// The message of an `amount` difference: its explanation with the figures.
    public func message(_ why: ReconcileDifference.Explanation, _ o: OrderEarnings, _ a: StatementAmount) -> Message {
        let theirs = a.formatted
        let ours = Money(fen: o.earnings).formatted
        let net = Money(fen: o.net).formatted
        let rate = o.rate.percentText
        let bonusRate = bonusRate(of: o)
        let exact = StatementAmount(units: o.net &* Int64(o.rate.bp)).formatted
        let formula = Message(
            en: "\(net) × \(rate) = \(o.commission.formatted)" + (o.bonus.fen != 0 ? " + level bonus \(o.bonus.formatted)" : ""),
            zh: "\(net) × \(rate) = \(o.commission.formatted)" + (o.bonus.fen != 0 ? " + 等级奖励 \(o.bonus.formatted)" : ""))
        switch why {
        case .refundNotReflected:
            return Message(
                en: "refund not reflected: the statement's \(theirs) is what the order earned before its refund of "
                    + "\(o.refunded.formatted) (\(o.amount.formatted) × \(rate)); after it the order earns \(ours) (\(formula.en))",
                zh: "退款未扣除：对账单的 \(theirs) 是退款 \(o.refunded.formatted) 之前的收益（\(o.amount.formatted) × \(rate)）；"
                    + "退款后应得 \(ours)（\(formula.zh)）")
        case .rateDiffers(let other):
            let points = Rate(bp: abs(other.bp - o.rate.bp)).percentText.dropLast()
            return Message(
                en: "rate differs: the statement's \(theirs) is the commission at \(other.percentText), the rate frozen for "
                    + "this order is \(rate) (\(points) percentage points \(other.bp > o.rate.bp ? "more" : "less")); \(formula.en)",
                zh: "佣金比例不同：对账单的 \(theirs) 按 \(other.percentText) 计算，本订单冻结的比例为 \(rate)"
                    + "（\(other.bp > o.rate.bp ? "高" : "低") \(points) 个百分点）；\(formula.zh)")
        case .bonusLeftOut:
            return Message(
                en: "level bonus left out: the statement's \(theirs) is the commission alone; the level bonus of "
                    + "\(bonusRate.percentText) on it is \(o.bonus.formatted), \(ours) in all",
                zh: "漏算等级奖励：对账单的 \(theirs) 仅为佣金；按 \(bonusRate.percentText) 另有等级奖励 \(o.bonus.formatted)，合计 \(ours)")
        case .roundedDown:
            return Message(
                en: "rounding: the statement's \(theirs) is rounded down (\(net) × \(rate) = \(exact)); "
                    + "rounded half up once per order it is \(ours)",
                zh: "舍入方式不同：对账单的 \(theirs) 是向下取整（\(net) × \(rate) = \(exact)）；按每单一次四舍五入应为 \(ours)")
        case .unrounded:
            return Message(
                en: "rounding: the statement carries the unrounded product \(theirs) (\(net) × \(rate) = \(exact)); "
                    + "rounded half up once per order it is \(ours)",
                zh: "舍入方式不同：对账单给出的是未舍入的乘积 \(theirs)（\(net) × \(rate) = \(exact)）；按每单一次四舍五入应为 \(ours)")
        case .invalidOnStatement:
            let status = Self.statusWord(o.status)
            return Message(
                en: "the platform marks the order invalid and pays nothing; the store has it \(status.en), earning \(ours) (\(formula.en))",
                zh: "平台将此订单标为失效、不计佣金；本地记录为\(status.zh)，收益 \(ours)（\(formula.zh)）")
        case .none:
            return Message(
                en: "the statement says \(theirs), the store \(ours) (\(formula.en))",
                zh: "对账单为 \(theirs)，本地为 \(ours)（\(formula.zh)）")
        }
    }
}
