import ShopKit
import ShopStore

struct EarningsWithdrawalsCommand: Command {
    static let path = ["earnings", "withdrawals"]
    static let summary = Message(en: "past withdrawals, oldest first", zh: "历次提现记录（最早在前）")
    static let usage = ["earnings withdrawals [--csv|--excel]"]
    static let options: [OptionSpec] = CSVFormat.options
    static let examples = ["shopctl earnings withdrawals", "shopctl earnings withdrawals --excel > withdrawals.csv"]

    let csv: CSVFormat?

    init(_ args: ParsedArgs) throws {
        try args.noPositionals()
        csv = CSVFormat(args)
    }

    func run(_ ctx: Context) throws -> Output {
        let store = try ctx.store(.read)
        let shop = try ctx.shop(.read)
        let zone = store.rules.zone
        let rows = try Ledger(store: store).withdrawalRows(shopID: shop.shopID)
        var t = Table(
            [ctx.t("WITHDRAWN AT", "提现时间"), ctx.t("AMOUNT", "金额"), ctx.t("FEE", "手续费"), ctx.t("PAID OUT", "到账")],
            align: [.left, .right, .right, .right])
        var total = (Money.zero, Money.zero, Money.zero)
        for r in rows {
            let w = r.withdrawal
            t.add([r.at.rfc3339(in: zone), w.amount.formatted, w.fee.formatted, w.payout.formatted])
            total.0.fen &+= w.amount.fen
            total.1.fen &+= w.fee.fen
            total.2.fen &+= w.payout.fen
        }
        let human =
            rows.isEmpty
            ? ctx.t("No withdrawal yet.", "还没有提现记录。")
            : t.render(style: Style(enabled: ctx.colour)) + "\n"
                + ctx.t(
                    "total: \(rows.count) withdrawals, \(total.0.formatted), fees \(total.1.formatted), paid out \(total.2.formatted)",
                    "合计：\(rows.count) 次，\(total.0.formatted)，手续费 \(total.1.formatted)，到账 \(total.2.formatted)")
        return Output(json: .array(rows.map { $0.json(zone: zone) }), human: human).csv(csv)
    }
}

struct EarningsMonthsCommand: Command {
    static let path = ["earnings", "months"]
    static let summary = Message(
        en: "each month from the shop's first: orders, GMV, level, bonus, volume reward", zh: "开店以来每月：订单、成交额、等级、等级奖励、月销奖励")
    static let usage = ["earnings months [--csv|--excel]"]
    static let options: [OptionSpec] = CSVFormat.options
    static let discussion: Message? = Message(
        en:
            "level is the month's own (set by the month before's GMV); bonus what its orders earn from it; reward its volume reward. A level or reward not yet fixed (SPEC §6) is shown as it stands now, marked provisional; in JSON, level_provisional says so for the level, and a month's reward is provisional until the next month's level is fixed.",
        zh:
            "level 为该月自身的等级（由上月成交额决定）；bonus 为该月订单因等级获得的奖励；reward 为该月的月销奖励。尚未确定的等级或奖励（SPEC §6）按当前数据显示并标为暂定；JSON 中 level_provisional 表示等级暂定，某月的奖励在下月等级确定之前均为暂定。"
    )
    static let examples = ["shopctl earnings months", "shopctl earnings months --json | jq '.[-1]'"]

    let csv: CSVFormat?

    init(_ args: ParsedArgs) throws {
        try args.noPositionals()
        csv = CSVFormat(args)
    }

    func run(_ ctx: Context) throws -> Output {
        let store = try ctx.store(.existing)
        let shop = try ctx.shop(.existing)
        let ledger = Ledger(store: store)
        let rows = try ledger.withFixedMonths(shop: shop, now: ctx.now, store: store) { try ledger.monthFacts(shop: shop, now: ctx.now) }
        let provisional = ctx.t(" (provisional)", "（暂定）")
        var t = Table(
            [
                ctx.t("MONTH", "月份"), ctx.t("ORDERS", "订单"), ctx.t("GMV", "成交额"), ctx.t("LEVEL", "等级"), ctx.t("BONUS", "等级奖励"),
                ctx.t("REWARD", "月销奖励"),
            ], align: [.left, .right, .right, .left, .right, .right])
        for r in rows {
            t.add([
                r.month, String(r.orders), r.gmv.formatted, r.level + (r.levelProvisional ? provisional : ""), r.bonus.formatted,
                r.reward.formatted + (r.rewardProvisional && r.reward.fen != 0 ? provisional : ""),
            ])
        }
        return Output(json: .array(rows.map(\.json)), human: t.render(style: Style(enabled: ctx.colour))).csv(csv)
    }
}
