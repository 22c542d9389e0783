import Foundation
import ShopKit
import ShopStore

/// The demo's sample data: the example catalog when it can be found, else a small built-in one.
enum DemoData {
    static let reasons = [
        "自家常备，回购了好几次", "性价比很高，朋友都说好", "宝宝很喜欢，放心", "送礼有面子，包装精致", "用了一个月，效果看得见",
        "夏天必备，清爽不黏", "老人孩子都能用", "品牌靠谱，售后省心",
    ]

    /// Paths of suppliers.csv and products.csv for the demo.
    static func catalogFiles(in folder: String, storePath: String) throws -> (suppliers: String, products: String) {
        var starts = [FileManager.default.currentDirectoryPath]
        starts.append(URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent().path)
        for start in starts {
            var dir = URL(fileURLWithPath: start)
            for _ in 0..<8 {
                let s = dir.appendingPathComponent("examples/catalog/suppliers.csv").path
                let p = dir.appendingPathComponent("examples/catalog/products.csv").path
                if FileManager.default.fileExists(atPath: s) && FileManager.default.fileExists(atPath: p) { return (s, p) }
                dir = dir.deletingLastPathComponent()
            }
        }
        let s = folder + "/suppliers.csv"
        let p = folder + "/products.csv"
        try OutputFile.write(Array(builtInSuppliers.utf8), to: s, force: false, storePath: storePath)
        try OutputFile.write(Array(builtInProducts.utf8), to: p, force: false, storePath: storePath)
        // The products' pictures (column image, relative to products.csv).
        try FileManager.default.createDirectory(
            atPath: folder + "/images", withIntermediateDirectories: false, attributes: [.posixPermissions: 0o700])
        for (category, file) in DemoImages.files {
            try OutputFile.write(DemoImages.product(category), to: folder + "/" + file, force: false, storePath: storePath)
        }
        return (s, p)
    }

    static let builtInSuppliers = """
        supplier_id,name,registered_capital,general_taxpayer,deposit,auth_chain_levels
        SP001,杭州西湖龙井茶业有限公司,5000000,true,20000,1
        SP002,广州美肤化妆品有限公司,10000000,true,50000,2
        SP003,宁波贝贝母婴用品有限公司,3000000,true,20000,1
        SP004,佛山家电经销有限公司,8000000,true,30000,3
        SP005,泉州运动服饰有限公司,2000000,true,10000,2
        SP006,义乌小商品作坊,300000,false,5000,4

        """

    static let builtInProducts = """
        product_id,supplier_id,title,brand,category,price,commission_rate,stock,status,market_commission_rate,other_platform_price,tags,sale_start,sale_end,description,image
        P000001,SP001,西湖龙井 明前特级 250g 礼盒装,西湖印象,食品保健,298.00,20,500,on,15,298,high-margin;high-recognition;high-repurchase,,,明前采摘，口感鲜爽,images/food.png
        P000002,SP001,每日坚果 混合果仁 30袋,果仁坊,食品保健,99.90,18,2000,on,,,high-repurchase;low-trial-cost,,,,images/food.png
        P000003,SP001,枸杞原浆 30ml×10支,宁夏红,食品保健,128.00,25,800,on,,,high-margin,,,,images/food.png
        P000004,SP002,玻尿酸补水面膜 10片装,水润坊,美妆个护,59.90,30,3000,on,25,69,high-margin;high-repurchase;high-recognition;low-trial-cost,,,,images/beauty.png
        P000005,SP002,氨基酸洁面乳 120g,净颜,美妆个护,49.00,22,1500,on,,,low-trial-cost;high-repurchase,,,,images/beauty.png
        P000006,SP002,防晒喷雾 SPF50+ 150ml,清透,美妆个护,79.00,28,0,on,,,high-margin,,,,images/beauty.png
        P000007,SP003,婴儿纸尿裤 L码 54片,柔柔,母婴玩具,109.00,12,1200,on,,,high-repurchase;high-recognition,,,,images/baby.png
        P000008,SP003,儿童益智积木 200粒,智趣,母婴玩具,129.00,20,600,on,,,high-margin,,,,images/baby.png
        P000009,SP003,婴儿湿巾 80抽×6包,柔柔,母婴玩具,39.90,15,5000,on,,,high-repurchase;low-trial-cost,,,,images/baby.png
        P000010,SP004,304不锈钢保温杯 500ml,暖心,家居电器,89.00,25,900,on,,,high-margin;low-trial-cost,,,,images/home.png
        P000011,SP004,家用空气炸锅 4.5L,厨宝,家居电器,299.00,15,300,on,,,high-recognition,,,,images/home.png
        P000012,SP004,电动牙刷 声波款,洁齿,家居电器,159.00,30,700,on,,,high-margin;high-repurchase,,,,images/home.png
        P000013,SP005,速干运动T恤 男款,跃动,服饰运动,69.00,25,1000,on,,,low-trial-cost,,,,images/sports.png
        P000014,SP005,轻便跑步鞋 女款,跃动,服饰运动,259.00,20,400,on,,,high-margin;high-recognition,,,,images/sports.png
        P000015,SP006,山寨充电宝,杂牌,家居电器,29.90,40,100,on,,,,,,,

        """
}

/// A deterministic order feed for the demo: about three months of orders through the
/// shop's links, with weekend and evening peaks, repeat buyers, refunds and late confirmations.
enum DemoOrders {
    struct Link {
        var token: String
        var productID: String?
        var created: Instant
    }

    /// CSV text of the feed as the platform exports it at `asOf` (default: `now`): the orders paid
    /// by then, each in the state it had then (a later confirmation or refund not yet made), so
    /// that the monthly exports of a shop's history and the final one agree (SPEC §4 orders: the
    /// later export moves orders forward only).
    static func csv(links: [Link], prices: [String: Money], now: Instant, days: Int, zone: Zone, asOf: Instant? = nil) -> String {
        var out = ["order_id,product_id,quantity,unit_price,paid_at,status,share_token,status_at,refunded,self_purchase"]
        for r in rows(links: links, prices: prices, now: now, days: days, zone: zone, asOf: asOf) {
            out.append(
                "\(r.id),\(r.product),\(r.quantity),\(r.price.plainYuan),\(r.paid.rfc3339(in: zone)),\(r.status),\(r.token),\(r.statusAt.rfc3339(in: zone)),\(r.refunded.plainYuan),\(r.selfPurchase)"
            )
        }
        return out.joined(separator: "\n") + "\n"
    }

    /// The column map of `lianmengCSV`'s report (SPEC §7 `--map`): the headers without a
    /// built-in meaning, its status words, its time layout and its title line.
    static let lianmengMap = """
        {
          "columns": {"创建时间": "paid_at", "结算时间": "status_at", "广告位名称": "share_token", "自购": "self_purchase"},
          "values": {"status": {"订单付款": "paid", "已发货": "shipped", "订单成功": "confirmed", "订单失效": "refunded"}},
          "time_format": "yyyy-MM-dd HH:mm:ss",
          "skip_rows": 1
        }

        """

    /// The same orders as `csv`, as a 淘宝联盟-style order report (订单明细报表) saved by Excel on a
    /// Chinese Windows: a title line, Chinese headers and status words, times without a zone (in
    /// `zone`), order numbers behind a tab, prices with ￥, CRLF; to be written in GBK (`gbk`).
    static func lianmengCSV(links: [Link], prices: [String: Money], now: Instant, days: Int, zone: Zone) -> String {
        func local(_ t: Instant) -> String {
            let text = t.rfc3339(in: zone)
            return text.prefix(10) + " " + text.dropFirst(11).prefix(8)
        }
        let words = ["paid": "订单付款", "shipped": "已发货", "confirmed": "订单成功", "refunded": "订单失效"]
        var out = ["淘宝联盟 订单明细报表,,,,,,,,,", "创建时间,商品ID,商品数,商品单价,订单状态,结算时间,退款金额,订单编号,广告位名称,自购"]
        for r in rows(links: links, prices: prices, now: now, days: days, zone: zone) {
            let settled = r.status == "paid" ? "" : local(r.statusAt)
            out.append(
                "\(local(r.paid)),\(r.product),\(r.quantity),￥\(r.price.plainYuan),\(words[r.status]!),\(settled),\(r.refunded.plainYuan),\t\(r.id),\(r.token),\(r.selfPurchase)"
            )
        }
        return out.joined(separator: "\r\n") + "\r\n"
    }

    /// `text` in GBK (GB18030, whose two-byte codes are GBK's), as a Chinese Windows writes it.
    /// The demo's reports hold only ASCII, common Han characters and ￥, which Foundation and
    /// Python's `gbk` codec encode alike.
    static func gbk(_ text: String) -> [UInt8] {
        guard let data = text.data(using: String.Encoding(rawValue: 0x8000_0632)) else {
            preconditionFailure("the demo's report is encodable in GB18030")
        }
        return [UInt8](data)
    }

    struct Row {
        var id: String
        var product: String
        var quantity: Int
        var price: Money
        var paid: Instant
        var status: String
        var token: String
        var statusAt: Instant
        var refunded: Money
        var selfPurchase: Bool
    }

    static func rows(links: [Link], prices: [String: Money], now: Instant, days: Int, zone: Zone, asOf: Instant? = nil) -> [Row] {
        let cut = asOf ?? now
        var g = SplitMix64(seed: 20_261_121)
        var out: [Row] = []
        let products = prices.keys.sorted()
        var n = 0
        let today = zone.civilDate(of: now)
        for back in stride(from: days, through: 0, by: -1) {
            let day = today.adding(days: -back)
            let weekend = day.isoWeekday >= 6
            // A growing shop: from about 1 to about 3 orders a day, more at weekends.
            let base = (days - back) * 2 / max(days, 1)
            let count = base + g.below(3) + (weekend ? 1 : 0)
            for _ in 0..<count {
                // Evening peak 19–22 h, a lunch bump, the rest spread over the day.
                let r = g.below(10)
                let hour = r < 5 ? 19 + g.below(4) : (r < 7 ? 11 + g.below(3) : 8 + g.below(11))
                let paid = zone.instant(of: day, hour: hour).adding(seconds: Int64(g.below(3600)))
                guard paid <= now else { continue }
                // Popular links sell more (the first ones of the list).
                let li = min(links.count - 1, g.below(links.count) * g.below(links.count) / max(1, links.count))
                let link = links[li]
                guard link.created <= paid else { continue }
                let product = link.productID ?? products[g.below(products.count)]
                guard let price = prices[product] else { continue }
                let qty = g.below(10) < 8 ? 1 : 2 + g.below(2)
                let amount = price.fen * Int64(qty)
                let age = (now.seconds - paid.seconds) / 86_400
                var status = "paid"
                var statusAt = paid
                var refunded: Int64 = 0
                let fate = g.below(100)
                if fate < 4 && age >= 2 {
                    status = "refunded"
                    statusAt = paid.adding(days: 1 + g.below(Int(min(age, 8))))
                    refunded = amount
                } else if age >= 5 {
                    let late = g.below(10) == 0 ? 10 + g.below(10) : 3 + g.below(8)
                    let confirmAt = paid.adding(days: late)
                    if confirmAt <= now {
                        status = "confirmed"
                        statusAt = confirmAt
                    } else {
                        status = "shipped"
                        statusAt = paid.adding(days: 1)
                    }
                } else if age >= 1 {
                    status = "shipped"
                    statusAt = paid.adding(days: 1)
                }
                if status != "refunded" && status != "paid" && fate >= 4 && fate < 7 {
                    refunded = amount * Int64(10 + g.below(50)) / 100
                }
                n += 1
                let id = "D" + String(100_000 + n)
                let selfPurchase = g.below(50) == 0
                guard paid <= cut else { continue }
                if statusAt > cut {
                    // Before its last change: shipped a day after payment, or still paid.
                    let shipped = paid.adding(days: 1)
                    let wasShipped = status != "paid" && shipped <= cut && shipped < statusAt
                    status = wasShipped ? "shipped" : "paid"
                    statusAt = wasShipped ? shipped : paid
                    refunded = 0
                }
                out.append(
                    Row(
                        id: id, product: product, quantity: qty, price: price, paid: paid, status: status, token: link.token,
                        statusAt: statusAt, refunded: Money(fen: refunded), selfPurchase: selfPurchase))
            }
        }
        return out
    }
}
