import Codecs
import Foundation
import ShopKit
import ShopStore

struct CatalogImportCommand: Command {
    static let path = ["catalog", "import"]
    static let summary = Message(en: "import supplier and product feeds (CSV or JSONL)", zh: "导入供应商和商品数据（CSV 或 JSONL）")
    static let usage = ["catalog import [--suppliers FILE] [--products FILE] [--format csv|jsonl] [--strict]"]
    static let options: [OptionSpec] = [
        .value("--suppliers", "FILE", "supplier feed (.csv, .jsonl/.ndjson, or - for stdin)", "供应商数据文件（.csv、.jsonl/.ndjson，或 - 表示标准输入）"),
        .value("--products", "FILE", "product feed (.csv, .jsonl/.ndjson, or - for stdin)", "商品数据文件（.csv、.jsonl/.ndjson，或 - 表示标准输入）"),
        .value("--format", "csv|jsonl", "format when the extension does not tell (required for -)", "无法从扩展名判断时指定格式（- 时必填）"),
        .flag("--strict", "store nothing and exit 1 if any row is rejected", "有任何一行被拒绝时不导入任何数据并以 1 退出"),
    ]
    static let discussion: Message? = Message(
        en: """
            Suppliers are imported first, then products, in one transaction. A row that breaks a rule is rejected \
            and reported (line, id, code, message) while the others are stored. A file that cannot be read as a whole \
            (not UTF-8, broken quoting, a missing column) exits 4 and stores nothing. Columns: see docs/formats.md.
            """,
        zh: """
            先导入供应商，再导入商品，全部在一个事务中完成。违反规则的行会被拒绝并报告（行号、ID、代码、原因），其余行照常保存。\
            整个文件无法读取（非 UTF-8、引号不配对、缺少列）时以 4 退出且不保存任何数据。列说明见 docs/formats.md。
            """)
    static let examples = [
        "shopctl catalog import --suppliers examples/catalog/suppliers.csv --products examples/catalog/products.csv",
        "shopctl catalog import --products feed.jsonl --strict --json",
        "iconv -f GBK -t UTF-8 products.csv | shopctl catalog import --products - --format csv",
    ]

    let suppliers: String?
    let products: String?
    let format: String?
    let strict: Bool

    init(_ args: ParsedArgs) throws {
        try args.noPositionals()
        suppliers = args.value("--suppliers")
        products = args.value("--products")
        format = try args.choice("--format", ["csv", "jsonl"])
        strict = args.flag("--strict")
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
        var supplierReader = try suppliers.map {
            try ImportInput.reader(path: $0, format: format, required: CatalogFeed.supplierColumns)
        }
        var productReader = try products.map {
            try ImportInput.reader(path: $0, format: format, required: CatalogFeed.productColumns)
        }
        let store = try ctx.store()
        try store.prepareForBulkWrite()
        let importer = CatalogImporter(store: store)
        let progress = Progress(ctx, Message(en: "catalog rows imported:", zh: "已导入目录行数："))
        defer { progress.finish() }
        return try ImportRendering.run(ctx, strict: strict, store: store) {
            var report = ImportReport()
            // Suppliers are stored while the first products are read and parsed on the other thread.
            func importSuppliers(_ report: inout ImportReport) throws {
                guard var r = supplierReader else { return }
                try ImportLoop.run(&r, idColumn: "supplier_id", report: &report, progress: progress.update, handle: importer.supplier)
                supplierReader = r
            }
            if var r = productReader {
                let preparer = ProductPreparer()
                try ImportLoop.runPipelined(
                    &r, idColumn: "product_id", report: &report, progress: progress.update,
                    parse: { row throws(RowProblem) in preparer.prepare(try CatalogFeed.product(row)) }, meanwhile: importSuppliers,
                    apply: importer.apply, flush: importer.flush)
                productReader = r
            } else {
                try importSuppliers(&report)
            }
            try importer.finish(report: &report)
            return report
        }
    }
}

/// Shared rendering and `--strict` handling of every import.
enum ImportRendering {
    static func run(_ ctx: Context, strict: Bool, store: Store, _ body: () throws -> ImportReport) throws -> Output {
        do {
            let report = try store.write { () throws -> ImportReport in
                let r = try body()
                if strict && !r.rejected.isEmpty { throw StrictImportRefused(report: r) }
                return r
            }
            return Output(json: report.json(chinese: ctx.chinese), human: human(report, ctx))
        } catch let refused as StrictImportRefused {
            var report = refused.report
            report.accepted = 0
            report.unchanged = 0
            let n = report.rejected.count
            let e = ShopError.rule(
                "strict", en: "--strict: \(n) row(s) rejected, nothing was stored", zh: "--strict：\(n) 行被拒绝，未保存任何数据")
            return Output(json: report.json(chinese: ctx.chinese), human: human(report, ctx), failure: e)
        }
    }

    static func human(_ r: ImportReport, _ ctx: Context) -> String {
        var lines = [
            ctx.t(
                "accepted \(r.accepted) row(s)\(r.unchanged > 0 ? " (\(r.unchanged) unchanged)" : ""), rejected \(r.rejected.count)",
                "接受 \(r.accepted) 行\(r.unchanged > 0 ? "（其中 \(r.unchanged) 行无变化）" : "")，拒绝 \(r.rejected.count) 行")
        ]
        if !r.rejected.isEmpty {
            var t = Table([ctx.t("LINE", "行"), "ID", ctx.t("CODE", "代码"), ctx.t("REASON", "原因")], align: [.right, .left, .left, .left])
            for x in r.rejected.prefix(20) {
                // The LINE column already says where: drop the message's own "line N: " lead.
                let msg = x.message.text(chinese: ctx.chinese)
                let lead = ctx.chinese ? "第 \(x.line) 行：" : "line \(x.line): "
                t.add([String(x.line), x.id ?? "-", x.code, msg.hasPrefix(lead) ? String(msg.dropFirst(lead.count)) : msg])
            }
            lines.append(t.render(style: Style(enabled: ctx.colour)))
            if r.rejected.count > 20 {
                lines.append(
                    ctx.t("… and \(r.rejected.count - 20) more (all of them with --json)", "……另有 \(r.rejected.count - 20) 行（用 --json 查看全部）")
                )
            }
        }
        return lines.joined(separator: "\n")
    }
}

struct CatalogListCommand: Command {
    static let path = ["catalog", "list"]
    static let summary = Message(en: "browse the catalog with price and commission", zh: "浏览商品目录及佣金")
    static let usage = ["catalog list [--category C] [--search TEXT] [--sort commission|price|rate|sales] [--limit N]"]
    static let options: [OptionSpec] = [
        .value("--category", "C", "only this category (e.g. 美妆个护)", "只看该类目（如 美妆个护）"),
        .value("--search", "TEXT", "substring of title or brand, Chinese included", "标题或品牌包含的文字（支持中文）"),
        .value(
            "--sort", "KEY", "commission (per unit, default), price (low first), rate, sales (this shop's units)",
            "commission（单件佣金，默认）、price（低价优先）、rate、sales（本店销量）"),
        .value("--limit", "N", "at most N rows (default 50, 0 = all)", "最多 N 行（默认 50，0 表示全部）"),
    ]
    static let examples = [
        "shopctl catalog list --category 母婴玩具 --sort rate --limit 10",
        "shopctl catalog list --search 面膜",
        "shopctl catalog list --sort sales --json | jq '.[0]'",
    ]

    let query: CatalogQuery

    init(_ args: ParsedArgs) throws {
        try args.noPositionals()
        let sort = try args.choice("--sort", CatalogQuery.Sort.allCases.map(\.rawValue)).flatMap(CatalogQuery.Sort.init) ?? .commission
        query = CatalogQuery(
            category: args.value("--category"), search: args.value("--search"), sort: sort,
            limit: try args.int("--limit", range: 0...1_000_000) ?? 50)
    }

    func run(_ ctx: Context) throws -> Output {
        let store = try ctx.store()
        let shopID = try? ctx.shop().shopID
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
        return Output(json: json, human: human)
    }

    static func json(_ p: Product, available: Bool) -> JSON {
        .object([
            ("product_id", .string(p.productID)), ("title", .string(p.title)), ("brand", .string(p.brand)),
            ("category", .string(p.category)), ("price_fen", .int(p.price.fen)), ("commission_rate_bp", .int(p.commissionRate.bp)),
            ("commission_fen", .int(p.commissionPerUnit.fen)), ("stock", .int(p.stock)), ("available", .bool(available)),
        ])
    }
}
