import Codecs
import Foundation
import ShopKit
import ShopStore

func productNotFound(_ id: String) -> ShopError {
    .notFound("product-not-found", en: "no product \(id) in the catalog", zh: "商品目录中没有 \(id)")
}

struct PickAddCommand: Command {
    static let path = ["pick-products", "add"]
    static let summary = Message(en: "add products to the shop's selection", zh: "将商品加入店铺选品")
    static let usage = ["pick-products add PRODUCT_ID… [--reason TEXT]"]
    static let operands: [OperandSpec] = [.many(.productID)]
    static let options: [OptionSpec] = [
        .value("--reason", "TEXT", "your recommendation reason (at most 200 characters)", "你的推荐理由（最多 200 字）")
    ]
    static let discussion: Message? = Message(
        en:
            "Refusals (exit 1): pick-limit (the add would exceed max_picks), product-unavailable. Nothing of a refused call is added. An unknown product exits 3. Adding a product already picked is not an error (with --reason it updates the reason).",
        zh: "拒绝（退出码 1）：pick-limit（超过选品上限）、product-unavailable。被拒绝的调用不会加入任何商品。未知商品以 3 退出。重复加入已选商品不算错误（带 --reason 时更新理由）。")
    static let examples = ["shopctl pick-products add P0001 P0002", "shopctl pick-products add P0003 --reason 宝宝每天都要喝"]

    let ids: [String]
    let reason: String?

    init(_ args: ParsedArgs) throws {
        ids = try args.positionals.map { try checkedID($0, "PRODUCT_ID") }
        if ids.isEmpty {
            throw ShopError.usage("missing-argument", en: "'pick-products add' needs PRODUCT_ID", zh: "'pick-products add' 需要商品 ID")
        }
        reason = args.value("--reason")
        if let reason { try PickRules.checkReason(reason) }
    }

    func run(_ ctx: Context) throws -> Output {
        let store = try ctx.store(.write)
        let shop = try ctx.shop(.write)
        let (added, already, count) = try store.write { () throws -> ([String], [String], Int) in
            var picked = Set<String>()
            var unavailable = Set<String>()
            for id in ids {
                guard let p = try store.catalog.product(id) else { throw productNotFound(id) }
                if try store.picks.isPicked(shopID: shop.shopID, productID: id) {
                    picked.insert(id)
                } else if !(try store.catalog.isAvailable(p, at: ctx.now)) {
                    unavailable.insert(id)
                }
            }
            let current = try store.picks.count(shopID: shop.shopID)
            let new = try PickRules(store.rules).checkAdd(ids, alreadyPicked: picked, currentCount: current, unavailable: unavailable)
            for id in new { try store.picks.add(shopID: shop.shopID, productID: id, reason: reason, at: ctx.now) }
            if let reason {
                for id in picked { try store.picks.setReason(shopID: shop.shopID, productID: id, reason: reason) }
            }
            return (new, ids.filter { picked.contains($0) }, current + new.count)
        }
        let max = store.rules.maxPicks
        let json = JSON.object([
            ("added", .array(added.map { .string($0) })), ("already_picked", .array(already.map { .string($0) })),
            ("picks", .int(count)), ("max_picks", .int(max)),
        ])
        var lines: [String] = []
        if !added.isEmpty { lines.append(ctx.t("Picked: ", "已选：") + added.joined(separator: " ")) }
        if !already.isEmpty { lines.append(ctx.t("Already picked: ", "此前已选：") + already.joined(separator: " ")) }
        lines.append(
            max > 0
                ? ctx.t("The selection holds \(count) of at most \(max) products.", "选品 \(count) / \(max) 个。")
                : ctx.t("The selection holds \(count) products.", "选品共 \(count) 个。"))
        return Output(json: json, human: lines.joined(separator: "\n"))
    }
}

struct PickRemoveCommand: Command {
    static let path = ["pick-products", "remove"]
    static let summary = Message(en: "remove products from the selection", zh: "从选品中移除商品")
    static let usage = ["pick-products remove PRODUCT_ID…"]
    static let operands: [OperandSpec] = [.many(.productID)]
    static let options: [OptionSpec] = []
    static let examples = ["shopctl pick-products remove P0001 P0002"]

    let ids: [String]

    init(_ args: ParsedArgs) throws {
        ids = try args.positionals.map { try checkedID($0, "PRODUCT_ID") }
        if ids.isEmpty {
            throw ShopError.usage("missing-argument", en: "'pick-products remove' needs PRODUCT_ID", zh: "'pick-products remove' 需要商品 ID")
        }
    }

    func run(_ ctx: Context) throws -> Output {
        let store = try ctx.store(.write)
        let shop = try ctx.shop(.write)
        let (removed, count) = try store.write { () throws -> ([String], Int) in
            for id in ids where try store.catalog.product(id) == nil { throw productNotFound(id) }
            var removed: [String] = []
            for id in ids where try store.picks.remove(shopID: shop.shopID, productID: id) { removed.append(id) }
            return (removed, try store.picks.count(shopID: shop.shopID))
        }
        let notPicked = ids.filter { !removed.contains($0) }
        let json = JSON.object([
            ("removed", .array(removed.map { .string($0) })), ("not_picked", .array(notPicked.map { .string($0) })), ("picks", .int(count)),
        ])
        var lines = [ctx.t("Removed: ", "已移除：") + (removed.isEmpty ? "-" : removed.joined(separator: " "))]
        if !notPicked.isEmpty { lines.append(ctx.t("Not in the selection: ", "不在选品中：") + notPicked.joined(separator: " ")) }
        return Output(json: json, human: lines.joined(separator: "\n"))
    }
}

struct PickReasonCommand: Command {
    static let path = ["pick-products", "reason"]
    static let summary = Message(en: "set the recommendation reason of a picked product", zh: "设置已选商品的推荐理由")
    static let usage = ["pick-products reason PRODUCT_ID TEXT"]
    static let operands: [OperandSpec] = [.one(.productID), .one(.text)]
    static let options: [OptionSpec] = []
    static let discussion: Message? = Message(
        en:
            "The reason is yours (at most 200 characters); the product's own fields never change. An empty TEXT clears it. A product not picked is refused not-picked (exit 1).",
        zh: "推荐理由由你撰写（最多 200 字），商品本身的信息不会改变。TEXT 为空时清除理由。未选商品会被拒绝（not-picked，退出码 1）。")
    static let examples = ["shopctl pick-products reason P0003 '自家宝宝喝了三年，放心'"]

    let id: String
    let reason: String

    init(_ args: ParsedArgs) throws {
        let p = try args.positionals(["PRODUCT_ID", "TEXT"])
        id = try checkedID(p[0], "PRODUCT_ID")
        reason = p[1]
        try PickRules.checkReason(reason)
    }

    func run(_ ctx: Context) throws -> Output {
        let store = try ctx.store(.write)
        let shop = try ctx.shop(.write)
        try store.write {
            guard try store.catalog.product(id) != nil else { throw productNotFound(id) }
            guard try store.picks.isPicked(shopID: shop.shopID, productID: id) else {
                throw ShopError.rule("not-picked", en: "product \(id) is not in the selection; pick it first", zh: "商品 \(id) 不在选品中，请先选品")
            }
            try store.picks.setReason(shopID: shop.shopID, productID: id, reason: reason)
        }
        let r: JSON = reason.isEmpty ? .null : .string(reason)
        return Output(
            json: .object([("product_id", .string(id)), ("reason", r)]),
            human: ctx.t("Reason of \(id): ", "\(id) 的推荐理由：") + (reason.isEmpty ? ctx.t("(cleared)", "（已清除）") : reason))
    }
}

struct PickListCommand: Command {
    static let path = ["pick-products", "list"]
    static let summary = Message(en: "the shop's selection with commissions and availability", zh: "店铺选品（含佣金与可售状态）")
    static let usage = ["pick-products list [--csv|--excel]"]
    static let options: [OptionSpec] = CSVFormat.options
    static let examples = ["shopctl pick-products list", "shopctl pick-products list --json | jq '[.[] | select(.available | not)]'"]

    let csv: CSVFormat?

    init(_ args: ParsedArgs) throws {
        try args.noPositionals()
        csv = CSVFormat(args)
    }

    func run(_ ctx: Context) throws -> Output {
        let store = try ctx.store(.read)
        let shop = try ctx.shop(.read)
        let rows = try store.picks.list(shopID: shop.shopID, now: ctx.now)
        let json = JSON.array(
            rows.map { e in
                let p = e.product
                return .object([
                    ("product_id", .string(p.productID)), ("title", .string(p.title)), ("price_fen", .int(p.price.fen)),
                    ("commission_rate_bp", .int(p.commissionRate.bp)), ("commission_fen", .int(p.commissionPerUnit.fen)),
                    ("reason", e.reason.flatMap { $0.isEmpty ? nil : JSON.string($0) } ?? .null), ("available", .bool(e.available)),
                ])
            })
        var t = Table(
            [
                "ID", ctx.t("TITLE", "商品"), ctx.t("PRICE", "价格"), ctx.t("RATE", "佣金率"), ctx.t("COMMISSION", "单件佣金"),
                ctx.t("AVAILABLE", "可售"), ctx.t("REASON", "推荐理由"),
            ],
            align: [.left, .left, .right, .right, .right, .left, .left], maxWidth: [16, 30, nil, nil, nil, nil, 40])
        for e in rows {
            let p = e.product
            t.add([
                p.productID, p.title, p.price.formatted, p.commissionRate.percentText, p.commissionPerUnit.formatted,
                e.available ? "✓" : ctx.t("✗ unavailable", "✗ 不可售"), e.reason ?? "",
            ])
        }
        let max = store.rules.maxPicks
        let footer =
            max > 0
            ? ctx.t("\(rows.count) of at most \(max) picks", "已选 \(rows.count) / \(max)")
            : ctx.t("\(rows.count) picks", "已选 \(rows.count) 个")
        let human =
            rows.isEmpty
            ? ctx.t("No product picked yet. Try: shopctl pick-products suggest", "还没有选品。试试：shopctl pick-products suggest")
            : t.render(style: Style(enabled: ctx.colour)) + "\n" + footer
        return Output(json: json, human: human).csv(csv)
    }
}

struct PickSuggestCommand: Command {
    static let path = ["pick-products", "suggest"]
    static let summary = Message(en: "available products worth picking, best first", zh: "值得选的可售商品（按评分排序）")
    static let usage = ["pick-products suggest [--limit N]"]
    static let options: [OptionSpec] = [
        .value("--limit", "N", "at most N products (default 10, 0 = all)", "最多 N 个商品（默认 10，0 表示全部）")
    ]
    static let discussion: Message? = Message(
        en:
            "Score (docs/rules.md): 25 per tag of 三高一低 (+20 for all four), 1 per ¥2.50 of commission per unit (at most 40), and up to 30 for the categories that sell best in this shop.",
        zh: "评分（见 docs/rules.md）：三高一低每个标签 25 分（四个齐全再加 20），单件佣金每 ¥2.50 计 1 分（最多 40），本店畅销类目最多 30 分。")
    static let examples = [
        "shopctl pick-products suggest --limit 5",
        "shopctl pick-products suggest --json | jq -r '.[].product_id' | xargs shopctl pick-products add",
    ]

    let limit: Int

    init(_ args: ParsedArgs) throws {
        try args.noPositionals()
        limit = try args.int("--limit", range: 0...100_000_000) ?? 10
    }

    func run(_ ctx: Context) throws -> Output {
        let store = try ctx.store(.read)
        let shop = try ctx.shop(.read)
        let rows = try store.picks.ranked(shopID: shop.shopID, picked: false, now: ctx.now, limit: limit)
        let json = JSON.array(
            rows.map { r in
                let p = r.product
                return .object([
                    ("product_id", .string(p.productID)), ("title", .string(p.title)), ("category", .string(p.category)),
                    ("price_fen", .int(p.price.fen)), ("commission_rate_bp", .int(p.commissionRate.bp)),
                    ("commission_fen", .int(p.commissionPerUnit.fen)), ("tags", .array(p.tags.map { .string($0.rawValue) })),
                    ("score", .int(r.score)),
                ])
            })
        var t = Table(
            ["ID", ctx.t("TITLE", "商品"), ctx.t("PRICE", "价格"), ctx.t("COMMISSION", "单件佣金"), ctx.t("TAGS", "标签"), ctx.t("SCORE", "评分")],
            align: [.left, .left, .right, .right, .left, .right], maxWidth: [16, 30, nil, nil, nil, nil])
        for r in rows {
            let p = r.product
            t.add([p.productID, p.title, p.price.formatted, p.commissionPerUnit.formatted, tagText(p.tags, ctx), String(r.score)])
        }
        return Output(
            json: json,
            human: rows.isEmpty
                ? ctx.t("Nothing to suggest: every available product is picked.", "没有可推荐的商品：可售商品都已选。")
                : t.render(style: Style(enabled: ctx.colour)))
    }
}

func tagText(_ tags: [ProductTag], _ ctx: Context) -> String {
    tags.map { t -> String in
        switch t {
        case .highMargin: return ctx.t("margin", "高毛利")
        case .highRepurchase: return ctx.t("repurchase", "高复购")
        case .highRecognition: return ctx.t("recognition", "高认知")
        case .lowTrialCost: return ctx.t("low-trial", "低试错")
        }
    }.joined(separator: " ")
}
