import Codecs
import Foundation
import ShopKit
import ShopStore

/// `shopctl reconcile FILE` (SPEC §8): the platform's statement held against the store, order by
/// order; changes nothing (the store is opened to read). docs/reconcile.md.
struct ReconcileCommand: Command {
    static let path = ["reconcile"]
    static let summary = Message(
        en: "check the platform's statement against the store, order by order", zh: "核对平台对账单与本地记录（逐单）")
    static let usage = [
        "reconcile FILE [--period P] [--format csv|jsonl|xlsx] [--sheet NAME] [--encoding auto|utf-8|gb18030|utf-16] [--map FILE.json] [--csv|--excel]"
    ]
    static let operands: [OperandSpec] = [.one(.file)]
    static let options: [OptionSpec] =
        [
            .value(
                "--period", "P",
                "also report the store's earning orders paid in P that the statement lacks (missing-order); "
                    + "YYYY, YYYY-MM, YYYY-MM-DD, last-month, this-month, 2026Q3, 2026-W47 or A..B",
                "同时报告本地在 P 期间付款、有收益而对账单中没有的订单（missing-order）；"
                    + "YYYY、YYYY-MM、YYYY-MM-DD、last-month、this-month、2026Q3、2026-W47 或 A..B")
        ] + ImportInput.readingOptions(map: Message(en: "the statement", zh: "对账单")) + CSVFormat.options
    static let discussion: Message? = Message(
        en: """
            Statement columns: order_id, commission (yuan, bonus included; up to 6 decimals), optionally status \
            (settled, pending, invalid; 订单结算, 订单付款, 订单失效 …) and settled_at; Chinese headers such as 订单编号 and \
            佣金/预估收入/结算金额 are recognised. Differences: unknown-order, missing-order (with --period), amount (with \
            the reason when the store can tell: a refund not reflected, another rate, the level bonus left out, rounding), \
            state (settled against pending). Exit 0 when everything matches, 1 (code differences) otherwise. \
            A line that cannot be read stops the reconcile (exit 4). The store is never changed. docs/reconcile.md.
            """,
        zh: """
            对账单的列：order_id、commission（元，含等级奖励；最多 6 位小数），可选 status（settled、pending、invalid；\
            订单结算、订单付款、订单失效 等）与 settled_at；可识别 订单编号、佣金/预估收入/结算金额 等中文表头。\
            差异类型：unknown-order、missing-order（需 --period）、amount（能判断时说明原因：退款未扣除、佣金比例不同、\
            漏算等级奖励、舍入方式不同）、state（已结算与未结算不符）。全部一致时以 0 退出，否则以 1 退出（代码 differences）。\
            有无法读取的行时停止核对（退出码 4）。不会修改数据库。详见 docs/reconcile.md。
            """)
    static let examples = [
        "shopctl reconcile statement-2026-11.csv --period 2026-11",
        "shopctl reconcile 淘宝联盟-11月.csv --encoding gb18030 --json",
        "shopctl reconcile statement.csv --csv > differences.csv",
    ]

    let file: String
    let period: String?
    let format: String?
    let map: String?
    let encoding: InputEncoding
    let sheet: String?
    let csv: CSVFormat?

    init(_ args: ParsedArgs) throws {
        file = try args.positionals(["FILE"])[0]
        period = try args.value("--period").map {
            _ = try ReportPeriod.parse($0)
            return $0
        }
        format = try ImportInput.format(args)
        map = args.value("--map")
        encoding = try ImportInput.encoding(args)
        sheet = args.value("--sheet")
        csv = CSVFormat(args)
    }

    func run(_ ctx: Context) throws -> Output {
        let map = try ImportInput.map(map, feed: .statement) ?? ImportMap(feed: .statement)
        var reader = try ImportInput.reader(
            path: file, format: format, encoding: encoding, required: StatementFeed.columns, map: map, sheet: sheet)
        let store = try ctx.store(.read)
        let shop = try ctx.shop(.read)
        let zone = store.rules.zone
        reader.rules = map.rules(feed: .statement, zone: zone)
        let period = try period.map { try ReportPeriod.parse($0, today: zone.civilDate(of: ctx.now)) }
        let shown = file == "-" ? ctx.t("standard input", "标准输入") : file

        let queries = ReconcileQueries(store: store)
        let progress = Progress(ctx, Message(en: "statement lines read:", zh: "已读取对账单行数："))
        defer { progress.finish() }
        var read = 0
        _ = try queries.load {
            guard let row = try reader.next() else { return nil }
            read += 1
            if read % 4096 == 0 { progress.update(read) }
            if let problem = row.rowError {
                throw Self.badLine(shown, row.line, problem.code, problem.message)
            }
            do {
                return try StatementFeed.parse(row, hasSettledAt: row.has("settled_at"))
            } catch let problem as RowProblem {
                throw Self.badLine(shown, row.line, problem.code, problem.message)
            }
        }

        // Differences beyond the first ones go to a spool, already rendered for the output asked for.
        let spool = ByteSpool()
        var first = true
        let chinese = ctx.chinese
        let wantsJSON = ctx.json
        let csv = self.csv
        let sink: ((ReconcileDifference) throws -> Void)? =
            wantsJSON || csv != nil
            ? { d in
                let object = Self.json(d, chinese: chinese)
                if wantsJSON {
                    spool.append((first ? "\n    " : ",\n    ") + object.serialized(pretty: false))
                } else if let csv {
                    var bytes = csv.render(.array([object]))
                    if !first, let lf = bytes.firstIndex(of: 10) { bytes.removeSubrange(0...lf) }
                    spool.append(bytes)
                }
                first = false
            } : nil
        let reconciler = Reconciler(
            comparesMissing: period != nil, zone: zone, bonusRates: try queries.bonusRates(shopID: shop.shopID), sink: sink)
        let result = try queries.run(
            shopID: shop.shopID, period: period.map { (zone.instant(of: $0.start), zone.instant(of: $0.end)) }, reconciler: reconciler)

        try spool.finish()
        let json = Self.document(result, differences: .array(result.shown.map { Self.json($0, chinese: chinese) }))
        var output = Output(json: json, human: Self.human(result, ctx), failure: result.failure)
        if wantsJSON {
            output.writeJSON = {
                Terminal.write(
                    "{\n  \"matched\": \(result.matched),\n  \"ours_fen\": \(result.ours),\n  \"theirs_fen\": \(result.theirs),\n"
                        + "  \"differences\": [", to: 1, newline: false)
                try spool.forEachChunk { Terminal.write(bytes: $0, to: 1) }
                Terminal.write(result.differenceCount == 0 ? "]\n}\n" : "\n  ]\n}\n", to: 1, newline: false)
            }
        } else if let csv {
            output.writeVerbatim = {
                if spool.isEmpty && csv.excel { Terminal.write(bytes: [0xEF, 0xBB, 0xBF], to: 1) }
                try spool.forEachChunk { Terminal.write(bytes: $0, to: 1) }
            }
        }
        return output
    }

    static func badLine(_ file: String, _ line: Int, _ code: String, _ message: Message) -> ShopError {
        // Row messages may already start with the line.
        let en = message.en.hasPrefix("line ") ? message.en : "line \(line): \(message.en)"
        let zh = message.zh.hasPrefix("第 ") ? message.zh : "第 \(line) 行：\(message.zh)"
        return ShopError(
            .invalidInput, code,
            Message(
                en: "\(file): \(en) (a reconcile compares whole statements: fix the line, or map its column with --map)",
                zh: "\(file)：\(zh)（核对需要完整的对账单：请修正该行，或用 --map 映射该列）"))
    }

    static func json(_ d: ReconcileDifference, chinese: Bool) -> JSON {
        .object([
            ("order_id", .string(d.orderID)), ("code", .string(d.code.rawValue)), ("ours_fen", .int(d.ours)),
            ("theirs_fen", .int(d.theirs)), ("diff_fen", .int(d.diff)), ("message", .string(d.message.text(chinese: chinese))),
        ])
    }

    static func document(_ r: Reconciliation, differences: JSON) -> JSON {
        .object([
            ("matched", .int(Int64(r.matched))), ("ours_fen", .int(r.ours)), ("theirs_fen", .int(r.theirs)),
            ("differences", differences),
        ])
    }

    static func codeText(_ c: ReconcileDifference.Code, _ ctx: Context) -> String {
        switch c {
        case .unknownOrder: return ctx.t("unknown-order", "unknown-order 本地无此单")
        case .missingOrder: return ctx.t("missing-order", "missing-order 对账单漏单")
        case .amount: return ctx.t("amount", "amount 金额不符")
        case .state: return ctx.t("state", "state 状态不符")
        }
    }

    static func human(_ r: Reconciliation, _ ctx: Context) -> String {
        let style = Style(enabled: ctx.colour)
        var out: [String] = []
        if !r.shown.isEmpty {
            var t = Table(
                [
                    ctx.t("ORDER", "订单"), ctx.t("DIFFERENCE", "差异"), ctx.t("OURS", "本地"), ctx.t("THEIRS", "对账单"),
                    ctx.t("DIFF", "相差"), ctx.t("WHY", "说明"),
                ], align: [.left, .left, .right, .right, .right, .left])
            for d in r.shown {
                t.add([
                    d.orderID, codeText(d.code, ctx), Money(fen: d.ours).formatted, Money(fen: d.theirs).formatted,
                    Money(fen: d.diff).formatted, d.message.text(chinese: ctx.chinese),
                ])
            }
            out.append(t.render(style: style))
            if r.differenceCount > r.shown.count {
                out.append(
                    ctx.t(
                        "… \(r.differenceCount - r.shown.count) more (all of them: --json or --csv)",
                        "……另有 \(r.differenceCount - r.shown.count) 处（全部差异：--json 或 --csv）"))
            }
            let counts = ReconcileDifference.Code.allCases.compactMap { c in r.counts[c].map { "\(c.rawValue) \($0)" } }
            out.append(ctx.t("by kind: ", "按类型：") + counts.joined(separator: ctx.t(", ", "，")))
            out.append("")
        }
        var totals = Table([ctx.t("TOTAL", "合计"), ctx.t("AMOUNT", "金额")], align: [.left, .right])
        totals.add([ctx.t("ours (the store)", "本地记录"), Money(fen: r.ours).formatted])
        totals.add([ctx.t("theirs (the statement)", "平台对账单"), Money(fen: r.theirs).formatted])
        totals.add([ctx.t("difference (theirs − ours)", "差额（对账单 − 本地）"), Money(fen: r.diff).formatted])
        out.append(totals.render(style: style))
        let verdict = r.verdict.text(chinese: ctx.chinese)
        out.append(r.allMatch ? style.green(verdict) : style.red(verdict))
        return out.joined(separator: "\n")
    }
}
