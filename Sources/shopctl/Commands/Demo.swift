import Codecs
import Foundation
import ShopKit
import ShopStore

/// Builds a sample store by running ordinary shopctl command lines against it,
/// printing each line and what it answered, so the demo is also a tutorial.
struct DemoCommand: Command {
    static let path = ["demo"]
    static let summary = Message(en: "build a complete sample store and tour it", zh: "创建完整的示例店铺并演示")
    static let usage = ["demo [--db PATH]"]
    static let options: [OptionSpec] = []
    static let discussion: Message? = Message(
        en:
            "Without --db the store goes into a new temporary folder, whose path is printed. $SHOPCTL_DB is ignored, so the demo never touches your real store. With --db PATH, PATH must not be a store yet, and the demo's other files (orders.csv, lianmeng-map.json, statement-last-month.csv, logo.png, poster.svg, the built-in catalog and its images) go into a new folder shopctl-demo-XXXXXX beside it, never over a file of yours; its path is printed. The catalog comes from examples/catalog when it is found (from the current folder up), else from a small built-in one.",
        zh:
            "不指定 --db 时，示例数据库建在新的临时目录中并打印其路径。demo 忽略 $SHOPCTL_DB，不会动到你真实的数据库。指定 --db PATH 时，PATH 不能已是数据库；demo 的其他文件（orders.csv、lianmeng-map.json、statement-last-month.csv、logo.png、poster.svg、内置商品目录及其图片）写入其旁边新建的目录 shopctl-demo-XXXXXX，绝不覆盖你的文件，并打印该目录路径。商品目录优先使用 examples/catalog（从当前目录向上查找），找不到时使用内置的小目录。"
    )
    static let examples = ["shopctl demo", "shopctl demo --db /tmp/demo.db", "SHOPCTL_LANG=zh_CN shopctl demo"]

    init(_ args: ParsedArgs) throws { try args.noPositionals() }

    /// One command line of the demo, run `daysAgo` days before now.
    struct Step {
        var args: [String]
        var daysAgo: Int = 0
        var note: Message?
        /// Shown in the output (long outputs are cut to this many lines).
        var maxLines = 30
        /// Run without printing (the demo prints a summary line instead).
        var quiet = false
    }

    /// A step's `SHOPCTL_NOW`: in Shanghai, or in UTC when Shanghai's year is already 2100.
    static func clockText(_ t: Instant) -> String {
        Instant.years.contains(Zone.shanghai.civilDate(of: t).year) ? t.rfc3339(in: .shanghai) : t.rfc3339(in: .utc)
    }

    func run(_ ctx: Context) throws -> Output {
        // The story starts 100 days before now: every step's clock must be a time shopctl accepts.
        let start = ctx.now.adding(days: -100)
        guard Instant.years.contains(Zone.utc.civilDate(of: start).year), Instant.years.contains(Zone.utc.civilDate(of: ctx.now).year)
        else {
            throw ShopError.usage(
                "bad-argument", en: "the demo needs a clock from 2000-04-11 to 2099-12-31 (its story starts 100 days before now)",
                zh: "演示需要 2000-04-11 至 2099-12-31 之间的时钟（故事从 100 天前开始）")
        }
        // Every file the demo writes goes into a folder it makes itself (SPEC §2).
        let folder: String
        let dbPath: String
        if let p = ctx.global.db, !p.isEmpty {
            dbPath = p
            if try Store.exists(at: p) {
                throw ShopError.rule("already-initialized", en: "a store already exists at \(p)", zh: "数据库已存在：\(p)")
            }
            let parent = (p as NSString).deletingLastPathComponent
            folder = try Self.makeFolder(in: parent.isEmpty ? "." : parent)
        } else {
            var tmp = NSTemporaryDirectory()
            while tmp.hasSuffix("/") && tmp.count > 1 { tmp.removeLast() }
            folder = try Self.makeFolder(in: tmp)
            dbPath = folder + "/shop.db"
        }
        let catalog = try DemoData.catalogFiles(in: folder, storePath: dbPath)
        let logo = folder + "/logo.png"
        try OutputFile.write(DemoImages.logo(), to: logo, force: false, storePath: dbPath)
        let style = Style(enabled: ctx.colour)
        var human = [
            style.bold(ctx.t("shopctl demo — a 淘小铺 shop, built step by step", "shopctl 演示 —— 一步步搭建淘小铺店铺")),
            ctx.t("store: \(dbPath)", "数据库：\(dbPath)"),
            ctx.t("files: \(folder)", "文件：\(folder)"),
        ]
        var steps: [JSON] = []
        var lastOutput: Output?

        func run(_ step: Step) throws {
            var env = ctx.env
            env["SHOPCTL_NOW"] = DemoCommand.clockText(ctx.now.adding(days: -step.daysAgo))
            var global = GlobalOptions()
            global.db = dbPath
            let inner = try Context(env: env, global: global)
            let output = try CLI.dispatch(step.args, inner)
            lastOutput = output
            steps.append(
                .object([
                    ("command", .string("shopctl " + step.args.joined(separator: " "))),
                    ("now", .string(env["SHOPCTL_NOW"]!)), ("result", output.json),
                ]))
            if step.quiet { return }
            human.append("")
            if let note = step.note { human.append(style.bold("# " + ctx.t(note))) }
            let when = step.daysAgo > 0 ? ctx.t("  (\(step.daysAgo) days ago)", "  （\(step.daysAgo) 天前）") : ""
            human.append(style.green("$ shopctl " + step.args.map(shellQuote).joined(separator: " ")) + style.dim(when))
            if let h = output.human {
                let lines = h.split(separator: "\n", omittingEmptySubsequences: false)
                human += lines.prefix(step.maxLines).map(String.init)
                if lines.count > step.maxLines && step.maxLines > 0 {
                    human.append(
                        style.dim(ctx.t("  … \(lines.count - step.maxLines) more lines", "  ……另有 \(lines.count - step.maxLines) 行")))
                }
            }
        }
        func aside(_ m: Message) { human.append(style.dim("  " + ctx.t(m))) }

        let opened = 100
        try run(
            Step(
                args: ["init", "--platform", "taoxiaopu"], daysAgo: opened,
                note: Message(en: "A store with the 淘小铺 rules", zh: "按淘小铺规则创建数据库")))
        try run(
            Step(
                args: [
                    "open-shop", "--member", "m1001", "--name", "小美好物", "--description", "宝妈自用好物分享，每天精选三款", "--credit-score", "720",
                    "--verified", "--logo", logo,
                ],
                daysAgo: opened, note: Message(en: "Open the shop (credit score and real name checked)", zh: "开店（校验信用分与实名）")))
        try run(
            Step(
                args: ["catalog", "import", "--suppliers", catalog.suppliers, "--products", catalog.products], daysAgo: opened,
                note: Message(en: "The platform's catalog: rows breaking a rule are rejected and reported", zh: "导入平台商品目录：违反规则的行被拒绝并报告"),
                maxLines: 12))
        try run(
            Step(
                args: ["catalog", "list", "--limit", "5"], daysAgo: opened, note: Message(en: "Best commission per unit", zh: "单件佣金最高的商品")))
        try run(
            Step(
                args: ["pick-products", "suggest", "--limit", "12"], daysAgo: opened,
                note: Message(en: "What to pick: the 三高一低 score", zh: "选品建议：三高一低评分"), maxLines: 8))
        let suggested = (lastOutput?.json.arrayValue ?? []).compactMap { $0["product_id"]?.stringValue }
        let reasons = DemoData.reasons
        for (i, id) in suggested.enumerated() {
            try run(
                Step(
                    args: ["pick-products", "add", id, "--reason", reasons[i % reasons.count]], daysAgo: opened,
                    note: i == 0 ? Message(en: "Pick them, each with a reason of your own", zh: "加入选品，并写上自己的推荐理由") : nil,
                    maxLines: 5, quiet: i > 0))
        }
        if suggested.count > 1 {
            aside(
                Message(
                    en: "… and \(suggested.count - 1) more picks, each with its reason", zh: "……另外 \(suggested.count - 1) 个商品也已加入选品，各有推荐理由")
            )
        }
        // Links shared over the first days; friends order through them for three months.
        var links: [DemoOrders.Link] = []
        let channels = ["wechat-moments", "wechat-group", "xiaohongshu", "weibo", "wechat-chat"]
        for (i, id) in suggested.enumerated() {
            try run(
                Step(
                    args: ["share-link", id, "--channel", channels[i % channels.count]], daysAgo: opened - i % 7,
                    note: i == 0 ? Message(en: "Share each pick over the first week", zh: "第一周里把每个选品分享出去") : nil, maxLines: 8,
                    quiet: i > 0))
            if let token = lastOutput?.json["token"]?.stringValue {
                links.append(DemoOrders.Link(token: token, productID: id, created: ctx.now.adding(days: -(opened - i % 7))))
            }
        }
        try run(Step(args: ["share-link", "--storefront", "--channel", "wechat-moments"], daysAgo: opened, quiet: true))
        if let token = lastOutput?.json["token"]?.stringValue {
            links.append(DemoOrders.Link(token: token, productID: nil, created: ctx.now.adding(days: -opened)))
        }
        aside(
            Message(
                en: "… \(links.count - 2) more links on \(channels.joined(separator: ", ")), and one for the whole shop (--storefront)",
                zh: "……另外 \(links.count - 2) 个链接（\(channels.joined(separator: "、"))），以及一个整店链接（--storefront）"))
        try run(Step(args: ["pick-products", "list"], note: Message(en: "The selection, with commissions", zh: "我的选品及佣金"), maxLines: 16))
        var prices: [String: Money] = [:]
        for p in lastOutput?.json.arrayValue ?? [] {
            if let id = p["product_id"]?.stringValue, let fen = p["price_fen"]?.int64Value { prices[id] = Money(fen: fen) }
        }
        // The platform's export of each month, imported on the 1st of the next (while the month's
        // late orders still count: SPEC §6 month close), then today's export of everything.
        let today = Zone.shanghai.civilDate(of: ctx.now)
        var first = today.adding(days: -90).firstOfMonth(adding: 1)
        var monthly = 0
        while first < today {
            let back = today.daysSinceEpoch - first.daysSinceEpoch
            let file = folder + "/orders-\(first.firstOfMonth(adding: -1).monthKey).csv"
            try OutputFile.write(
                Array(
                    DemoOrders.csv(links: links, prices: prices, now: ctx.now, days: 90, zone: .shanghai, asOf: ctx.now.adding(days: -back))
                        .utf8), to: file, force: false, storePath: dbPath)
            try run(
                Step(
                    args: ["orders", "import", file], daysAgo: back,
                    note: monthly == 0
                        ? Message(
                            en: "Each month's export, imported on the 1st (a month's late orders count until the 8th)",
                            zh: "每月 1 日导入上月的平台导出（上月的迟到订单计入至 8 日）") : nil))
            monthly += 1
            first = first.firstOfMonth(adding: 1)
        }
        // Today's export as the back office gives it: a 淘宝联盟-style report in GBK, read with a map.
        let ordersFile = folder + "/orders.csv"
        let mapFile = folder + "/lianmeng-map.json"
        try OutputFile.write(
            DemoOrders.gbk(DemoOrders.lianmengCSV(links: links, prices: prices, now: ctx.now, days: 90, zone: .shanghai)),
            to: ordersFile, force: false, storePath: dbPath)
        try OutputFile.write(Array(DemoOrders.lianmengMap.utf8), to: mapFile, force: false, storePath: dbPath)
        try run(
            Step(
                args: ["orders", "import", ordersFile, "--map", mapFile],
                note: Message(
                    en: "Today's export: three months of orders through those links, moved forward "
                        + "(a GBK report with Chinese headers, read with a map)",
                    zh: "今天的平台导出：通过这些链接产生的三个月订单及其后续状态（GBK 编码、中文表头的报表，按映射文件读取）")))
        try run(Step(args: ["orders", "list", "--limit", "6"], note: Message(en: "The latest orders", zh: "最新订单")))
        try run(
            Step(
                args: ["share-link", "list", "--limit", "5"],
                note: Message(en: "The share log, with what each link brought", zh: "分享记录及每个链接带来的订单")))
        if let first = suggested.first {
            try run(
                Step(
                    args: ["share-link", first, "--channel", "wechat-moments", "--qr", "--poster", folder + "/poster.svg"],
                    note: Message(en: "Share a product: signed link, copy to paste, QR code and poster", zh: "分享商品：签名链接、可粘贴文案、二维码与海报"),
                    maxLines: 60))
        }
        if suggested.count > 1 {
            try run(
                Step(
                    args: ["share-link", suggested[1], "--channel", "wechat-group"],
                    note: Message(en: "Short copy for a group chat", zh: "群聊用的短文案")))
        }
        try run(
            Step(
                args: ["share-link", "daily", "--count", "6"],
                note: Message(en: "Today's plan: one product per promotion hour", zh: "今日分享计划：每个推广时段一个商品")))
        try run(Step(args: ["earnings", "report", "--by", "month"], note: Message(en: "Month by month", zh: "按月汇总")))
        try run(Step(args: ["earnings"], note: Message(en: "What you have earned", zh: "收益概览")))
        let available = lastOutput?.json["available_fen"]?.int64Value ?? 0
        if available >= 10_000 {
            try run(Step(args: ["earnings", "withdraw", "100"], note: Message(en: "Withdraw ¥100", zh: "提现 ¥100")))
            try run(Step(args: ["earnings"], note: Message(en: "The closing summary", zh: "最终收益概览")))
        }

        try reconcileStep(folder: folder, dbPath: dbPath, run: run, last: { lastOutput }, aside: aside)

        human += [
            "",
            ctx.t("Done. Explore it yourself:", "完成。自己动手试试："),
            "  export SHOPCTL_DB=\(dbPath)",
            "  shopctl orders list --status refunded",
            "  shopctl earnings report --by category",
            ctx.t("  poster: \(folder)/poster.svg", "  海报：\(folder)/poster.svg"),
        ]
        if let first = suggested.first {
            human.append(
                ctx.t(
                    "  a PNG poster to post (needs librsvg2-bin fonts-noto-cjk): shopctl share-link \(first) --poster poster.png",
                    "  可直接发布的 PNG 海报（需要 librsvg2-bin fonts-noto-cjk）：shopctl share-link \(first) --poster poster.png"))
        }
        return Output(
            json: .object([("db", .string(dbPath)), ("folder", .string(folder)), ("steps", .array(steps))]),
            human: human.joined(separator: "\n"))
    }

    /// The demo's last step: last month's statement as the platform would send it (淘宝联盟 style,
    /// Chinese headers), with two planted differences — a level bonus left out and an order
    /// missing — reconciled against the store, and a line explaining what was found.
    private func reconcileStep(
        folder: String, dbPath: String, run: (Step) throws -> Void, last: () -> Output?, aside: (Message) -> Void
    ) throws {
        try run(Step(args: ["orders", "list", "--period", "last-month", "--limit", "0"], quiet: true))
        let orders = last()?.json.arrayValue ?? []
        let earning = orders.filter { ($0["commission_fen"]?.int64Value ?? 0) > 0 }
        guard earning.count >= 2 else { return }
        let bonused = earning.first { ($0["bonus_fen"]?.int64Value ?? 0) > 0 }
        let changed = (bonused ?? earning[0])["order_id"]?.stringValue ?? ""
        let dropped = earning.last { $0["order_id"]?.stringValue != changed }?["order_id"]?.stringValue ?? ""
        var csv = "订单编号,订单状态,预估收入\n"
        for o in orders {
            guard let id = o["order_id"]?.stringValue, id != dropped else { continue }
            let commission = o["commission_fen"]?.int64Value ?? 0
            let bonus = o["bonus_fen"]?.int64Value ?? 0
            let status = o["status"]?.stringValue ?? ""
            let word = ["paid": "订单付款", "shipped": "订单付款", "confirmed": "订单结算", "refunded": "订单失效"][status] ?? "订单付款"
            // The planted state difference when no order has a bonus: settled on the statement, pending here.
            let plantedWord = id == changed && bonused == nil ? (word == "订单结算" ? "订单付款" : "订单结算") : word
            let figure = id == changed && bonused != nil ? commission : commission + bonus
            csv += "\(id),\(plantedWord),\(Money(fen: figure).plainYuan)\n"
        }
        let file = folder + "/statement-last-month.csv"
        try OutputFile.write(Array(csv.utf8), to: file, force: false, storePath: dbPath)
        try run(
            Step(
                args: ["reconcile", file, "--period", "last-month"],
                note: Message(
                    en: "Hold the platform's statement (淘宝联盟 style) against your own figures, order by order",
                    zh: "逐单核对平台对账单（淘宝联盟格式）与自己的记录"), maxLines: 20))
        aside(
            bonused != nil
                ? Message(
                    en: "Two planted differences, both found to the fen: the statement left out the level bonus of \(changed), "
                        + "and it lacks \(dropped) — exit 1 (differences), so a cron job can mail them",
                    zh: "对账单中埋了两处差异，都被精确到分地找出：\(changed) 漏算了等级奖励，\(dropped) 整单缺失 —— 退出码 1（differences），定时任务可以据此发邮件提醒")
                : Message(
                    en: "Two planted differences, both found: the statement settles \(changed) while the store has it pending, "
                        + "and it lacks \(dropped) — exit 1 (differences), so a cron job can mail them",
                    zh: "对账单中埋了两处差异，都被找出：\(changed) 的结算状态与本地不符，\(dropped) 整单缺失 —— 退出码 1（differences），定时任务可以据此发邮件提醒"))
    }

    /// Whether `path` holds a store already (a file of 0 bytes counts as no store yet, SPEC §2).
    /// A new folder `parent/shopctl-demo-XXXXXX` (mode 0700), `parent` created when missing.
    static func makeFolder(in parent: String) throws -> String {
        do {
            try FileManager.default.createDirectory(
                atPath: parent, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        } catch {
            throw ShopError.store(
                "store-open", en: "cannot create the folder \(parent): \(error.localizedDescription)",
                zh: "无法创建目录 \(parent)：\(error.localizedDescription)")
        }
        var template = Array((parent + "/shopctl-demo-XXXXXX").utf8CString)
        guard let dir = template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) else {
            let reason = String(cString: strerror(errno))
            throw ShopError.store(
                "store-open", en: "cannot create a folder in \(parent): \(reason)", zh: "无法在 \(parent) 中创建目录：\(reason)")
        }
        return String(cString: dir)
    }
}

func shellQuote(_ s: String) -> String {
    let safe = s.unicodeScalars.allSatisfy {
        CharacterSet.alphanumerics.contains($0) || "-_./=:@%+,".unicodeScalars.contains($0) || $0.value > 0x2E7F
    }
    return safe && !s.isEmpty ? s : "'" + s.replacingOccurrences(of: "'", with: "'\\''") + "'"
}
