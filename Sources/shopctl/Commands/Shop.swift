import Codecs
import Foundation
import ShopKit
import ShopStore

struct ShopListCommand: Command {
    static let path = ["shop", "list"]
    static let summary = Message(en: "list the shops in the store", zh: "列出数据库中的店铺")
    static let usage = ["shop list [--json] [--csv|--excel]"]
    static let options: [OptionSpec] = CSVFormat.options
    static let examples = ["shopctl shop list", "shopctl shop list --json | jq -r '.[].shop_id'"]

    let csv: CSVFormat?

    init(_ args: ParsedArgs) throws {
        try args.noPositionals()
        csv = CSVFormat(args)
    }

    func run(_ ctx: Context) throws -> Output {
        // Showing a level fixes it when it is due (SPEC §6): `.existing` writes only then.
        let store = try ctx.store(.existing)
        let zone = store.rules.zone
        let ledger = Ledger(store: store)
        let all = try store.shops.all(rules: store.rules)
        let shops = try ledger.withFixedMonths(shops: all, now: ctx.now, store: store) {
            try all.map { s -> Shop in
                var s = s
                s.level = try ledger.currentLevel(of: s, now: ctx.now).level.name
                return s
            }
        }
        var t = Table(
            [ctx.t("SHOP", "店铺"), ctx.t("NAME", "店名"), ctx.t("MEMBER", "会员"), ctx.t("LEVEL", "等级"), ctx.t("OPENED", "开店日期")])
        for s in shops {
            t.add([s.shopID, s.displayName, s.memberID, s.level, zone.civilDate(of: s.openedAt).description])
        }
        let human =
            shops.isEmpty
            ? ctx.t(
                "No shop yet. Open one with: shopctl open-shop --member ID --name NAME", "还没有店铺。开店：shopctl open-shop --member ID --name 店名")
            : t.render(style: Style(enabled: ctx.colour))
        return Output(json: .array(shops.map { $0.json(zone: zone) }), human: human).csv(csv)
    }
}

struct ShopShowCommand: Command {
    static let path = ["shop", "show"]
    static let summary = Message(en: "show one shop (--shop, or the only one)", zh: "显示店铺详情（--shop 或唯一的店铺）")
    static let usage = ["shop show [--shop SHOP_ID] [--json]"]
    static let options: [OptionSpec] = []
    static let examples = ["shopctl shop show", "shopctl --shop S000002 shop show --json"]

    init(_ args: ParsedArgs) throws { try args.noPositionals() }

    func run(_ ctx: Context) throws -> Output {
        // Showing a level fixes it when it is due (SPEC §6): `.existing` writes only then.
        let store = try ctx.store(.existing)
        var shop = try ctx.shop(.existing)
        let ledger = Ledger(store: store)
        shop.level = try ledger.withFixedMonths(shop: shop, now: ctx.now, store: store) {
            try ledger.currentLevel(of: shop, now: ctx.now).level.name
        }
        return Output(json: shop.json(zone: store.rules.zone), human: Self.details(shop, ctx, store.rules.zone))
    }

    static func details(_ s: Shop, _ ctx: Context, _ zone: Zone) -> String {
        var pairs = [
            (ctx.t("shop", "店铺"), s.shopID),
            (ctx.t("display name", "展示名"), s.displayName),
            (ctx.t("member", "会员"), s.memberID),
            (ctx.t("level", "等级"), s.level),
            (ctx.t("opened", "开店时间"), s.openedAt.rfc3339(in: zone)),
            (ctx.t("opening fee", "开店费"), s.openingFee.formatted),
        ]
        if !s.description.isEmpty { pairs.append((ctx.t("description", "简介"), s.description)) }
        if let logo = s.logo { pairs.append((ctx.t("logo", "标志"), logo)) }
        return keyValues(pairs)
    }
}

struct ShopEditCommand: Command {
    static let path = ["shop", "edit"]
    static let summary = Message(en: "change a shop's name, description or logo", zh: "修改店名、简介或标志")
    static let usage = ["shop edit [--name NAME] [--description TEXT] [--logo PATH]"]
    static let options: [OptionSpec] = [
        .value("--name", "NAME", "new shop name (the naming rules apply)", "新店名（适用店名规则）"),
        .value("--description", "TEXT", "new introduction", "新简介"),
        .value("--logo", "PATH", "new logo image file", "新标志图片文件", kind: .file),
    ]
    static let examples = ["shopctl shop edit --name 小美生活馆", "shopctl --shop S000002 shop edit --description 每日好物推荐"]

    let name: String?
    let description: String?
    let logo: String?

    init(_ args: ParsedArgs) throws {
        try args.noPositionals()
        name = args.value("--name")
        description = args.value("--description")
        // Kept as an absolute path, checked to be a PNG or JPEG: posters embed it.
        logo = try args.value("--logo").map(PosterImages.checkLogo)
        if name == nil && description == nil && logo == nil {
            throw ShopError.usage(
                "missing-argument", en: "'shop edit' needs --name, --description or --logo",
                zh: "'shop edit' 需要 --name、--description 或 --logo")
        }
        if let d = description { try ShopRules.checkDescription(d) }
    }

    func run(_ ctx: Context) throws -> Output {
        let store = try ctx.store(.write)
        let rules = ShopRules(store.rules)
        let updated = try store.write { () throws -> Shop in
            var shop = try ctx.shop(.write)
            if let name {
                let taken = try store.shops.nameTaken(name, rules: store.rules, excluding: shop.shopID)
                shop.name = try rules.checkName(name, nameTaken: taken)
                shop.displayName = rules.displayName(for: shop.name)
            }
            if let description { shop.description = description }
            if let logo { shop.logo = logo }
            try store.shops.update(shop)
            let ledger = Ledger(store: store)
            try ledger.fixMonths(shop: shop, now: ctx.now)
            shop.level = try ledger.currentLevel(of: shop, now: ctx.now).level.name
            return shop
        }
        let zone = store.rules.zone
        return Output(
            json: updated.json(zone: zone),
            human: ctx.t("Updated \(updated.shopID).", "已更新 \(updated.shopID)。") + "\n" + ShopShowCommand.details(updated, ctx, zone))
    }
}
