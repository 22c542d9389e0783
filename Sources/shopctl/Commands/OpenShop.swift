import Foundation
import ShopKit
import ShopStore

struct OpenShopCommand: Command {
    static let path = ["open-shop"]
    static let summary = Message(en: "open a shop under the platform's rules", zh: "按平台规则开店")
    static let usage = [
        "open-shop --member ID --name NAME [--description TEXT] [--logo PATH] [--credit-score N] [--verified]"
    ]
    static let options: [OptionSpec] = [
        .value("--member", "ID", "the platform member opening the shop", "开店的平台会员 ID"),
        .value("--name", "NAME", "shop name (the platform's suffix is added to the display name)", "店铺名（展示名会自动加上平台后缀）"),
        .value("--description", "TEXT", "a short introduction (at most 500 characters)", "店铺简介（最多 500 字）"),
        .value("--logo", "PATH", "an image file for the shop logo", "店铺标志图片文件", kind: .file),
        .value("--credit-score", "N", "the member's credit score (350–950), e.g. 芝麻信用分", "会员信用分（350–950），如芝麻信用分"),
        .flag("--verified", "the member has passed real-name verification", "会员已完成实名认证"),
    ]
    static let discussion: Message? = Message(
        en: "Refusals (exit 1): credit-score, real-name, shop-name, one-shop-per-member.",
        zh: "拒绝（退出码 1）：credit-score、real-name、shop-name、one-shop-per-member。")
    static let examples = [
        "shopctl open-shop --member m1 --name 小美好物 --credit-score 720 --verified",
        "shopctl --json open-shop --member m2 --name 宝妈优选 --verified",
    ]

    let request: OpenShopRequest

    init(_ args: ParsedArgs) throws {
        try args.noPositionals()
        // Kept as an absolute path, checked to be a PNG or JPEG: posters embed it.
        let logo = try args.value("--logo").map(PosterImages.checkLogo)
        request = OpenShopRequest(
            memberID: try args.required("--member"), name: try args.required("--name"),
            description: args.value("--description") ?? "", logo: logo,
            creditScore: try args.int("--credit-score"), verified: args.flag("--verified"))
        try ShopRules.checkMemberID(request.memberID)
        if let s = request.creditScore, !ShopRules.creditScoreRange.contains(s) {
            throw ShopError.usage(
                "credit-score-range", en: "credit score \(s) is outside 350–950", zh: "信用分 \(s) 不在 350–950 范围内")
        }
    }

    func run(_ ctx: Context) throws -> Output {
        let store = try ctx.store(.write)
        let rules = store.rules
        // A refusal is returned, not thrown, so that the levels fixed for the check are kept
        // (committed) like every other fixed fact (SPEC §6).
        let outcome = try store.write { () throws -> Result<Shop, ShopError> in
            // The multi_shop check uses each shop's level as `earnings` shows it, fixing it when due.
            let ledger = Ledger(store: store)
            let mine = try store.shops.ofMember(request.memberID, rules: rules).map { s -> MemberShop in
                try ledger.fixMonths(shop: s, now: ctx.now)
                return MemberShop(shop: s, currentLevel: try ledger.currentLevel(of: s, now: ctx.now).level.name)
            }
            let taken = try store.shops.nameTaken(request.name, rules: rules)
            let shop: Shop
            do {
                shop = try ShopRules(rules).open(request, id: try store.shops.nextID(), now: ctx.now, memberShops: mine, nameTaken: taken)
            } catch let refusal as ShopError {
                return .failure(refusal)
            }
            try store.shops.insert(shop)
            return .success(shop)
        }
        let shop = try outcome.get()
        let zone = rules.zone
        var lines = [
            ctx.t(
                "Opened \(shop.displayName) (\(shop.shopID)) on \(rules.displayName).",
                "已在\(rules.displayName)开店：\(shop.displayName)（\(shop.shopID)）。")
        ]
        lines.append(ShopShowCommand.details(shop, ctx, zone))
        return Output(json: shop.json(zone: zone), human: lines.joined(separator: "\n"))
    }
}
