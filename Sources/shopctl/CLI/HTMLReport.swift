import Foundation
import ShopKit
import ShopStore

/// `earnings report --html FILE`: one self-contained page (SPEC §9) — inline CSS and inline SVG,
/// no script, nothing fetched — with the earnings summary and one chart per grouping.
///
/// Data first: every figure on the page comes from the ledger (`Ledger.summary`, `Ledger.report`,
/// `Ledger.reportByOrder`, `EarningsReportCommand.everyDay`) and is shown as `Money.formatted`;
/// the renderer only scales bars. Every text from the store (shop name, product titles,
/// categories, channels, ids) is HTML-escaped and has its controls and invisible characters
/// written out (`visibleControls`, `visibleInvisibles`) as in a terminal.
///
///     let page = HTMLReport(...).render()   // a String, written through OutputFile
struct HTMLReport {
    struct Chart {
        var grouping: ReportGrouping
        var heading: String
        var rows: [ReportRow]
        /// A second line per key (a product's title), when there is one.
        var subtitles: [String: String] = [:]
    }

    var chinese: Bool
    var title: String
    var subtitle: String
    var summary: [(String, String)]
    var charts: [Chart]
    var footer: String

    func t(_ en: String, _ zh: String) -> String { chinese ? zh : en }

    /// Text for HTML character data and attribute values: markup characters escaped, controls
    /// and invisible characters written out (`<U+202E>`), characters HTML forbids left out.
    static func escape(_ s: String) -> String { Poster.escape(visibleInvisibles(visibleControls(s))) }

    /// `s` cut to at most `columns` display columns, with `…` when cut.
    static func clip(_ s: String, _ columns: Int) -> String {
        guard displayWidth(s) > columns else { return s }
        var out = ""
        var w = 0
        for c in s {
            let cw = displayWidth(c)
            if w + cw > columns - 1 { break }
            out.append(c)
            w += cw
        }
        return out + "…"
    }

    static let css = """
        :root{color-scheme:light;--ink:#1f2328;--dim:#656d76;--line:#d8dee4;--bar:#e4572e;--bar2:#f3a683;--bg:#fff;--card:#f6f8fa}
        *{box-sizing:border-box}
        body{margin:0;padding:16px;background:var(--bg);color:var(--ink);font:15px/1.45 -apple-system,'PingFang SC','Noto Sans CJK SC','Source Han Sans SC','Microsoft YaHei',system-ui,sans-serif;-webkit-text-size-adjust:100%}
        main{max-width:720px;margin:0 auto}
        h1{font-size:20px;margin:0 0 2px;overflow-wrap:anywhere}
        h2{font-size:16px;margin:24px 0 8px;padding-top:12px;border-top:1px solid var(--line)}
        p.sub{margin:0 0 12px;color:var(--dim);font-size:13px}
        dl.summary{display:grid;grid-template-columns:1fr auto;gap:4px 12px;margin:0;padding:12px;background:var(--card);border-radius:8px}
        dl.summary dt{color:var(--dim);overflow-wrap:anywhere}
        dl.summary dd{margin:0;text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
        dl.summary dd.big{font-weight:700;font-size:17px}
        dl.summary dt.level,dl.summary dd.level{grid-column:1/-1;text-align:left;white-space:normal}
        svg{display:block;width:100%;max-width:520px;height:auto}
        svg text{font-family:inherit;fill:var(--ink)}
        svg .dim{fill:var(--dim)}
        svg .bar{fill:var(--bar)}
        svg .zero{fill:var(--line)}
        p.none{color:var(--dim);margin:0}
        footer{margin-top:24px;color:var(--dim);font-size:12px}
        """

    func render() -> String {
        let e = Self.escape
        var html = [
            "<!DOCTYPE html>",
            "<html lang=\"\(chinese ? "zh-CN" : "en")\">",
            "<head>",
            "<meta charset=\"utf-8\">",
            "<meta name=\"viewport\" content=\"width=device-width\">",
            "<title>\(e(title))</title>",
            "<style>", Self.css, "</style>",
            "</head>",
            "<body><main>",
            "<h1>\(e(title))</h1>",
            "<p class=\"sub\">\(e(subtitle))</p>",
            "<dl class=\"summary\">",
        ]
        for (i, (k, v)) in summary.enumerated() {
            // The last pair is the level line, which may be long: on its own row.
            if i == summary.count - 1 && v.count > 16 {
                html.append("<dt class=\"level\">\(e(k))</dt><dd class=\"level\">\(e(v))</dd>")
            } else {
                html.append("<dt>\(e(k))</dt><dd\(i == 5 ? " class=\"big\"" : "")>\(e(v))</dd>")
            }
        }
        html.append("</dl>")
        for chart in charts {
            html.append("<section>")
            html.append("<h2>\(e(chart.heading))</h2>")
            if chart.rows.isEmpty {
                html.append("<p class=\"none\">\(e(t("No orders in this period.", "该时段没有订单。")))</p>")
            } else if chart.grouping == .day {
                html.append(columns(chart))
            } else {
                html.append(bars(chart))
            }
            html.append("</section>")
        }
        html.append("<footer>\(e(footer))</footer>")
        html.append("</main></body>")
        html.append("</html>")
        return html.joined(separator: "\n") + "\n"
    }

    static let width = 340

    /// One horizontal bar per row (commission), its key, title and figures above it.
    func bars(_ chart: Chart) -> String {
        let e = Self.escape
        let top = chart.rows.map(\.commission.fen).max() ?? 0
        var parts: [String] = []
        var y = 0
        for r in chart.rows {
            var label = r.key
            if let sub = chart.subtitles[r.key] { label += "  " + sub }
            parts.append("<text x=\"0\" y=\"\(y + 13)\" font-size=\"13\">\(e(Self.clip(label, 44)))</text>")
            let w = top > 0 && r.commission.fen > 0 ? max(1, Int(r.commission.fen * Int64(Self.width) / top)) : 0
            parts.append(
                "<rect class=\"\(w > 0 ? "bar" : "zero")\" x=\"0\" y=\"\(y + 18)\" width=\"\(max(w, 2))\" height=\"10\" rx=\"2\"/>")
            let figures = t(
                "commission \(r.commission.formatted) · \(r.orders) orders · GMV \(r.gmv.formatted)",
                "佣金 \(r.commission.formatted) · \(r.orders) 单 · 成交额 \(r.gmv.formatted)")
            parts.append("<text class=\"dim\" x=\"0\" y=\"\(y + 42)\" font-size=\"11.5\">\(e(figures))</text>")
            y += 54
        }
        return
            "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(Self.width) \(y)\" role=\"img\" aria-label=\"\(e(chart.heading))\">"
            + parts.joined() + "</svg>"
    }

    /// One column per day (commission), every day of the period with the days without orders at zero.
    func columns(_ chart: Chart) -> String {
        let e = Self.escape
        let rows = chart.rows
        let top = rows.map(\.commission.fen).max() ?? 0
        let best = rows.max { $0.commission.fen < $1.commission.fen }
        let height = 120
        let base = 24
        var parts: [String] = []
        if let best, top > 0 {
            parts.append(
                "<text class=\"dim\" x=\"0\" y=\"12\" font-size=\"11.5\">\(e(t("best day \(best.key): \(best.commission.formatted)", "最高 \(best.key)：\(best.commission.formatted)")))</text>"
            )
        }
        let n = rows.count
        for (i, r) in rows.enumerated() {
            let x0 = i * Self.width / n
            let x1 = (i + 1) * Self.width / n
            let h = top > 0 && r.commission.fen > 0 ? max(1, Int(r.commission.fen * Int64(height) / top)) : 0
            let w = max(1, x1 - x0 - (x1 - x0 > 3 ? 1 : 0))
            if h > 0 {
                parts.append(
                    "<rect class=\"bar\" x=\"\(x0)\" y=\"\(base + height - h)\" width=\"\(w)\" height=\"\(h)\"><title>\(e(r.key + " " + r.commission.formatted))</title></rect>"
                )
            }
        }
        parts.append("<rect class=\"zero\" x=\"0\" y=\"\(base + height)\" width=\"\(Self.width)\" height=\"1\"/>")
        if let first = rows.first, let last = rows.last {
            parts.append("<text class=\"dim\" x=\"0\" y=\"\(base + height + 16)\" font-size=\"11.5\">\(e(first.key))</text>")
            parts.append(
                "<text class=\"dim\" x=\"\(Self.width)\" y=\"\(base + height + 16)\" font-size=\"11.5\" text-anchor=\"end\">\(e(last.key))</text>"
            )
        }
        return
            "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(Self.width) \(base + height + 22)\" role=\"img\" aria-label=\"\(e(chart.heading))\">"
            + parts.joined() + "</svg>"
    }
}

extension EarningsReportCommand {
    /// Collects the summary and every grouping from the ledger, renders the page and writes it
    /// through `OutputFile` (`--force` to replace, `file-exists` otherwise).
    func writeHTML(to path: String, force: Bool, _ ctx: Context) throws -> Output {
        let store = try ctx.store(.existing)
        let shop = try ctx.shop(.existing)
        let period = try self.period.map { try ReportPeriod.parse($0, today: store.rules.zone.civilDate(of: ctx.now)) }
        // Refused before anything is computed.
        let file = try OutputFile(path: path, force: force, storePath: ctx.storePath)
        defer { file.discard() }
        let ledger = Ledger(store: store)
        let groupings: [ReportGrouping] = [.day, .week, .month, .product, .category, .channel]
        let (summary, reports) = try ledger.withFixedMonths(shop: shop, now: ctx.now, store: store) {
            () throws -> (EarningsSummary, [[ReportRow]]) in
            let s = try ledger.summary(shop: shop, now: ctx.now)
            let rows = try groupings.map { g -> [ReportRow] in
                switch g {
                case .day, .week, .month: return try ledger.report(shopID: shop.shopID, period: period, by: g)
                default: return try ledger.reportByOrder(shopID: shop.shopID, period: period, by: g)
                }
            }
            return (s, rows)
        }
        let today = store.rules.zone.civilDate(of: ctx.now)
        var charts: [HTMLReport.Chart] = []
        for (g, rows) in zip(groupings, reports) {
            var chart = HTMLReport.Chart(
                grouping: g, heading: Self.chartHeading(g, ctx), rows: g == .day ? Self.everyDay(rows, period: period, today: today) : rows)
            if g == .product {
                for r in rows { if let p = try store.catalog.product(r.key) { chart.subtitles[r.key] = p.title } }
            }
            charts.append(chart)
        }
        let s = summary
        let level =
            s.levelProvisional ? s.level + ctx.t(" (provisional)", "（暂定）") : s.level
        let pairs = [
            (ctx.t("pending (paid, shipped)", "待结算（已付款、已发货）"), s.pending.formatted),
            (ctx.t("frozen (confirmed, not yet settled)", "冻结中（已收货、未到结算日）"), s.frozen.formatted),
            (ctx.t("released", "已结算"), s.released.formatted),
            (ctx.t("rewards", "月销奖励"), s.rewards.formatted),
            (ctx.t("withdrawn", "已提现"), s.withdrawn.formatted),
            (ctx.t("available to withdraw", "可提现"), s.available.formatted),
            (ctx.t("level this month", "本月等级"), level),
        ]
        let periodText =
            period.map { "\($0.start) – \($0.end.adding(days: -1))" } ?? ctx.t("all orders", "全部订单")
        let now = ctx.now.rfc3339(in: store.rules.zone)
        let page = HTMLReport(
            chinese: ctx.chinese, title: "\(shop.displayName) (\(shop.shopID))",
            subtitle: ctx.t("Earnings report · period: \(periodText) · by payment time", "收益报表 · 时段：\(periodText) · 按付款时间"),
            summary: pairs, charts: charts,
            footer: ctx.t(
                "Summary as of \(now); charts: commission incl. level bonus. Made by shopctl earnings report --html.",
                "概览截至 \(now)；图表为佣金（含等级奖励）。由 shopctl earnings report --html 生成。"))
        try file.write(page.render())
        try file.commit()
        let shown = OutputFile.resolve(path)
        return Output(
            json: .object([("file", .string(shown))]),
            human: ctx.t("Wrote the report to \(shown)", "报表已写入 \(shown)"))
    }

    static func chartHeading(_ g: ReportGrouping, _ ctx: Context) -> String {
        switch g {
        case .day: return ctx.t("Commission by day", "每日佣金")
        case .week: return ctx.t("By week (ISO)", "按周（ISO）")
        case .month: return ctx.t("By month", "按月")
        case .product: return ctx.t("By product", "按商品")
        case .category: return ctx.t("By category", "按类目")
        case .channel: return ctx.t("By channel", "按渠道")
        case .campaign: return ctx.t("By campaign", "按活动")
        }
    }
}
