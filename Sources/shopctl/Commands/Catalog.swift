import Codecs
import Foundation
import ShopKit
import ShopStore

struct CatalogImportCommand: Command {
    static let path = ["catalog", "import"]
    static let summary = Message(en: "import supplier and product feeds (CSV or JSONL)", zh: "导入供应商和商品数据（CSV 或 JSONL）")
    static let usage = [
        "catalog import [--suppliers FILE] [--products FILE] [--format csv|jsonl|xlsx] [--sheet NAME] [--encoding auto|utf-8|gb18030|utf-16] [--map FILE.json] [--strict] [--dry-run] [--rejects FILE] [--force]",
        "catalog import --suppliers FILE --products FILE [--supplier-rejects FILE] [--product-rejects FILE] [--force] …",
    ]
    static let options: [OptionSpec] =
        [
            .value(
                "--suppliers", "FILE", "supplier feed (.csv, .jsonl/.ndjson, .xlsx, or - for stdin)",
                "供应商数据文件（.csv、.jsonl/.ndjson、.xlsx，或 - 表示标准输入）",
                kind: .file),
            .value(
                "--products", "FILE", "product feed (.csv, .jsonl/.ndjson, .xlsx, or - for stdin)",
                "商品数据文件（.csv、.jsonl/.ndjson、.xlsx，或 - 表示标准输入）",
                kind: .file),
        ] + ImportInput.readingOptions() + [
            .flag("--strict", "store nothing and exit 1 if any row is rejected", "有任何一行被拒绝时不导入任何数据并以 1 退出"),
            .value(
                "--rejects", "FILE", "the rejected rows of the one feed given, as CSV (its columns, then line, code, message)",
                "所给的唯一数据文件中被拒绝的行，写为 CSV（原有的列，再加 line、code、message）", kind: .file),
            .value("--supplier-rejects", "FILE", "the rejected supplier rows, as CSV", "被拒绝的供应商行，写为 CSV", kind: .file),
            .value("--product-rejects", "FILE", "the rejected product rows, as CSV", "被拒绝的商品行，写为 CSV"),
            .flag("--force", "replace a rejects file that exists", "覆盖已存在的被拒绝行文件"),
            ImportRendering.dryRunOption,
        ]
    static let discussion: Message? = Message(
        en: """
            Suppliers are imported first, then products, in one transaction. A row that breaks a rule is rejected \
            and reported (line, id, code, message) while the others are stored. A file that cannot be read as a whole \
            (not UTF-8, broken quoting, a missing column) exits 4 and stores nothing. Columns: see docs/formats.md. \
            Supplier and product rows have different columns, so each feed has its own rejects file: --rejects when one \
            feed is given, else --supplier-rejects and --product-rejects. \
            --dry-run runs the whole import and rolls it back: the same report and exit code, nothing stored \
            (the store must exist and be up to date; rejects files are still written).
            """,
        zh: """
            先导入供应商，再导入商品，全部在一个事务中完成。违反规则的行会被拒绝并报告（行号、ID、代码、原因），其余行照常保存。\
            整个文件无法读取（非 UTF-8、引号不配对、缺少列）时以 4 退出且不保存任何数据。列说明见 docs/formats.md。\
            供应商行与商品行的列不同，所以每个数据文件各有一个被拒绝行文件：只给一个数据文件时用 --rejects，否则用 --supplier-rejects 和 --product-rejects。\
            --dry-run 完整执行导入后回滚：报告与退出码相同，但不保存任何数据（数据库必须已存在且为最新版本；被拒绝行文件照常写出）。
            """)
    static let examples = [
        "shopctl catalog import --suppliers examples/catalog/suppliers.csv --products examples/catalog/products.csv",
        "shopctl catalog import --products feed.jsonl --strict --json",
        "iconv -f GBK -t UTF-8 products.csv | shopctl catalog import --products - --format csv",
    ]

    let suppliers: String?
    let products: String?
    let format: String?
    let map: String?
    let encoding: InputEncoding
    let sheet: String?
    let strict: Bool
    /// Where the rejected supplier and product rows go, with the option that named each file.
    let supplierRejects: (option: String, path: String)?
    let productRejects: (option: String, path: String)?
    let force: Bool
    let dryRun: Bool

    init(_ args: ParsedArgs) throws {
        try args.noPositionals()
        dryRun = args.flag("--dry-run")
        suppliers = args.value("--suppliers")
        products = args.value("--products")
        format = try ImportInput.format(args)
        sheet = args.value("--sheet")
        map = args.value("--map")
        encoding = try ImportInput.encoding(args)
        strict = args.flag("--strict")
        force = args.flag("--force")
        var sr = args.value("--supplier-rejects").map { (option: "--supplier-rejects", path: $0) }
        var pr = args.value("--product-rejects").map { (option: "--product-rejects", path: $0) }
        if let r = args.value("--rejects") {
            guard (suppliers == nil) != (products == nil), sr == nil, pr == nil else {
                throw ShopError.usage(
                    "bad-argument",
                    en:
                        "--rejects FILE is for an import of one feed; with --suppliers and --products use --supplier-rejects FILE and --product-rejects FILE",
                    zh: "--rejects 文件 只用于导入单个数据文件；同时有 --suppliers 和 --products 时请用 --supplier-rejects 文件 和 --product-rejects 文件")
            }
            if suppliers != nil { sr = (option: "--rejects", path: r) } else { pr = (option: "--rejects", path: r) }
        }
        if sr != nil && suppliers == nil || pr != nil && products == nil {
            throw ShopError.usage(
                "bad-argument", en: "--supplier-rejects needs --suppliers, and --product-rejects needs --products",
                zh: "--supplier-rejects 需要 --suppliers，--product-rejects 需要 --products")
        }
        supplierRejects = sr
        productRejects = pr
        if suppliers == nil && products == nil {
            throw ShopError.usage(
                "missing-argument", en: "'catalog import' needs --suppliers FILE and/or --products FILE",
                zh: "'catalog import' 需要 --suppliers 文件 和/或 --products 文件")
        }
        if suppliers == "-" && products == "-" {
            throw ShopError.usage("bad-argument", en: "only one feed can come from stdin", zh: "只能有一个文件来自标准输入")
        }
    }

    func run(_ ctx: Context) throws -> Output {
        // Headers are read (and missing columns refused) before anything is written.
        let map = try ImportInput.map(map, feed: .catalog)
        var supplierReader = try suppliers.map {
            try ImportInput.reader(
                path: $0, format: format, encoding: encoding, required: CatalogFeed.supplierColumns, map: map, sheet: sheet)
        }
        var productReader = try products.map {
            try ImportInput.reader(
                path: $0, format: format, encoding: encoding, required: CatalogFeed.productColumns, map: map, sheet: sheet)
        }
        let named = [supplierRejects, productRejects].compactMap { $0 }
        try RejectsFile.distinct(named)
        let inputs = [suppliers, products].compactMap { $0 }
        var rejects: [RejectsFile] = []
        for (section, request) in [supplierRejects, productRejects].enumerated() {
            guard let request else { continue }
            rejects.append(
                try RejectsFile(
                    option: request.option, path: request.path, section: section, force: force, inputs: inputs,
                    storePath: ctx.storePath))
        }
        let sections: [RejectSpool.Columns?] = [
            supplierRejects == nil ? nil : supplierReader.map { RejectsFile.columns($0, keys: CatalogFeed.supplierColumns) },
            productRejects == nil
                ? nil
                : productReader.map { RejectsFile.columns($0, keys: CatalogFeed.productColumns + CatalogFeed.productOptionalColumns) },
        ]
        let store = try ctx.store(dryRun ? .trial : .write)
        let rules = (map ?? ImportMap()).rules(feed: .catalog, zone: store.rules.zone)
        supplierReader?.rules = rules
        productReader?.rules = rules
        try store.prepareForBulkWrite()
        let importer = CatalogImporter(store: store)
        let progress = Progress(ctx, Message(en: "catalog rows imported:", zh: "已导入目录行数："))
        defer { progress.finish() }
        return try ImportRendering.run(ctx, strict: strict, store: store, sections: sections, rejects: rejects) {
            report, spool in
            // Suppliers are stored while the first products are read and parsed on the other thread.
            func importSuppliers(_ report: inout ImportReport) throws {
                spool.select(section: 0)
                defer { spool.select(section: 1) }
                guard var r = supplierReader else { return }
                try ImportLoop.run(&r, idColumn: "supplier_id", report: &report, progress: progress.update, handle: importer.supplier)
                supplierReader = r
            }
            spool.select(section: 1)
            if var r = productReader {
                let preparer = ProductPreparer()
                // An `image` is a file relative to the feed's folder (the current folder for stdin).
                let feedFolder = products == "-" || products == nil ? "." : ((products! as NSString).deletingLastPathComponent)
                try importer.importProducts(
                    &r, report: &report, progress: progress.update,
                    parse: { row throws(RowProblem) in
                        var p = try CatalogFeed.product(row)
                        if let image = p.image {
                            p.image = try PosterImages.resolve(image, feedFolder: feedFolder.isEmpty ? "." : feedFolder)
                        }
                        return preparer.prepare(p)
                    }, meanwhile: importSuppliers)
                productReader = r
            } else {
                try importSuppliers(&report)
            }
            try importer.finish(report: &report)
        }
    }
}

/// Shared rendering, `--strict` handling and `--rejects` files of every import.
///
/// Rejected rows go to a `RejectSpool` (on disk), so memory does not grow with their number:
/// the human form shows the first 20 and the counts by code, `--json` streams every row from
/// the spool, and each rejects file is written from it inside the transaction (a failed write
/// stores nothing) and put in place after it, `--strict` included. An import that fails as a
/// whole leaves no rejects file.
///
/// A dry run (`--dry-run`, a store opened `.trial`) runs exactly the same import, and its
/// transaction is rolled back instead of committed (`Store.write`): the same report, `--strict`
/// and exit codes included, with `"dry_run":true` in the JSON and a line saying nothing was
/// stored in the human form. Its rejects files are written: they are a report, not the store.
enum ImportRendering {
    /// `--dry-run`, shared by every import.
    static let dryRunOption: OptionSpec = .flag(
        "--dry-run", "report exactly what the import would do, and store nothing", "报告导入将做的一切，但不保存任何数据")

    static func run(
        _ ctx: Context, strict: Bool, store: Store, sections: [RejectSpool.Columns?], rejects: [RejectsFile],
        _ body: (inout ImportReport, RejectSpool) throws -> Void
    ) throws -> Output {
        let dryRun = store.access == .trial
        let spool = try RejectSpool(chinese: ctx.chinese, sections: sections, json: ctx.json)
        defer { for f in rejects { f.file.discard() } }
        func commitFiles() throws { for f in rejects { try f.file.commit() } }
        do {
            let report = try store.write { () throws -> ImportReport in
                var r = ImportReport(sink: spool)
                try body(&r, spool)
                try spool.finish()
                for f in rejects { try spool.writeCSV(section: f.section) { try f.file.write($0) } }
                if strict && r.rejectedCount > 0 { throw StrictImportRefused(report: r) }
                return r
            }
            try commitFiles()
            return output(report, spool, ctx, rejects, dryRun: dryRun)
        } catch let refused as StrictImportRefused {
            try commitFiles()
            var report = refused.report
            report.accepted = 0
            report.unchanged = 0
            let n = report.rejectedCount
            let e = ShopError.rule(
                "strict", en: "--strict: \(n) row(s) rejected, nothing was stored", zh: "--strict：\(n) 行被拒绝，未保存任何数据")
            var out = output(report, spool, ctx, rejects, dryRun: dryRun)
            out.failure = e
            return out
        }
    }

    private static func output(
        _ report: ImportReport, _ spool: RejectSpool, _ ctx: Context, _ rejects: [RejectsFile], dryRun: Bool
    ) -> Output {
        var json = report.json(chinese: ctx.chinese)
        if dryRun, case .object(let fields) = json { json = .object([("dry_run", .bool(true))] + fields) }
        var text = human(report, ctx, rejects: rejects.map(\.path))
        if dryRun {
            text += ctx.t(
                "\ndry run: nothing was stored (run the same command without --dry-run to import)",
                "\n试运行：未保存任何数据（去掉 --dry-run 再运行同一命令即可导入）")
        }
        var out = Output(json: json, human: text)
        let accepted = report.accepted
        guard ctx.json else { return out }
        out.writeJSON = {
            try spool.writeJSON(accepted: accepted, dryRun: dryRun) { Terminal.write(bytes: $0, to: 1) }
            Terminal.write(bytes: [10], to: 1)
        }
        return out
    }

    static func human(_ r: ImportReport, _ ctx: Context, rejects: [String] = []) -> String {
        let count = r.rejectedCount
        var lines = [
            ctx.t(
                "accepted \(r.accepted) row(s)\(r.unchanged > 0 ? " (\(r.unchanged) unchanged)" : ""), rejected \(count)",
                "接受 \(r.accepted) 行\(r.unchanged > 0 ? "（其中 \(r.unchanged) 行无变化）" : "")，拒绝 \(count) 行")
        ]
        if count > 0 {
            var t = Table([ctx.t("LINE", "行"), "ID", ctx.t("CODE", "代码"), ctx.t("REASON", "原因")], align: [.right, .left, .left, .left])
            let shown = r.firstRejected
            for x in shown {
                // The LINE column already says where: drop the message's own "line N: " lead.
                let msg = x.message.text(chinese: ctx.chinese)
                let lead = ctx.chinese ? "第 \(x.line) 行：" : "line \(x.line): "
                t.add([String(x.line), x.id ?? "-", x.code, msg.hasPrefix(lead) ? String(msg.dropFirst(lead.count)) : msg])
            }
            lines.append(t.render(style: Style(enabled: ctx.colour)))
            if count > shown.count {
                let more = count - shown.count
                lines.append(
                    ctx.t(
                        "… and \(more) more (all of them with --json or --rejects FILE)",
                        "……另有 \(more) 行（用 --json 或 --rejects 文件 查看全部）"))
            }
            let byCode = r.rejectedByCode.map { "\($0.code) \($0.count)" }
            lines.append(
                ctx.t("rejected by code: " + byCode.joined(separator: ", "), "按代码统计拒绝行数：" + byCode.joined(separator: "，")))
        }
        for path in rejects {
            lines.append(ctx.t("rejected rows written to \(path)", "被拒绝的行已写入 \(path)"))
        }
        return lines.joined(separator: "\n")
    }
}

struct CatalogListCommand: Command {
    static let path = ["catalog", "list"]
    static let summary = Message(en: "browse the catalog with price and commission", zh: "浏览商品目录及佣金")
    static let usage = ["catalog list [--category C] [--search TEXT] [--sort commission|price|rate|sales] [--limit N] [--csv|--excel]"]
    static let options: [OptionSpec] =
        [
            .value("--category", "C", "only this category (e.g. 美妆个护)", "只看该类目（如 美妆个护）"),
            .value("--search", "TEXT", "substring of title or brand, Chinese included", "标题或品牌包含的文字（支持中文）"),
            .value(
                "--sort", "KEY", "commission (per unit, default), price (low first), rate, sales (this shop's units)",
                "commission（单件佣金，默认）、price（低价优先）、rate、sales（本店销量）", kind: .choice(CatalogQuery.Sort.allCases.map(\.rawValue))),
            .value("--limit", "N", "at most N rows (default 50, 0 = all)", "最多 N 行（默认 50，0 表示全部）"),
        ] + CSVFormat.options
    static let examples = [
        "shopctl catalog list --category 母婴玩具 --sort rate --limit 10",
        "shopctl catalog list --search 面膜",
        "shopctl catalog list --sort sales --json | jq '.[0]'",
    ]

    let query: CatalogQuery
    let csv: CSVFormat?

    init(_ args: ParsedArgs) throws {
        try args.noPositionals()
        csv = CSVFormat(args)
        let sort = try args.choice("--sort", CatalogQuery.Sort.allCases.map(\.rawValue)).flatMap(CatalogQuery.Sort.init) ?? .commission
        query = CatalogQuery(
            category: args.value("--category"), search: args.value("--search"), sort: sort,
            limit: try args.int("--limit", range: 0...1_000_000) ?? 50)
    }

    func run(_ ctx: Context) throws -> Output {
        let store = try ctx.store(.read)
        let shopID = try? ctx.shop(.read).shopID
        let rows = try store.catalog.list(query, shopID: shopID, now: ctx.now)
        let json = JSON.array(rows.map { Self.json($0.product, available: $0.available) })
        var t = Table(
            [
                "ID", ctx.t("TITLE", "商品"), ctx.t("BRAND", "品牌"), ctx.t("CATEGORY", "类目"), ctx.t("PRICE", "价格"),
                ctx.t("RATE", "佣金率"), ctx.t("COMMISSION", "单件佣金"), ctx.t("STOCK", "库存"), ctx.t("SALES", "销量"),
                ctx.t("AVAILABLE", "可售"),
            ], align: [.left, .left, .left, .left, .right, .right, .right, .right, .right, .left],
            maxWidth: [16, 30, 12, nil, nil, nil, nil, nil, nil, nil])
        for r in rows {
            let p = r.product
            t.add([
                p.productID, p.title, p.brand, p.category, p.price.formatted, p.commissionRate.percentText,
                p.commissionPerUnit.formatted, String(p.stock), String(r.sales), r.available ? "✓" : "✗",
            ])
        }
        let human =
            rows.isEmpty
            ? ctx.t("No product matches.", "没有符合条件的商品。")
            : t.render(style: Style(enabled: ctx.colour))
        return Output(json: json, human: human).csv(csv)
    }

    static func json(_ p: Product, available: Bool) -> JSON {
        .object([
            ("product_id", .string(p.productID)), ("title", .string(p.title)), ("brand", .string(p.brand)),
            ("category", .string(p.category)), ("price_fen", .int(p.price.fen)), ("commission_rate_bp", .int(p.commissionRate.bp)),
            ("commission_fen", .int(p.commissionPerUnit.fen)), ("stock", .int(p.stock)), ("available", .bool(available)),
        ])
    }
}
