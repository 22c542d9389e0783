import Codecs

/// A shop's earnings at a moment (SPEC §4 earnings, §5, §6).
///
///     summary.available      // released + rewards − withdrawn (may be negative after a clawback)
///     summary.json           // the contract's object
public struct EarningsSummary: Sendable, Equatable {
    public var pending: Money
    public var frozen: Money
    public var released: Money
    public var rewards: Money
    public var withdrawn: Money
    public var feesPaid: Money
    public var level: String
    public var nextLevel: Level?
    public var monthGMV: Money
    /// Whether `level` may still change (SPEC §6 "Closing a month"): false in a shop's first month
    /// and once fixed.
    public var levelProvisional = false
    /// One line per month whose GMV changed after its facts were fixed (SPEC §6).
    public var notes: [Message] = []

    public init(
        pending: Money, frozen: Money, released: Money, rewards: Money, withdrawn: Money, feesPaid: Money, level: String, nextLevel: Level?,
        monthGMV: Money
    ) {
        self.pending = pending
        self.frozen = frozen
        self.released = released
        self.rewards = rewards
        self.withdrawn = withdrawn
        self.feesPaid = feesPaid
        self.level = level
        self.nextLevel = nextLevel
        self.monthGMV = monthGMV
    }

    /// Saturating: the ledger refuses totals past `Int64` (`totals-overflow`) before they reach here.
    public var available: Money {
        let (sum, o1) = released.fen.addingReportingOverflow(rewards.fen)
        let (r, o2) = sum.subtractingReportingOverflow(withdrawn.fen)
        if o1 { return Money(fen: released.fen < 0 ? .min : .max) }
        if o2 { return Money(fen: withdrawn.fen > 0 ? .min : .max) }
        return Money(fen: r)
    }

    /// What this month still needs so that next month reaches `nextLevel` (nil at the top).
    public var gmvToNextLevel: Money? {
        nextLevel.map { Money(fen: max(0, $0.minPrevMonthGMV.fen - monthGMV.fen)) }
    }

    public var json: JSON { json { $0.en } }

    /// The contract's object, the notes in the language `text` picks.
    public func json(_ text: (Message) -> String) -> JSON {
        .object([
            ("pending_fen", .int(pending.fen)), ("frozen_fen", .int(frozen.fen)), ("released_fen", .int(released.fen)),
            ("rewards_fen", .int(rewards.fen)), ("withdrawn_fen", .int(withdrawn.fen)), ("available_fen", .int(available.fen)),
            ("fees_paid_fen", .int(feesPaid.fen)), ("level", .string(level)), ("level_provisional", .bool(levelProvisional)),
            ("next_level", nextLevel.map { .string($0.name) } ?? .null),
            ("gmv_to_next_level_fen", gmvToNextLevel.map { .int($0.fen) } ?? .null), ("month_gmv_fen", .int(monthGMV.fen)),
            ("notes", .array(notes.map { .string(text($0)) })),
        ])
    }
}

/// A withdrawal (SPEC §6): at least `withdraw_min_fen`, at most the available balance.
///
///     let w = try Withdrawal.check(Money(fen: 5_000), available: Money(fen: 8_000), rules: rules)
///     w.fee, w.payout
public struct Withdrawal: Sendable, Equatable {
    public var amount: Money
    public var fee: Money
    public var payout: Money

    public init(amount: Money, fee: Money, payout: Money) {
        self.amount = amount
        self.fee = fee
        self.payout = payout
    }

    public static func check(_ amount: Money, available: Money, rules: Rules) throws -> Withdrawal {
        if amount < rules.withdrawMin || amount.fen <= 0 {
            throw ShopError.rule(
                "below-minimum", en: "the minimum withdrawal is \(rules.withdrawMin.formatted)",
                zh: "最低提现金额为 \(rules.withdrawMin.formatted)")
        }
        if amount > available {
            throw ShopError.rule(
                "insufficient-balance", en: "only \(available.formatted) is available to withdraw",
                zh: "可提现余额只有 \(available.formatted)")
        }
        let fee = Money(fen: try roundHalfUp(amount.fen, times: Int64(rules.withdrawFee.bp), over: 10_000))
        return Withdrawal(amount: amount, fee: fee, payout: Money(fen: amount.fen - fee.fen))
    }
}

/// A report period (SPEC §4 earnings report, §9): `YYYY`, `YYYY-MM`, `YYYY-MM-DD`, `this-month`,
/// `last-month`, `this-year`, `last-7-days`, `YYYYQn`, `YYYY-Wnn` (ISO week) or `A..B` (inclusive),
/// the relative forms against `today` (Period.swift).
///
///     try ReportPeriod.parse("2026-09..2026-11")   // 2026-09-01 ..< 2026-12-01
///     try ReportPeriod.parse("last-month", today: CivilDate(year: 2026, month: 12, day: 1)!)   // 2026-11
public struct ReportPeriod: Sendable, Equatable {
    /// First day, inclusive.
    public var start: CivilDate
    /// Day after the last, exclusive.
    public var end: CivilDate

    public init(start: CivilDate, end: CivilDate) {
        self.start = start
        self.end = end
    }

    /// `today` is the current day in the store's zone; without it the relative forms are checked
    /// against a day far from the years' edges (a syntax check before the store is opened).
    public static func parse(_ text: String, today: CivilDate? = nil) throws -> ReportPeriod {
        func bad() -> ShopError {
            .usage(
                "bad-argument",
                en:
                    "--period expects YYYY, YYYY-MM, YYYY-MM-DD, this-month, last-month, this-year, last-7-days, YYYYQ1–4, YYYY-Wnn or A..B (years 2000–2099), got '\(text)'",
                zh:
                    "--period 应为 YYYY、YYYY-MM、YYYY-MM-DD、this-month、last-month、this-year、last-7-days、YYYYQ1–4、YYYY-Wnn 或 A..B（年份 2000–2099），收到 '\(text)'"
            )
        }
        func one(_ s: String) throws -> ReportPeriod {
            if let p = try relative(s, today: today ?? syntaxDay, bad: bad) { return p }
            let parts = s.split(separator: "-", omittingEmptySubsequences: false)
            guard parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isASCIIDigit) }), parts[0].count == 4, let y = Int(parts[0]),
                Instant.years.contains(y)
            else {
                throw bad()
            }
            switch parts.count {
            case 1:
                guard let a = CivilDate(year: y, month: 1, day: 1) else { throw bad() }
                return ReportPeriod(start: a, end: CivilDate(year: y + 1, month: 1, day: 1) ?? a.adding(days: 366))
            case 2:
                guard parts[1].count == 2, let m = Int(parts[1]), let a = CivilDate(year: y, month: m, day: 1) else { throw bad() }
                return ReportPeriod(start: a, end: a.firstOfMonth(adding: 1))
            case 3:
                guard let d = CivilDate.parse(s) else { throw bad() }
                return ReportPeriod(start: d, end: d.adding(days: 1))
            default: throw bad()
            }
        }
        if let r = text.range(of: "..") {
            let a = try one(String(text[..<r.lowerBound]))
            let b = try one(String(text[r.upperBound...]))
            guard a.start < b.end else { throw bad() }
            return ReportPeriod(start: a.start, end: b.end)
        }
        return try one(text)
    }
}

/// How a report groups orders.
public enum ReportGrouping: String, Sendable, CaseIterable {
    case day, week, month, product, category, channel
    /// The `--campaign` of the link an order came through; "" for links without one.
    case campaign

    /// The key of a local calendar day: `2026-11-21`, ISO week `2026-W47`, month `2026-11`.
    public func key(of d: CivilDate) -> String {
        switch self {
        case .day: return d.description
        case .month: return d.monthKey
        case .week:
            // ISO 8601: the week belongs to the year of its Thursday.
            let thursday = d.adding(days: 4 - d.isoWeekday)
            let jan1 = thursday.firstOfMonth(adding: 1 - thursday.month)
            let week = (thursday.daysSinceEpoch - jan1.daysSinceEpoch) / 7 + 1
            return "\(thursday.year)-W\(week < 10 ? "0" : "")\(week)"
        default: return d.description
        }
    }
}

/// One row of `earnings report`: `{"key","orders","gmv_fen","commission_fen","refunded_fen"}`.
public struct ReportRow: Sendable, Equatable {
    public var key: String
    public var orders: Int64
    public var gmv: Money
    /// Commission including the level bonus.
    public var commission: Money
    public var refunded: Money

    public init(key: String, orders: Int64, gmv: Money, commission: Money, refunded: Money) {
        self.key = key
        self.orders = orders
        self.gmv = gmv
        self.commission = commission
        self.refunded = refunded
    }

    public var json: JSON { json { $0.en } }

    /// The contract's object, the notes in the language `text` picks.
    public func json(_ text: (Message) -> String) -> JSON {
        .object([
            ("key", .string(key)), ("orders", .int(orders)), ("gmv_fen", .int(gmv.fen)), ("commission_fen", .int(commission.fen)),
            ("refunded_fen", .int(refunded.fen)),
        ])
    }
}
