import Codecs
import Foundation
import ShopKit
import ShopStore

struct InitCommand: Command {
    static let path = ["init"]
    static let summary = Message(en: "create the store with a platform preset", zh: "按平台预设创建数据库")
    static let usage = ["init --platform taoxiaopu|yunji|xiangdian|beidian [--rules FILE.json]"]
    static let options: [OptionSpec] = [
        .value(
            "--platform", "NAME", "taoxiaopu 淘小铺, yunji 云集, xiangdian 饷店 or beidian 贝店", "taoxiaopu 淘小铺、yunji 云集、xiangdian 饷店 或 beidian 贝店",
            kind: .platform),
        .value(
            "--rules", "FILE", "JSON object overriding any subset of the preset's keys (see: shopctl rules --json)",
            "覆盖部分预设规则的 JSON 对象（参见 shopctl rules --json）", kind: .file),
    ]
    static let discussion: Message? = Message(
        en:
            "Without init, the first command that writes creates a store with the taoxiaopu preset; commands that only read never create one (exit 5, no-store). An existing store is never re-initialised (exit 1, already-initialized); a file that is not a shopctl store is left untouched (exit 5, not-a-store). Of several inits at once exactly one succeeds.",
        zh:
            "未执行 init 时，第一条写入的命令会按淘小铺预设创建数据库；只读命令从不创建数据库（退出码 5，no-store）。已存在的数据库不会被重新初始化（退出码 1，already-initialized）；不是 shopctl 数据库的文件不会被改动（退出码 5，not-a-store）。多个 init 同时执行时只有一个成功。"
    )
    static let examples = [
        "shopctl init --platform yunji",
        "shopctl --db ./beidian.db init --platform beidian --rules my-rules.json",
    ]

    let platform: Platform
    let rulesFile: String?

    init(_ args: ParsedArgs) throws {
        try args.noPositionals()
        let name = try args.required("--platform")
        guard let p = Platform(rawValue: name) else {
            throw ShopError.usage(
                "bad-argument",
                en: "unknown platform '\(name)'; choose one of \(Platform.allCases.map(\.rawValue).joined(separator: ", "))",
                zh: "未知平台 '\(name)'，可选：\(Platform.allCases.map(\.rawValue).joined(separator: "、"))")
        }
        platform = p
        rulesFile = args.value("--rules")
    }

    func run(_ ctx: Context) throws -> Output {
        var rules = Rules.preset(platform)
        if let file = rulesFile {
            guard let data = FileManager.default.contents(atPath: file) else {
                throw ShopError.usage("bad-argument", en: "cannot read the rules file \(file)", zh: "无法读取规则文件 \(file)")
            }
            guard let text = String(data: data, encoding: .utf8) else {
                throw ShopError.usage("rules-file", en: "the rules file \(file) is not UTF-8", zh: "规则文件 \(file) 不是 UTF-8 编码")
            }
            let doc: JSON
            do { doc = try JSON.parse(text) } catch let e as CodecError {
                throw ShopError.usage("rules-file", en: "rules file \(file): \(e.message.en)", zh: "规则文件 \(file)：\(e.message.zh)")
            }
            rules = try rules.overriding(with: doc)
        }
        let path = ctx.storePath
        let store = try Store.open(
            path: path, creation: .init(platform: platform, rules: rules, now: ctx.now, secret: Context.randomSecret()),
            mustCreate: true)
        ctx.adopt(store)
        let json = JSON.object([
            ("db", .string(path)),
            ("platform", .string(platform.rawValue)),
            ("display_name", .string(store.rules.displayName)),
            ("schema_version", .int(Int64(Store.schemaVersion))),
        ])
        let human = ctx.t(
            "Created the store \(path) for \(store.rules.displayName) (\(platform.rawValue)).",
            "已为\(store.rules.displayName)（\(platform.rawValue)）创建数据库 \(path)。")
        return Output(json: json, human: human)
    }
}

struct RulesCommand: Command {
    static let path = ["rules"]
    static let summary = Message(en: "print the store's effective platform rules", zh: "显示当前生效的平台规则")
    static let usage = ["rules [--json]"]
    static let options: [OptionSpec] = []
    static let examples = ["shopctl rules", "shopctl rules --json | jq .levels"]

    init(_ args: ParsedArgs) throws { try args.noPositionals() }

    func run(_ ctx: Context) throws -> Output {
        let store = try ctx.store(.read)
        let r = store.rules
        let yes = ctx.t("yes", "是")
        let no = ctx.t("no", "否")
        func b(_ v: Bool) -> String { v ? yes : no }
        let settlement: String
        switch r.settlement {
        case .monthly(let day): settlement = ctx.t("monthly, on day \(day) of the next month", "按月结算，次月 \(day) 日")
        case .afterDays(let d): settlement = ctx.t("\(d) days after confirmation", "确认收货后 \(d) 天")
        }
        let none = ctx.t("none", "无")
        var pairs: [(String, String)] = [
            (ctx.t("platform", "平台"), "\(r.displayName) (\(store.platform))"),
            (ctx.t("minimum credit score", "最低信用分"), r.minCreditScore.map(String.init) ?? none),
            (ctx.t("real name required", "需要实名认证"), b(r.realNameRequired)),
            (ctx.t("opening fee", "开店费"), r.openingFee.formatted),
            (ctx.t("shop name suffix", "店名后缀"), r.shopNameSuffix ?? none),
            (ctx.t("forbidden name words", "店名禁用词"), r.forbiddenNameWords.joined(separator: " ")),
            (ctx.t("shop name max length", "店名最大长度"), "\(r.shopNameMaxLength)"),
            (ctx.t("max picks", "选品上限"), r.maxPicks == 0 ? ctx.t("no limit", "不限") : "\(r.maxPicks)"),
            (ctx.t("share requires pick", "分享需先选品"), b(r.shareRequiresPick)),
            (
                ctx.t("multiple shops", "多店铺"),
                r.multiShop.map {
                    ctx.t("from \($0.minLevel), shop ≥ \($0.minShopAgeDays) days", "需\($0.minLevel)及以上，开店满 \($0.minShopAgeDays) 天")
                } ?? ctx.t("one shop per member", "每位会员一家店")
            ),
            (
                ctx.t("levels", "等级"),
                r.levels.map { "\($0.name) ≥\($0.minPrevMonthGMV.formatted) +\($0.bonus.percentText)" }.joined(separator: " · ")
            ),
            (ctx.t("settlement", "结算"), settlement),
            (ctx.t("self-purchase commission", "自购佣金"), b(r.selfPurchaseCommission)),
            (
                ctx.t("volume rewards", "月销奖励"),
                r.volumeRewards.isEmpty
                    ? none : r.volumeRewards.map { "≥\($0.minMonthGMV.formatted) → \($0.reward.formatted)" }.joined(separator: " · ")
            ),
            (ctx.t("withdrawal minimum", "最低提现"), r.withdrawMin.formatted),
            (ctx.t("withdrawal fee", "提现手续费"), r.withdrawFee.percentText),
            (ctx.t("promotion hours", "推广时段"), "\(r.promoHours.start):00–\(r.promoHours.end):59"),
            (ctx.t("channels", "渠道"), r.channels.joined(separator: " ")),
            (ctx.t("categories", "类目"), r.categories.joined(separator: " ")),
        ]
        if let a = r.supplierAdmission {
            pairs.append(
                (
                    ctx.t("supplier admission", "供应商准入"),
                    ctx.t(
                        "capital ≥ \(a.minRegisteredCapital.formatted), \(a.generalTaxpayerRequired ? "general taxpayer, " : "")deposit ≥ \(a.minDeposit.formatted), ≤ \(a.maxAuthChainLevels) authorisation levels",
                        "注册资本 ≥ \(a.minRegisteredCapital.formatted)，\(a.generalTaxpayerRequired ? "一般纳税人，" : "")保证金 ≥ \(a.minDeposit.formatted)，授权链 ≤ \(a.maxAuthChainLevels) 级"
                    )
                ))
        } else {
            pairs.append((ctx.t("supplier admission", "供应商准入"), none))
        }
        pairs += [
            (ctx.t("commission floor: market rate", "佣金不低于市场价"), b(r.commissionFloorMarket)),
            (ctx.t("price parity", "全网比价"), b(r.priceParity)),
            (ctx.t("distribution depth", "分销层级"), "\(r.distributionDepth)"),
            (ctx.t("share base URL", "分享域名"), r.shareBaseURL),
            (ctx.t("time zone", "时区"), r.timeZone),
        ]
        return Output(json: r.json, human: keyValues(pairs))
    }
}
