import Codecs
import Foundation
import ShopKit
import ShopStore

struct EarningsCommand: Command {
    static let path = ["earnings"]
    static let summary = Message(en: "what you have earned, what waits and why, your level", zh: "收益概览：已结算、待结算、等级进度")
    static let usage = [
        "earnings", "earnings report [--period P] [--by day|week|month|product|category|channel|campaign] [--csv|--excel]",
        "earnings withdraw AMOUNT",
        "earnings withdrawals [--csv|--excel]", "earnings months [--csv|--excel]",
    ]
    static let options: [OptionSpec] = []
    static let discussion: Message? = Message(
        en:
            "pending: orders paid or shipped; frozen: confirmed, waiting for the settlement date; released: settled (refunds claw back). available = released + rewards − withdrawn. Formulas and worked examples: docs/earnings.md.",
        zh: "待结算：已付款或已发货的订单；冻结：已确认收货、等待结算日；已结算：已到结算日（退款会追回）。可提现 = 已结算 + 奖励 − 已提现。公式与算例见 docs/earnings.md。")
    static let examples = ["shopctl earnings", "shopctl earnings --json | jq .available_fen"]

    init(_ args: ParsedArgs) throws { try args.noPositionals() }

    func run(_ ctx: Context) throws -> Output {
        let store = try ctx.store(.existing)
        let shop = try ctx.shop(.existing)
        let ledger = Ledger(store: store)
        let s = try ledger.withFixedMonths(shop: shop, now: ctx.now, store: store) {
            try ledger.summary(shop: shop, now: ctx.now)
        }
        return Output(json: s.json { ctx.t($0) }, human: Self.human(s, shop, store.rules, ctx))
    }

    static func human(_ s: EarningsSummary, _ shop: Shop, _ rules: Rules, _ ctx: Context) -> String {
        let style = Style(enabled: ctx.colour)
        var pairs = [
            (ctx.t("pending (paid, shipped)", "待结算（已付款、已发货）"), s.pending.formatted),
            (ctx.t("frozen (confirmed, not yet settled)", "冻结中（已收货、未到结算日）"), s.frozen.formatted),
            (ctx.t("released", "已结算"), s.released.formatted),
            (ctx.t("rewards", "月销奖励"), s.rewards.formatted),
            (ctx.t("withdrawn", "已提现"), s.withdrawn.formatted),
            (ctx.t("available to withdraw", "可提现"), style.bold(s.available.formatted)),
        ]
        if s.feesPaid.fen > 0 { pairs.append((ctx.t("opening fee paid (apart)", "已付开店费（单列）"), s.feesPaid.formatted)) }
        let closes = MonthIndex(rules.zone.civilDate(of: ctx.now)).firstDay.adding(days: rules.monthCloseDays)
        pairs.append(
            (
                ctx.t("level this month", "本月等级"),
                s.levelProvisional
                    ? s.level
                        + ctx.t(
                            " (provisional: last month's orders count until \(closes) 00:00)", "（暂定：上月订单计入至 \(closes) 00:00）")
                    : s.level
            ))
        pairs.append((ctx.t("GMV this month", "本月成交额"), s.monthGMV.formatted))
        var lines = [style.bold("\(shop.displayName) (\(shop.shopID))"), keyValues(pairs)]
        if let next = s.nextLevel, let need = s.gmvToNextLevel {
            let target = next.minPrevMonthGMV.fen
            let done = target == 0 ? 30 : Int(min(30, max(0, s.monthGMV.fen * 30 / target)))
            lines.append(
                ctx.t(
                    "next month: \(next.name) (+\(next.bonus.percentText) bonus) needs \(need.formatted) more this month",
                    "下月升级「\(next.name)」（奖励 +\(next.bonus.percentText)）：本月还需成交 \(need.formatted)"))
            lines.append(
                "[" + String(repeating: "█", count: done) + String(repeating: "░", count: 30 - done) + "] "
                    + "\(s.monthGMV.formatted) / \(next.minPrevMonthGMV.formatted)")
        } else if rules.levels.count > 1 {
            lines.append(ctx.t("top level reached", "已是最高等级"))
        }
        if !s.notes.isEmpty {
            lines.append(ctx.t("notes:", "备注："))
            lines.append(contentsOf: s.notes.map { "  " + ctx.t($0) })
        }
        return lines.joined(separator: "\n")
    }
}

struct EarningsReportCommand: Command {
    static let path = ["earnings", "report"]
    static let summary = Message(en: "orders, GMV and commission by period, product, category or channel", zh: "按时间、商品、类目或渠道汇总订单与佣金")
    static let usage = [
        "earnings report [--period P] [--by day|week|month|product|category|channel|campaign] [--csv|--excel]",
        "earnings report [--period P] --html FILE [--force]",
    ]
    static let options: [OptionSpec] =
        [
            .value(
                "--period", "P",
                "YYYY, YYYY-MM, YYYY-MM-DD, this-month, last-month, this-year, last-7-days, 2026Q3, 2026-W47 or A..B, by payment time (default: all)",
                "YYYY、YYYY-MM、YYYY-MM-DD、this-month、last-month、this-year、last-7-days、2026Q3、2026-W47 或 A..B，按付款时间（默认：全部）"),
            .value(
                "--by", "KEY", "day, week (ISO), month (default), product, category, channel or campaign",
                "day、week（ISO 周）、month（默认）、product、category、channel 或 campaign", kind: .grouping),
            .value(
                "--html", "FILE", "write one self-contained page: the summary and a chart per grouping (--by is ignored)",
                "写出一个独立网页：收益概览及每种分组的图表（忽略 --by）", kind: .file),
            .flag("--force", "replace an existing --html file", "覆盖已存在的 --html 文件"),
        ] + CSVFormat.options
    static let examples = [
        "shopctl earnings report --by month", "shopctl earnings report --period 2026-11 --by day",
        "shopctl earnings report --period 2026-09..2026-11 --by category --csv > report.csv",
        "shopctl earnings report --html report.html",
    ]

    /// As given: checked here, resolved against today in the store's zone when run.
    let period: String?
    let by: ReportGrouping
    let csv: CSVFormat?
    let html: String?
    let force: Bool

    init(_ args: ParsedArgs) throws {
        try args.noPositionals()
        period = try args.value("--period").map {
            _ = try ReportPeriod.parse($0); return $0
        }
        by = try args.choice("--by", ReportGrouping.allCases.map(\.rawValue)).flatMap(ReportGrouping.init) ?? .month
        csv = CSVFormat(args)
        html = args.value("--html")
        force = args.flag("--force")
    }

    func run(_ ctx: Context) throws -> Output {
        if let html { return try writeHTML(to: html, force: force, ctx) }
        let store = try ctx.store(.existing)
        let shop = try ctx.shop(.existing)
        let ledger = Ledger(store: store)
        let period = try period.map { try ReportPeriod.parse($0, today: store.rules.zone.civilDate(of: ctx.now)) }
        let rows = try ledger.withFixedMonths(shop: shop, now: ctx.now, store: store) { () throws -> [ReportRow] in
            switch by {
            case .day, .week, .month: return try ledger.report(shopID: shop.shopID, period: period, by: by)
            default: return try ledger.reportByOrder(shopID: shop.shopID, period: period, by: by)
            }
        }
        let json = JSON.array(rows.map(\.json))
        if csv != nil { return Output(json: json, human: nil).csv(csv) }
        let chart = by == .day ? Self.everyDay(rows, period: period, today: store.rules.zone.civilDate(of: ctx.now)) : rows
        var t = Table(
            [Self.heading(by, ctx), ctx.t("ORDERS", "订单"), ctx.t("GMV", "成交额"), ctx.t("COMMISSION", "佣金"), ctx.t("REFUNDED", "退款"), ""],
            align: [.left, .right, .right, .right, .right, .left])
        let top = rows.map(\.commission.fen).max() ?? 0
        for r in chart {
            t.add([
                r.key, String(r.orders), r.gmv.formatted, r.commission.formatted, r.refunded.formatted,
                bar(r.commission.fen, top, width: 30),
            ])
        }
        let total = rows.reduce(into: (0 as Int64, Money.zero, Money.zero)) {
            $0.0 += $1.orders
            $0.1.fen += $1.gmv.fen
            $0.2.fen += $1.commission.fen
        }
        let human =
            rows.isEmpty
            ? ctx.t("No orders in this period.", "该时段没有订单。")
            : t.render(style: Style(enabled: ctx.colour)) + "\n"
                + ctx.t(
                    "total: \(total.0) orders, GMV \(total.1.formatted), commission \(total.2.formatted) (incl. level bonus)",
                    "合计：\(total.0) 单，成交额 \(total.1.formatted)，佣金 \(total.2.formatted)（含等级奖励）")
        return Output(json: json, human: human)
    }

    /// The first column's heading: the grouping, in the user's language.
    static func heading(_ by: ReportGrouping, _ ctx: Context) -> String {
        switch by {
        case .day: return ctx.t("DAY", "日期")
        case .week: return ctx.t("WEEK", "周")
        case .month: return ctx.t("MONTH", "月份")
        case .product: return ctx.t("PRODUCT", "商品")
        case .category: return ctx.t("CATEGORY", "类目")
        case .channel: return ctx.t("CHANNEL", "渠道")
        case .campaign: return ctx.t("CAMPAIGN", "活动")
        }
    }

    /// The rows of a report by day with the days without orders added (zero rows), for the
    /// chart: every day of the period up to today, or, without a period, from the first day with
    /// orders to the last. JSON and CSV keep the days with orders only.
    static func everyDay(_ rows: [ReportRow], period: ReportPeriod?, today: CivilDate) -> [ReportRow] {
        let days = rows.compactMap { CivilDate.parse($0.key) }
        guard days.count == rows.count, let firstDay = days.min(), let lastDay = days.max() else { return rows }
        var from = firstDay
        var through = lastDay
        if let period {
            from = period.start
            through = max(lastDay, min(period.end.adding(days: -1), today))
        }
        var byKey: [String: ReportRow] = [:]
        for r in rows { byKey[r.key] = r }
        var out: [ReportRow] = []
        var d = from
        while d <= through {
            let key = d.description
            out.append(byKey[key] ?? ReportRow(key: key, orders: 0, gmv: .zero, commission: .zero, refunded: .zero))
            d = d.adding(days: 1)
        }
        return out
    }
}

/// A horizontal bar of `value` against `top`, in eighths of a block.
func bar(_ value: Int64, _ top: Int64, width: Int) -> String {
    guard top > 0, value > 0 else { return "" }
    let eighths = Int(value * Int64(width) * 8 / top)
    let blocks = ["", "▏", "▎", "▍", "▌", "▋", "▊", "▉"]
    return String(repeating: "█", count: eighths / 8) + blocks[eighths % 8]
}

struct EarningsWithdrawCommand: Command {
    static let path = ["earnings", "withdraw"]
    static let summary = Message(en: "withdraw from the available balance", zh: "从可提现余额中提现")
    static let usage = ["earnings withdraw AMOUNT"]
    static let options: [OptionSpec] = []
    static let discussion: Message? = Message(
        en: "AMOUNT in yuan. Refusals (exit 1): below-minimum (under withdraw_min_fen), insufficient-balance (more than available).",
        zh: "金额以元为单位。拒绝（退出码 1）：below-minimum（低于最低提现额）、insufficient-balance（超过可提现余额）。")
    static let examples = ["shopctl earnings withdraw 100", "shopctl earnings withdraw ¥58.50 --json"]

    let amount: Money

    init(_ args: ParsedArgs) throws { amount = try Money.parse(try args.positionals(["AMOUNT"])[0]) }

    func run(_ ctx: Context) throws -> Output {
        let store = try ctx.store(.write)
        let shop = try ctx.shop(.write)
        let ledger = Ledger(store: store)
        // Balance check and record in one BEGIN IMMEDIATE transaction: two withdrawals at once
        // are serialised and can never together exceed the balance. A refusal is returned, not
        // thrown, so that the facts fixed to compute the balance are kept (SPEC §6).
        let outcome = try store.write { () throws -> Result<(Withdrawal, Money), ShopError> in
            try ledger.fixMonths(shop: shop, now: ctx.now)
            let before = try ledger.summary(shop: shop, now: ctx.now)
            let w: Withdrawal
            do {
                w = try Withdrawal.check(amount, available: before.available, rules: store.rules)
            } catch let refusal as ShopError {
                return .failure(refusal)
            }
            try ledger.recordWithdrawal(shopID: shop.shopID, w, at: ctx.now)
            return .success((w, Money(fen: before.available.fen - w.amount.fen)))
        }
        let (w, after) = try outcome.get()
        let json = JSON.object([
            ("amount_fen", .int(w.amount.fen)), ("fee_fen", .int(w.fee.fen)), ("payout_fen", .int(w.payout.fen)),
            ("available_fen", .int(after.fen)),
        ])
        let human = keyValues([
            (ctx.t("withdrawn", "提现"), w.amount.formatted), (ctx.t("fee", "手续费"), w.fee.formatted),
            (ctx.t("paid out", "到账"), w.payout.formatted), (ctx.t("still available", "剩余可提现"), after.formatted),
        ])
        return Output(json: json, human: human)
    }
}
