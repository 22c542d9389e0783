import Codecs
import Foundation
import ShopKit
import ShopStore

struct ShareLinkCommand: Command {
    static let path = ["share-link"]
    static let summary = Message(en: "make a signed share link with ready-to-post copy", zh: "生成带签名的分享链接和文案")
    static let usage = [
        "share-link PRODUCT_ID [--channel CH] [--campaign NAME] [--qr] [--qr-png FILE] [--poster FILE.svg|FILE.png] [--force]",
        "share-link --storefront [--channel CH] [--campaign NAME] [--qr] [--qr-png FILE] [--poster FILE.svg|FILE.png] [--force]",
        "share-link verify TOKEN",
        "share-link daily [--date YYYY-MM-DD] [--count N] [--channel CH] [--posters DIR [--poster-format svg|png]] [--force]",
        "share-link list [--limit N]",
    ]
    static let operands: [OperandSpec] = [.one(.productID)]
    static let options: [OptionSpec] = [
        .value(
            "--channel", "CH", "where you post it (default wechat-moments; see shopctl rules)", "发布渠道（默认 wechat-moments，见 shopctl rules）",
            kind: .channel),
        .value("--campaign", "NAME", "a name of yours to group links (1–64 characters, no spaces)", "自定义活动名（1–64 个字符，不含空白），便于分组统计"),
        .flag("--storefront", "a link to the whole shop instead of one product", "分享整个店铺而不是单个商品"),
        .flag("--qr", "draw the QR code of the url in the terminal", "在终端显示链接二维码"),
        .value("--qr-png", "FILE", "write the QR code as a PNG image", "将二维码保存为 PNG 图片", kind: .file),
        .value(
            "--poster", "FILE.svg|FILE.png",
            "write a poster (title, price, reason, product image, logo, QR code): a name ending in .png is a 1080 px PNG, any other an SVG",
            "生成海报（标题、价格、推荐理由、商品图、店铺标志、二维码）：以 .png 结尾为 1080 像素宽的 PNG，其他为 SVG", kind: .file),
        .flag(
            "--force", "replace an existing --qr-png or --poster file (never the store or its files)",
            "覆盖已存在的 --qr-png 或 --poster 文件（绝不覆盖数据库及其附属文件）"),
    ]
    static let discussion: Message? = Message(
        en:
            "Refusals (exit 1): not-picked (the platform shares picked products only), product-unavailable, channel. The text never shows your commission. Every link is recorded in the share log. An existing --qr-png or --poster file is refused (exit 2, file-exists) unless --force; the store and its files are refused always; if a file cannot be written no link is recorded. A PNG poster is drawn by rsvg-convert with a Chinese font (packages librsvg2-bin fonts-noto-cjk): without them exit 5 (renderer-missing, font-missing); a product image or logo that is no longer a PNG or JPEG exits 4 (bad-image). See docs/share-links.md.",
        zh:
            "拒绝（退出码 1）：not-picked（平台只允许分享已选商品）、product-unavailable、channel。文案中不会出现佣金。每个链接都会记入分享记录。--qr-png 或 --poster 指定的文件已存在时拒绝（退出码 2，file-exists），除非加 --force；数据库及其附属文件始终拒绝；文件写不成时不记录链接。PNG 海报由 rsvg-convert 配合中文字体绘制（软件包 librsvg2-bin fonts-noto-cjk）：缺少时退出码 5（renderer-missing、font-missing）；商品图或店铺标志不再是 PNG 或 JPEG 时退出码 4（bad-image）。详见 docs/share-links.md。"
    )
    static let examples = [
        "shopctl share-link P000001",
        "shopctl share-link P000001 --channel wechat-group --qr",
        "shopctl share-link P000001 --poster poster.png --qr-png qr.png",
        "shopctl share-link --storefront --channel weibo --json",
    ]

    let productID: String?
    let channel: String
    let campaign: String?
    let qr: Bool
    let qrPNG: String?
    let poster: String?
    let force: Bool

    init(_ args: ParsedArgs) throws {
        let storefront = args.flag("--storefront")
        if storefront {
            try args.noPositionals()
            productID = nil
        } else {
            guard args.positionals.count == 1 else {
                if args.positionals.isEmpty {
                    throw ShopError.usage(
                        "missing-argument", en: "'share-link' needs PRODUCT_ID or --storefront", zh: "'share-link' 需要商品 ID 或 --storefront")
                }
                throw ShopError.usage(
                    "bad-argument", en: "'share-link' takes one PRODUCT_ID (or a subcommand: verify, daily, list)",
                    zh: "'share-link' 只接受一个商品 ID（或子命令 verify、daily、list）")
            }
            productID = try checkedID(args.positionals[0], "PRODUCT_ID")
        }
        channel = args.value("--channel") ?? "wechat-moments"
        campaign = try args.id("--campaign")
        qr = args.flag("--qr")
        qrPNG = args.value("--qr-png")
        poster = args.value("--poster")
        force = args.flag("--force")
        if let a = qrPNG, let b = poster, OutputFile.sameFile(a, b) {
            throw ShopError.usage(
                "bad-argument", en: "--qr-png and --poster name the same file (\(a))", zh: "--qr-png 与 --poster 指向同一个文件（\(a)）")
        }
    }

    func run(_ ctx: Context) throws -> Output {
        let store = try ctx.store(.write)
        let rules = store.rules
        let shop = try ctx.shop(.write)
        try ShareRules(rules).checkChannel(channel)
        var product: Product?
        var reason: String?
        if let id = productID {
            guard let p = try store.catalog.product(id) else { throw productNotFound(id) }
            let picked = try store.picks.isPicked(shopID: shop.shopID, productID: id)
            try ShareRules(rules).checkProduct(id, picked: picked, available: try store.catalog.isAvailable(p, at: ctx.now))
            product = p
            reason = try store.picks.reason(shopID: shop.shopID, productID: id)
        }
        let fields = ShareFields(shopID: shop.shopID, productID: productID, channel: channel, campaign: campaign, createdAt: ctx.now)
        // What the poster needs is found and read before anything is recorded.
        let renderer = try poster.flatMap { PosterFormat.of($0) == .png ? try PosterRenderer.locate(env: ctx.env) : nil }
        let pictures = try poster.map { _ in try PosterPictures(shop: shop, product: product) }
        // Destinations are refused before anything is recorded.
        let pngFile = try qrPNG.map { try OutputFile(path: $0, force: force, storePath: ctx.storePath) }
        let posterFile = try poster.map { try OutputFile(path: $0, force: force, storePath: ctx.storePath) }
        defer {
            pngFile?.discard()
            posterFile?.discard()
        }
        let placed = PlacedFiles()
        let (record, url, code) = try Self.removing(placed) {
            try store.write { () throws -> (ShareRecord, String, QRCode) in
                let rec = try store.shares.issue(fields, secret: store.secret)
                let url = ShareRules(rules).url(token: rec.token)
                let code = try ShopError.mappingCodecErrors { try QRCode(encoding: url) }
                // Files are written inside the transaction, last: if one cannot be written, no link
                // is recorded. Both are written whole before either is put in place.
                try pngFile?.write(code.pngData(scale: 8, quietZone: 4))
                if let posterFile, let pictures {
                    let svg = Poster.svg(
                        PosterContent(
                            shopName: shop.displayName, title: product?.title, price: product?.price,
                            text: reason ?? (product == nil ? shop.description : nil), image: pictures.image, logo: pictures.logo, url: url,
                            qr: code))
                    if let renderer { try posterFile.write(try renderer.png(svg: svg)) } else { try posterFile.write(svg) }
                }
                for file in [pngFile, posterFile].compactMap({ $0 }) {
                    try file.commit()
                    placed.paths.append(file.path)
                }
                return (rec, url, code)
            }
        }
        let text =
            product.map {
                ShareCopy.text(channel: channel, title: $0.title, price: $0.price, reason: reason, shopName: shop.displayName, url: url)
            } ?? ShareCopy.storefrontText(channel: channel, shopName: shop.displayName, description: shop.description, url: url)
        let json = JSON.object([
            ("token", .string(record.token)), ("url", .string(url)), ("code", .string(ShareCopy.code(token: record.token))),
            ("text", .string(text)), ("product_id", productID.map { .string($0) } ?? .null), ("channel", .string(channel)),
        ])
        var lines = [
            keyValues(
                [
                    (ctx.t("link", "链接"), url), (ctx.t("code", "口令"), ShareCopy.code(token: record.token)),
                    (ctx.t("channel", "渠道"), channel),
                ] + (campaign.map { [(ctx.t("campaign", "活动"), $0)] } ?? [])),
            "",
            text,
        ]
        if qr { lines += [""] + Self.terminalQR(code, colour: ctx.colour) }
        if let p = qrPNG { lines.append(ctx.t("QR code written to \(p)", "二维码已保存到 \(p)")) }
        if let p = poster { lines.append(ctx.t("Poster written to \(p)", "海报已保存到 \(p)")) }
        return Output(json: json, human: lines.joined(separator: "\n"))
    }
}

/// The pictures of a poster, read and checked before anything is recorded.
struct PosterPictures {
    var image: (bytes: [UInt8], info: ImageFileInfo)?
    var logo: (bytes: [UInt8], info: ImageFileInfo)?

    init(shop: Shop, product: Product?) throws {
        image = try product.flatMap { try Self.image(of: $0) }
        logo = try Self.logo(of: shop)
    }

    static func image(of p: Product) throws -> (bytes: [UInt8], info: ImageFileInfo)? {
        try p.image.map {
            try PosterImages.load(
                $0, what: Message(en: "the image of product \(p.productID)", zh: "商品 \(p.productID) 的图片"),
                fix: Message(
                    en: "fix the products column image and import the catalog again", zh: "请修正商品数据的 image 列后重新导入目录"))
        }
    }

    static func logo(of shop: Shop) throws -> (bytes: [UInt8], info: ImageFileInfo)? {
        try shop.logo.map {
            try PosterImages.load(
                $0, what: Message(en: "the logo of shop \(shop.shopID)", zh: "店铺 \(shop.shopID) 的标志"),
                fix: Message(en: "set it again with shopctl shop edit --logo FILE", zh: "请用 shopctl shop edit --logo 文件 重新设置"))
        }
    }
}

/// The files a command has put in place so far.
final class PlacedFiles {
    var paths: [String] = []
}

extension ShareLinkCommand {
    /// Runs `body` (a store transaction that puts files in place last, noting their paths in
    /// `placed`); when it fails after some were put in place — a later file, or the COMMIT —
    /// they are removed again: no file is left for a link that was not recorded.
    static func removing<T>(_ placed: PlacedFiles, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch {
            for p in placed.paths { unlink(p) }
            throw error
        }
    }

    /// Dark modules as half blocks with a quiet zone; on a colour terminal the code is drawn
    /// black on white explicitly, so it scans on dark and light themes alike.
    static func terminalQR(_ code: QRCode, colour: Bool) -> [String] {
        let lines = code.terminalLines(quietZone: 2)
        return colour ? lines.map { "\u{1B}[30;107m" + $0 + "\u{1B}[0m" } : lines
    }
}

struct ShareVerifyCommand: Command {
    static let path = ["share-link", "verify"]
    static let summary = Message(en: "check a share token", zh: "校验分享口令")
    static let usage = ["share-link verify TOKEN"]
    static let options: [OptionSpec] = []
    static let discussion: Message? = Message(
        en:
            "Accepts the token, the url (a query string or fragment, as chat apps append, is ignored), the ￥口令￥ (￥ or ¥), or copy holding the url or the 口令. A link on another host or scheme, two different tokens, a token of another store, or one with any character changed, is refused invalid-token (exit 1). See docs/share-links.md.",
        zh:
            "可传入口令、链接（聊天软件附加的查询参数和 # 片段会被忽略）、￥口令￥（￥ 或 ¥），或含链接或口令的文案。其他域名或协议的链接、两个不同的口令、其他数据库的口令或被改动过的口令会被拒绝（invalid-token，退出码 1）。详见 docs/share-links.md。"
    )
    static let examples = [
        "shopctl share-link verify AQAAAAAB3q2-7w1Ffj9xYk1Q",
        "shopctl share-link verify 'https://taoxiaopu.example/s/AQAAAAAB3q2-7w1Ffj9xYk1Q?from=singlemessage'",
        "shopctl share-link verify '￥AQAAAAAB3q2-7w1Ffj9xYk1Q￥'",
    ]

    let input: String

    init(_ args: ParsedArgs) throws {
        input = try args.positionals(["TOKEN"])[0]
    }

    func run(_ ctx: Context) throws -> Output {
        let store = try ctx.store(.read)
        guard let token = ShareLinkParser(store.rules).token(in: input) else {
            let problem = ShareLinkParser.notALink(store.rules)
            throw ShopError.rule(problem.code, en: problem.message.en, zh: problem.message.zh)
        }
        guard let rec = try store.shares.verify(token, secret: store.secret) else {
            throw ShopError.rule(
                "invalid-token", en: "this share token is not valid for this store (forged, altered or from another store)",
                zh: "该分享口令对本数据库无效（伪造、被改动或来自其他数据库）")
        }
        let json = JSON.object([
            ("valid", .bool(true)), ("shop_id", .string(rec.fields.shopID)),
            ("product_id", rec.fields.productID.map { .string($0) } ?? .null), ("channel", .string(rec.fields.channel)),
        ])
        let human = keyValues([
            (ctx.t("valid", "有效"), ctx.t("yes", "是")), (ctx.t("shop", "店铺"), rec.fields.shopID),
            (ctx.t("product", "商品"), rec.fields.productID ?? ctx.t("(storefront)", "（整店）")), (ctx.t("channel", "渠道"), rec.fields.channel),
            (ctx.t("issued", "生成时间"), rec.fields.createdAt.rfc3339(in: store.rules.zone)),
        ])
        return Output(json: json, human: human)
    }
}

struct ShareDailyCommand: Command {
    static let path = ["share-link", "daily"]
    static let summary = Message(en: "the day's posting plan: one product per promotion hour", zh: "每日分享计划：每个推广时段一个商品")
    static let usage = [
        "share-link daily [--date YYYY-MM-DD] [--count N] [--channel CH] [--posters DIR [--poster-format svg|png]] [--force]"
    ]
    static let options: [OptionSpec] = [
        .value(
            "--posters", "DIR", "also write an SVG poster per slot as DIR/HH.svg (DIR is created if missing)",
            "同时为每个时段生成海报 DIR/HH.svg（目录不存在时自动创建）", kind: .directory),
        .value(
            "--poster-format", "svg|png", "the posters' format: svg (default) or png (1080 px wide, DIR/HH.png; needs rsvg-convert)",
            "海报格式：svg（默认）或 png（1080 像素宽，DIR/HH.png；需要 rsvg-convert）", kind: .choice(["svg", "png"])),
        .flag("--force", "replace posters already in DIR (never the store or its files)", "覆盖 DIR 中已有的海报（绝不覆盖数据库及其附属文件）"),
        .value("--date", "YYYY-MM-DD", "the day to plan (default: today in the store's time zone)", "计划日期（默认：数据库时区的今天）"),
        .value("--count", "N", "at most N slots (default: every promotion hour)", "最多 N 个时段（默认：全部推广时段）"),
        .value("--channel", "CH", "where the plan is posted (default wechat-moments)", "发布渠道（默认 wechat-moments）", kind: .channel),
    ]
    static let discussion: Message? = Message(
        en:
            "One slot per hour from promo_hours.start, no product twice, products planned in the three days before rested while others remain, ranked by the suggest score. Running it again for the same shop, date and channel returns the same plan and records nothing new. A poster already in DIR is refused (exit 2, file-exists) unless --force; if a poster cannot be written the plan is not recorded. PNG posters (--poster-format png) need rsvg-convert and a Chinese font (librsvg2-bin fonts-noto-cjk), as share-link --poster FILE.png does.",
        zh:
            "从推广开始时段起每小时一个商品，同一商品不重复；前三天已排过的商品在有其他商品可选时轮休；按选品评分排序。同一店铺、日期和渠道重复运行会得到相同计划，不会新增记录。DIR 中已有同名海报时拒绝（退出码 2，file-exists），除非加 --force；海报写不成时不记录计划。PNG 海报（--poster-format png）与 share-link --poster 文件.png 一样需要 rsvg-convert 和中文字体（librsvg2-bin fonts-noto-cjk）。"
    )
    static let examples = [
        "shopctl share-link daily", "shopctl share-link daily --date 2026-11-21 --count 5 --channel wechat-group --json",
    ]

    let date: CivilDate?
    let count: Int?
    let channel: String
    let posters: String?
    let posterFormat: PosterFormat
    let force: Bool

    init(_ args: ParsedArgs) throws {
        try args.noPositionals()
        posters = args.value("--posters")
        if let f = args.value("--poster-format") {
            guard let format = PosterFormat(rawValue: f) else {
                throw ShopError.usage(
                    "bad-argument", en: "--poster-format is svg or png, got '\(f)'", zh: "--poster-format 应为 svg 或 png，收到 '\(f)'")
            }
            guard posters != nil else {
                throw ShopError.usage("bad-argument", en: "--poster-format needs --posters DIR", zh: "--poster-format 需要 --posters 目录")
            }
            posterFormat = format
        } else {
            posterFormat = .svg
        }
        force = args.flag("--force")
        if let d = args.value("--date") {
            guard let parsed = CivilDate.parse(d) else {
                throw ShopError.usage(
                    "bad-argument", en: "--date expects YYYY-MM-DD (years 2000–2099), got '\(d)'",
                    zh: "--date 应为 YYYY-MM-DD（年份 2000–2099），收到 '\(d)'")
            }
            date = parsed
        } else {
            date = nil
        }
        count = try args.int("--count", range: 1...24)
        channel = args.value("--channel") ?? "wechat-moments"
    }

    func run(_ ctx: Context) throws -> Output {
        let store = try ctx.store(.write)
        let rules = store.rules
        let zone = rules.zone
        let shop = try ctx.shop(.write)
        try ShareRules(rules).checkChannel(channel)
        let day = date ?? zone.civilDate(of: ctx.now)
        let hours = Array(rules.promoHours.hours.prefix(count ?? 24))
        let dayKey = day.description
        let renderer = posters != nil && posterFormat == .png ? try PosterRenderer.locate(env: ctx.env) : nil
        let logo = try posters.flatMap { _ in try PosterPictures.logo(of: shop) }
        let made = try posters.map { try Self.folder($0) } ?? []
        var written = false
        defer { if !written { for d in made { rmdir(d) } } }
        let placed = PlacedFiles()
        let slots = try ShareLinkCommand.removing(placed) {
            try store.write { () throws -> [(Int, ShareRecord, Product)] in
                let existing = try store.shares.plan(shopID: shop.shopID, date: dayKey, channel: channel)
                var existingProducts: [Int: String] = [:]
                for (h, r) in existing { if let p = r.fields.productID { existingProducts[h] = p } }
                let missing = hours.contains { existing[$0] == nil }
                var planned = existingProducts.map { (hour: $0.key, productID: $0.value) }
                if missing {
                    let ranked = try store.picks.ranked(
                        shopID: shop.shopID, picked: rules.shareRequiresPick ? true : nil,
                        now: zone.instant(of: day, hour: hours.first ?? 0),
                        limit: 0
                    ).map(\.product.productID)
                    let rested = try store.shares.plannedProducts(
                        shopID: shop.shopID, dates: (1...3).map { day.adding(days: -$0).description })
                    planned = DailyPlan.plan(hours: hours, ranked: ranked, rested: rested, existing: existingProducts)
                }
                var out: [(Int, ShareRecord, Product)] = []
                for (h, pid) in planned where hours.contains(h) {
                    guard let product = try store.catalog.product(pid) else { continue }
                    let rec =
                        try existing[h]
                        ?? store.shares.issue(
                            ShareFields(shopID: shop.shopID, productID: pid, channel: channel, campaign: nil, createdAt: ctx.now),
                            secret: store.secret, planDate: dayKey, planHour: h)
                    out.append((h, rec, product))
                }
                out.sort { $0.0 < $1.0 }
                // The posters are written inside the transaction, last: if one cannot be written,
                // the plan is not recorded. All are written whole before any is put in place.
                if let dir = posters {
                    var files: [OutputFile] = []
                    defer { for f in files { f.discard() } }
                    for (h, rec, p) in out {
                        let file = try OutputFile(
                            path: dir + "/" + pad(h) + "." + posterFormat.rawValue, force: force, storePath: ctx.storePath)
                        files.append(file)
                        let url = ShareRules(rules).url(token: rec.token)
                        let reason = try store.picks.reason(shopID: shop.shopID, productID: p.productID)
                        let svg = Poster.svg(
                            PosterContent(
                                shopName: shop.displayName, title: p.title, price: p.price, text: reason,
                                image: try PosterPictures.image(of: p), logo: logo, url: url,
                                qr: try ShopError.mappingCodecErrors { try QRCode(encoding: url) }))
                        if let renderer { try file.write(try renderer.png(svg: svg)) } else { try file.write(svg) }
                    }
                    for f in files {
                        try f.commit()
                        placed.paths.append(f.path)
                    }
                }
                return out
            }
        }
        written = true
        var json: [JSON] = []
        var t = Table(
            [ctx.t("SLOT", "时段"), "ID", ctx.t("TITLE", "商品"), ctx.t("PRICE", "价格"), ctx.t("LINK", "链接")],
            maxWidth: [nil, nil, 30, nil, nil])
        for (h, rec, p) in slots {
            let url = ShareRules(rules).url(token: rec.token)
            let reason = try store.picks.reason(shopID: shop.shopID, productID: p.productID)
            let text = ShareCopy.text(
                channel: channel, title: p.title, price: p.price, reason: reason, shopName: shop.displayName, url: url)
            let slot = zone.instant(of: day, hour: h).rfc3339(in: zone)
            json.append(
                .object([
                    ("slot", .string(slot)), ("product_id", .string(p.productID)), ("title", .string(p.title)), ("url", .string(url)),
                    ("text", .string(text)),
                ]))
            t.add(["\(pad(h)):00", p.productID, p.title, p.price.formatted, url])
        }
        let human =
            slots.isEmpty
            ? ctx.t(
                "Nothing to plan: pick available products first (shopctl pick-products suggest).",
                "没有可安排的商品：请先选择可售商品（shopctl pick-products suggest）。")
            : ctx.t("Plan for \(dayKey) on \(channel):", "\(dayKey) \(channel) 分享计划：") + "\n" + t.render(style: Style(enabled: ctx.colour))
        return Output(json: .array(json), human: human)
    }

    func pad(_ h: Int) -> String { h < 10 ? "0\(h)" : "\(h)" }

    /// Makes sure `dir` is a folder, creating it (mode 0700, with its parents) when missing.
    /// - Returns: the folders created, deepest first (removed again if nothing is written).
    static func folder(_ dir: String) throws -> [String] {
        guard !dir.isEmpty else {
            throw ShopError.usage("bad-argument", en: "--posters needs a folder", zh: "--posters 需要一个目录")
        }
        var st = stat()
        if stat(dir, &st) == 0 {
            guard (st.st_mode & S_IFMT) == S_IFDIR else {
                throw ShopError.usage(
                    "bad-argument", en: "--posters \(dir) is not a folder", zh: "--posters \(dir) 不是目录")
            }
            return []
        }
        var created: [String] = []
        var d = dir
        while !d.isEmpty && d != "/" && d != "." && stat(d, &st) != 0 {
            created.append(d)
            d = (d as NSString).deletingLastPathComponent
        }
        do {
            try FileManager.default.createDirectory(
                atPath: dir, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        } catch {
            throw ShopError.usage(
                "bad-argument", en: "cannot create the folder \(dir) for --posters", zh: "无法为 --posters 创建目录 \(dir)")
        }
        chmod(dir, 0o700)
        return created
    }
}

struct ShareListCommand: Command {
    static let path = ["share-link", "list"]
    static let summary = Message(en: "the share log with orders, GMV and commission per link", zh: "分享记录（每个链接的订单、成交额和佣金）")
    static let usage = ["share-link list [--limit N] [--csv|--excel]"]
    static let options: [OptionSpec] =
        [.value("--limit", "N", "the latest N links (default 50, 0 = all)", "最近 N 条（默认 50，0 表示全部）")] + CSVFormat.options
    static let examples = ["shopctl share-link list", "shopctl share-link list --limit 0 --json | jq 'map(.gmv_fen) | add'"]

    let limit: Int
    let csv: CSVFormat?

    init(_ args: ParsedArgs) throws {
        try args.noPositionals()
        limit = try args.int("--limit", range: 0...10_000_000) ?? 50
        csv = CSVFormat(args)
    }

    func run(_ ctx: Context) throws -> Output {
        let store = try ctx.store(.read)
        let shop = try ctx.shop(.read)
        let zone = store.rules.zone
        let rows = try store.shares.list(shopID: shop.shopID, limit: limit)
        let json = JSON.array(
            rows.map { r in
                .object([
                    ("token", .string(r.token)), ("product_id", r.fields.productID.map { .string($0) } ?? .null),
                    ("channel", .string(r.fields.channel)), ("campaign", r.fields.campaign.map { .string($0) } ?? .null),
                    ("created_at", .string(r.fields.createdAt.rfc3339(in: zone))),
                    ("orders", .int(r.orders)), ("gmv_fen", .int(r.gmv.fen)), ("commission_fen", .int(r.commission.fen)),
                ])
            })
        var t = Table(
            [
                ctx.t("TOKEN", "口令"), ctx.t("PRODUCT", "商品"), ctx.t("CHANNEL", "渠道"), ctx.t("CAMPAIGN", "活动"), ctx.t("CREATED", "生成时间"),
                ctx.t("ORDERS", "订单"), ctx.t("GMV", "成交额"), ctx.t("COMMISSION", "佣金"),
            ],
            align: [.left, .left, .left, .left, .left, .right, .right, .right])
        for r in rows {
            t.add([
                r.token, r.fields.productID ?? ctx.t("(storefront)", "（整店）"), r.fields.channel, r.fields.campaign ?? "-",
                r.fields.createdAt.rfc3339(in: zone),
                String(r.orders), r.gmv.formatted, r.commission.formatted,
            ])
        }
        return Output(
            json: json, human: rows.isEmpty ? ctx.t("No link shared yet.", "还没有分享过链接。") : t.render(style: Style(enabled: ctx.colour))
        ).csv(csv)
    }
}
