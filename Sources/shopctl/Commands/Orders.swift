import Codecs
import Foundation
import ShopKit
import ShopStore

func orderNotFound(_ id: String) -> ShopError {
    .notFound("order-not-found", en: "no order \(id) in this store", zh: "数据库中没有订单 \(id)")
}

struct OrdersImportCommand: Command {
    static let path = ["orders", "import"]
    static let summary = Message(en: "import the platform's order export (CSV, JSONL or .xlsx)", zh: "导入平台订单数据（CSV、JSONL 或 .xlsx）")
    static let usage = [
        "orders import FILE [--format csv|jsonl|xlsx] [--sheet NAME] [--encoding auto|utf-8|gb18030|utf-16] [--map FILE.json] [--strict] [--dry-run] [--rejects FILE [--force]]"
    ]
    static let operands: [OperandSpec] = [.one(.file)]
    static let options: [OptionSpec] =
        ImportInput.readingOptions() + [
            .flag("--strict", "store nothing and exit 1 if any row is rejected", "有任何一行被拒绝时不导入任何数据并以 1 退出"),
            .value(
                "--rejects", "FILE", "write every rejected row to FILE as CSV (its columns, then line, code, message)",
                "把每个被拒绝的行写入 CSV 文件（原有的列，再加 line、code、message）", kind: .file),
            .flag("--force", "replace the --rejects file if it exists", "--rejects 文件已存在时覆盖"),
            ImportRendering.dryRunOption,
        ]
    static let discussion: Message? = Message(
        en: """
            Each order is attributed by its share token (it must verify, name a shop of this store and the row's product); \
            share_token may hold the token, the link, the ￥口令￥ or pasted copy. \
            A known order_id is an update: same data changes nothing, status moves forward only, refunds only grow. \
            Row codes: invalid-token, product-mismatch, unknown-product, before-link (paid over 10 minutes before the link was made), \
            invalid-transition, bad-value. Columns: docs/formats.md. \
            --rejects FILE: the rejected rows, fixed, can be imported again from FILE (its line, code and message columns are ignored). \
            A shop's own export has no tokens: with "attribution":"shop" in the --map, every row is the selected shop's \
            (--shop, or the only one), through its storefront link (made if it has none). \
            An optional commission_rate column (佣金比率) is the platform's rate for the order, frozen instead of the catalog's. \
            --dry-run runs the whole import and rolls it back: the same report and exit code, nothing stored \
            (the store must exist and be up to date; the --rejects file is still written).
            """,
        zh: """
            每个订单按分享口令归属（口令必须有效、属于本数据库的店铺且与该行商品一致）；share_token 可以是口令、链接、￥口令￥或粘贴的文案。\
            已有 order_id 的行视为更新：数据相同则不变，状态只能前进，退款只能增加。\
            行代码：invalid-token、product-mismatch、unknown-product、before-link（付款时间早于链接生成时间超过 10 分钟）、\
            invalid-transition、bad-value。列说明见 docs/formats.md。\
            --rejects 文件：修改其中被拒绝的行后可再次导入该文件（其 line、code、message 列会被忽略）。\
            店铺自己的导出没有分享口令：在 --map 中写 "attribution":"shop"，则每一行都属于所选店铺（--shop 或唯一的店铺），\
            归入其整店链接（没有时自动创建）。可选的 commission_rate 列（佣金比率）是平台给该订单的佣金率，代替目录中的佣金率被锁定。\
            --dry-run 完整执行导入后回滚：报告与退出码相同，但不保存任何数据（数据库必须已存在且为最新版本；--rejects 文件照常写出）。
            """)
    static let examples = [
        "shopctl orders import orders.csv", "shopctl orders import export.jsonl --strict --json",
        "cat orders.csv | shopctl orders import - --format csv",
        "shopctl orders import orders.csv --rejects orders-rejected.csv",
        "shopctl orders import report.csv --map examples/exports/taobao-lianmeng-map.json --dry-run",
    ]

    let file: String
    let format: String?
    let encoding: InputEncoding
    let sheet: String?
    let strict: Bool
    let rejects: String?
    let force: Bool
    let map: String?
    let dryRun: Bool

    init(_ args: ParsedArgs) throws {
        file = try args.positionals(["FILE"])[0]
        dryRun = args.flag("--dry-run")
        format = try ImportInput.format(args)
        sheet = args.value("--sheet")
        map = args.value("--map")
        encoding = try ImportInput.encoding(args)
        strict = args.flag("--strict")
        rejects = args.value("--rejects")
        force = args.flag("--force")
    }

    func run(_ ctx: Context) throws -> Output {
        let map = try ImportInput.map(map, feed: .orders)
        let attribution = map?.attribution ?? .token
        var reader = try ImportInput.reader(
            path: file, format: format, encoding: encoding, required: OrderFeed.requiredColumns(attribution), map: map,
            sheet: sheet)
        let rejectsFile = try rejects.map {
            try RejectsFile(option: "--rejects", path: $0, section: 0, force: force, inputs: [file], storePath: ctx.storePath)
        }
        let columns = rejectsFile.map { _ in RejectsFile.columns(reader, keys: OrderFeed.columns + OrderFeed.optionalColumns) }
        let store = try ctx.store(dryRun ? .trial : .write)
        // A shop's own export: its shop is chosen (--shop, or the only one) before anything is written.
        let shop = attribution == .shop ? try ctx.shop(dryRun ? .trial : .write) : nil
        reader.rules = (map ?? ImportMap()).rules(feed: .orders, zone: store.rules.zone)
        try store.prepareForBulkWrite()
        let importer = OrderImporter(store: store, now: ctx.now)
        let progress = Progress(ctx, Message(en: "order rows imported:", zh: "已导入订单行数："))
        defer { progress.finish() }
        return try ImportRendering.run(ctx, strict: strict, store: store, sections: [columns], rejects: rejectsFile.map { [$0] } ?? []) {
            report, _ in
            let now = ctx.now
            try importer.begin()
            if let shop { _ = try importer.attributeAll(to: shop.shopID) }
            let preparer = try importer.preparer()
            let tokens = shop == nil
            try importer.importRows(&reader, report: &report, progress: progress.update) { row throws(RowProblem) in
                try preparer.prepare(try OrderFeed.parse(row, now: now, tokens: tokens))
            }
            try importer.finish()
        }
    }
}

struct OrdersUpdateCommand: Command {
    static let path = ["orders", "update"]
    static let summary = Message(en: "move an order forward: shipped, confirmed, refunded", zh: "更新订单状态：发货、确认收货、退款")
    static let usage = ["orders update ORDER_ID --status paid|shipped|confirmed|refunded [--at TIME] [--refunded AMOUNT]"]
    static let operands: [OperandSpec] = [.one(.orderID)]
    static let options: [OptionSpec] = [
        .value(
            "--status", "S", "the new status (the same status with a larger --refunded records a partial refund)",
            "新状态（状态不变而 --refunded 增加表示部分退款）", kind: .choice(OrderStatus.allCases.map(\.rawValue))),
        .value("--at", "TIME", "when it happened, RFC 3339 (default: now)", "发生时间，RFC 3339（默认：现在）"),
        .value("--refunded", "AMOUNT", "the cumulative refunded amount in yuan", "累计退款金额（元）"),
    ]
    static let examples = [
        "shopctl orders update O1001 --status confirmed --at 2026-11-20T10:00:00+08:00",
        "shopctl orders update O1002 --status shipped --refunded 30",
        "shopctl orders update O1003 --status refunded",
    ]

    let orderID: String
    let change: OrderChange

    init(_ args: ParsedArgs) throws {
        orderID = try checkedID(try args.positionals(["ORDER_ID"])[0], "ORDER_ID")
        guard let status = OrderStatus(rawValue: try args.required("--status")) else {
            throw ShopError.usage(
                "bad-argument", en: "--status must be paid, shipped, confirmed or refunded",
                zh: "--status 必须是 paid、shipped、confirmed 或 refunded")
        }
        let at = try args.value("--at").map { try Instant.parseRFC3339($0) }
        let refunded = try args.value("--refunded").map { try Money.parse($0) }
        change = OrderChange(status: status, statusAt: at, refunded: refunded)
    }

    func run(_ ctx: Context) throws -> Output {
        let store = try ctx.store(.write)
        let importer = OrderImporter(store: store, now: ctx.now)
        let stored = try store.write { () throws -> OrderRepository.Stored in
            // Facts due are fixed before the order is read and changed (SPEC §6).
            try importer.begin()
            guard let existing = try store.orders.find(orderID) else { throw orderNotFound(orderID) }
            do {
                try importer.change(existing, change)
            } catch let p as RowProblem {
                throw ShopError(p.code == "invalid-transition" ? .rule : .usage, p.code, p.message)
            }
            try importer.finish()
            return try store.orders.find(orderID)!
        }
        return Output(json: OrdersListCommand.json(stored, store.rules.zone), human: try OrdersShowCommand.story(stored, store, ctx))
    }
}

struct OrdersListCommand: Command {
    static let path = ["orders", "list"]
    static let summary = Message(en: "the shop's orders, newest first", zh: "店铺订单（最新在前）")
    static let usage = ["orders list [--status S] [--period P] [--product ID] [--channel CH] [--limit N] [--csv|--excel]"]
    static let options: [OptionSpec] =
        [
            .value(
                "--status", "S", "paid, shipped, confirmed or refunded", "paid、shipped、confirmed 或 refunded",
                kind: .choice(OrderStatus.allCases.map(\.rawValue))),
            .value(
                "--period", "P",
                "paid in YYYY, YYYY-MM, YYYY-MM-DD, last-month, this-month, this-year, last-7-days, 2026Q3, 2026-W47 or A..B",
                "付款时间：YYYY、YYYY-MM、YYYY-MM-DD、last-month、this-month、this-year、last-7-days、2026Q3、2026-W47 或 A..B"),
            .value("--product", "ID", "one product", "指定商品", kind: .productID),
            .value("--channel", "CH", "one channel", "指定渠道", kind: .channel),
            .value("--limit", "N", "at most N orders (default 50, 0 = all)", "最多 N 条（默认 50，0 表示全部）"),
        ] + CSVFormat.options
    static let examples = ["shopctl orders list --status paid", "shopctl orders list --period 2026-11 --channel wechat-group --json"]

    let status: OrderStatus?
    /// As given: checked here, resolved against today in the store's zone when run.
    let period: String?
    let product: String?
    let channel: String?
    let limit: Int
    let csv: CSVFormat?

    init(_ args: ParsedArgs) throws {
        try args.noPositionals()
        status = try args.choice("--status", OrderStatus.allCases.map(\.rawValue)).flatMap(OrderStatus.init)
        period = try args.value("--period").map {
            _ = try ReportPeriod.parse($0); return $0
        }
        product = try args.id("--product")
        csv = CSVFormat(args)
        channel = args.value("--channel")
        limit = try args.int("--limit", range: 0...100_000_000) ?? 50
    }

    func run(_ ctx: Context) throws -> Output {
        let store = try ctx.store(.read)
        let shop = try ctx.shop(.read)
        let zone = store.rules.zone
        let period = try period.map { try ReportPeriod.parse($0, today: zone.civilDate(of: ctx.now)) }
        let rows = try store.orders.list(
            OrderQuery(
                shopID: shop.shopID, status: status, productID: product, channel: channel, from: period.map { zone.instant(of: $0.start) },
                to: period.map { zone.instant(of: $0.end) }, limit: limit))
        var t = Table(
            [
                ctx.t("ORDER", "订单"), ctx.t("PAID", "付款时间"), ctx.t("PRODUCT", "商品"), ctx.t("QTY", "数量"), ctx.t("AMOUNT", "金额"),
                ctx.t("REFUNDED", "退款"), ctx.t("STATUS", "状态"), ctx.t("COMMISSION", "佣金"), ctx.t("BONUS", "奖励"), ctx.t("CHANNEL", "渠道"),
            ], align: [.left, .left, .left, .right, .right, .right, .left, .right, .right, .left])
        for s in rows {
            let o = s.order
            t.add([
                o.orderID, zone.civilDate(of: o.paidAt).description + " " + String(o.paidAt.rfc3339(in: zone).dropFirst(11).prefix(5)),
                o.productID, String(o.quantity), o.amount.formatted, o.effectiveRefund.formatted, statusText(o.status, ctx),
                s.commission.formatted,
                s.bonus.formatted, o.channel,
            ])
        }
        return Output(
            json: .array(rows.map { Self.json($0, zone) }),
            human: rows.isEmpty ? ctx.t("No order matches.", "没有符合条件的订单。") : t.render(style: Style(enabled: ctx.colour))
        ).csv(csv)
    }

    static func json(_ s: OrderRepository.Stored, _ zone: Zone) -> JSON {
        let o = s.order
        return .object([
            ("order_id", .string(o.orderID)), ("product_id", .string(o.productID)), ("quantity", .int(o.quantity)),
            ("amount_fen", .int(o.amount.fen)), ("refunded_fen", .int(o.effectiveRefund.fen)), ("status", .string(o.status.rawValue)),
            ("commission_fen", .int(s.commission.fen)), ("bonus_fen", .int(s.bonus.fen)), ("channel", .string(o.channel)),
            ("paid_at", .string(o.paidAt.rfc3339(in: zone))),
        ])
    }
}

func statusText(_ s: OrderStatus, _ ctx: Context) -> String {
    switch s {
    case .paid: return ctx.t("paid", "已付款")
    case .shipped: return ctx.t("shipped", "已发货")
    case .confirmed: return ctx.t("confirmed", "已确认收货")
    case .refunded: return ctx.t("refunded", "已退款")
    }
}

struct OrdersShowCommand: Command {
    static let path = ["orders", "show"]
    static let summary = Message(en: "an order's whole story", zh: "订单详情与经过")
    static let usage = ["orders show ORDER_ID"]
    static let operands: [OperandSpec] = [.one(.orderID)]
    static let options: [OptionSpec] = []
    static let examples = ["shopctl orders show O1001", "shopctl orders show O1001 --json"]

    let orderID: String

    init(_ args: ParsedArgs) throws { orderID = try checkedID(try args.positionals(["ORDER_ID"])[0], "ORDER_ID") }

    func run(_ ctx: Context) throws -> Output {
        let store = try ctx.store(.read)
        guard let s = try store.orders.find(orderID) else { throw orderNotFound(orderID) }
        let zone = store.rules.zone
        let history = try store.orders.history(rowID: s.rowID)
        let share = try store.shares.record(id: s.order.shareID)
        guard case .object(var fields) = OrdersListCommand.json(s, zone) else { preconditionFailure("an order is an object") }
        fields += [
            ("shop_id", .string(s.order.shopID)), ("unit_price_fen", .int(s.order.unitPrice.fen)),
            ("commission_rate_bp", .int(s.order.rate.bp)), ("self_purchase", .bool(s.order.selfPurchase)),
            ("share_token", share.map { .string($0.token) } ?? .null), ("status_at", .string(s.order.statusAt.rfc3339(in: zone))),
            ("confirmed_at", s.order.confirmedAt.map { .string($0.rfc3339(in: zone)) } ?? .null),
            ("release_at", s.releaseAt.map { .string($0.rfc3339(in: zone)) } ?? .null),
            (
                "history",
                .array(
                    history.map {
                        .object([
                            ("status", .string($0.status.rawValue)), ("at", .string($0.at.rfc3339(in: zone))),
                            ("refunded_fen", .int($0.refunded.fen)),
                            ("recorded_at", .string($0.recordedAt.rfc3339(in: zone))),
                        ])
                    })
            ),
        ]
        return Output(json: .object(fields), human: Self.story(s, history: history, share: share, rules: store.rules, ctx))
    }

    /// The story from what `show` already read.
    static func story(_ s: OrderRepository.Stored, _ store: Store, _ ctx: Context) throws -> String {
        story(
            s, history: try store.orders.history(rowID: s.rowID), share: try store.shares.record(id: s.order.shareID), rules: store.rules,
            ctx)
    }

    static func story(_ s: OrderRepository.Stored, history: [OrderEvent], share: ShareRecord?, rules: Rules, _ ctx: Context) -> String {
        let zone = rules.zone
        let o = s.order
        var pairs: [(String, String)] = [
            (ctx.t("order", "订单"), o.orderID), (ctx.t("shop", "店铺"), o.shopID),
            (ctx.t("product", "商品"), "\(o.productID) × \(o.quantity) @ \(o.unitPrice.formatted) = \(o.amount.formatted)"),
            (ctx.t("status", "状态"), statusText(o.status, ctx)),
            (ctx.t("refunded", "已退款"), o.effectiveRefund.formatted),
            (ctx.t("net", "实付"), o.net.formatted),
            (ctx.t("rate (frozen)", "佣金率（已锁定）"), o.rate.percentText),
            (ctx.t("commission", "佣金"), s.commission.formatted), (ctx.t("level bonus", "等级奖励"), s.bonus.formatted),
            (ctx.t("link", "链接"), share.map { "\($0.token) (\(o.channel))" } ?? "-"),
        ]
        if o.selfPurchase {
            pairs.append(
                (
                    ctx.t("self-purchase", "自购"),
                    ctx.t(
                        rules.selfPurchaseCommission ? "yes, earns" : "yes, earns nothing here",
                        rules.selfPurchaseCommission ? "是，计佣" : "是，本平台不计佣")
                ))
        }
        if let r = s.releaseAt { pairs.append((ctx.t("released", "结算时间"), r.rfc3339(in: zone))) }
        var lines = [keyValues(pairs), "", ctx.t("History:", "经过：")]
        for e in history {
            let refund = e.refunded.fen > 0 ? ctx.t(", refunded \(e.refunded.formatted)", "，退款 \(e.refunded.formatted)") : ""
            lines.append("  \(e.at.rfc3339(in: zone))  \(statusText(e.status, ctx))\(refund)")
        }
        return lines.joined(separator: "\n")
    }
}
