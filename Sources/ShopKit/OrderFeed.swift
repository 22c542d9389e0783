/// One row of an order feed (SPEC §4 orders), parsed and checked on its own.
public struct OrderRow: Sendable, Equatable {
    public var orderID: String
    public var productID: String
    public var quantity: Int64
    public var unitPrice: Money
    public var amount: Money
    public var paidAt: Instant
    public var status: OrderStatus
    public var shareToken: String
    public var statusAt: Instant?
    /// nil when the column is absent or empty.
    public var refunded: Money?
    public var selfPurchase: Bool
    /// The platform's rate for the order (optional column `commission_rate`, SPEC §7): frozen
    /// instead of the catalog's when the order is first stored; nil when absent or empty.
    public var commissionRate: Rate? = nil

    public var change: OrderChange { OrderChange(status: status, statusAt: statusAt, refunded: refunded) }

    /// The order this row creates when its id is new (category, channel and shop come from the
    /// catalog and the share link; the rate from the row's `commission_rate`, else the catalog's `rate`).
    public func newOrder(shopID: String, shareID: Int64, category: String, channel: String, rate: Rate, now: Instant) throws(RowProblem)
        -> Order
    {
        let at = statusAt ?? (status == .paid ? paidAt : now)
        try OrderRules.checkStatusTime(at, paidAt: paidAt, now: now)
        return Order(
            orderID: orderID, shopID: shopID, shareID: shareID, productID: productID, category: category, channel: channel,
            quantity: quantity, unitPrice: unitPrice, amount: amount, refunded: refunded ?? (status == .refunded ? amount : .zero),
            status: status, statusAt: at,
            paidAt: paidAt, confirmedAt: status == .confirmed ? at : nil, rate: commissionRate ?? rate, selfPurchase: selfPurchase)
    }

    /// Whether this row names the same order as `o` in every field that can never change.
    public func sameOrder(as o: Order) -> Bool {
        o.productID == productID && o.quantity == quantity && o.unitPrice == unitPrice && o.paidAt == paidAt
            && o.selfPurchase == selfPurchase
    }
}

public enum OrderFeed {
    public static let columns = ["order_id", "product_id", "quantity", "unit_price", "paid_at", "status", "share_token"]
    public static let optionalColumns = ["status_at", "refunded", "self_purchase", "commission_rate"]
    public static let maxQuantity: Int64 = 1_000_000

    /// The columns a feed must have: without `share_token` for a shop's own export
    /// (`"attribution":"shop"`, SPEC §7).
    public static func requiredColumns(_ attribution: ImportMap.Attribution) -> [String] {
        attribution == .token ? columns : columns.filter { $0 != "share_token" }
    }

    /// One row, parsed. With `tokens` false (a shop's own export) the row's `share_token` is
    /// not read: `shareToken` is "".
    public static func parse(_ row: ImportRow, now: Instant, tokens: Bool = true) throws(RowProblem) -> OrderRow {
        let f = RowFields(row)
        let orderID = try f.id("order_id")
        let productID = try f.id("product_id")
        let quantity = try f.int("quantity", min: 1, max: maxQuantity)
        let unitPrice = try f.money("unit_price", allowZero: false)
        guard let amount = try? unitPrice.multiplied(by: quantity), amount <= Money.maxInput else {
            throw RowProblem(
                "bad-value", en: "columns quantity × unit_price: the order amount is above ¥1,000,000,000",
                zh: "列 quantity × unit_price：订单金额超过 ¥1,000,000,000")
        }
        let paidAt = try f.instant("paid_at")
        if paidAt > now {
            throw RowProblem.badValue("paid_at", f.optionalText("paid_at") ?? "", en: "is in the future", zh: "晚于当前时间")
        }
        let statusText = f.word("status", builtin: ImportMap.builtinOrderStatusIndex)
        guard let status = OrderStatus(rawValue: statusText) else {
            throw RowProblem.badValue(
                "status", statusText, en: "must be paid, shipped, confirmed or refunded", zh: "必须是 paid、shipped、confirmed 或 refunded")
        }
        let token: String
        if !tokens {
            token = ""
        } else if let t = f.optionalText("share_token") {
            token = t
        } else {
            throw RowProblem("invalid-token", en: "column share_token is empty", zh: "列 share_token 为空")
        }
        let refunded = try f.optionalMoney("refunded")
        if let r = refunded, r > amount {
            throw RowProblem(
                "bad-value", en: "column refunded: \(r.formatted) is more than the order amount \(amount.formatted)",
                zh: "列 refunded：\(r.formatted) 超过订单金额 \(amount.formatted)")
        }
        return OrderRow(
            orderID: orderID, productID: productID, quantity: quantity, unitPrice: unitPrice, amount: amount, paidAt: paidAt,
            status: status, shareToken: token, statusAt: try f.optionalInstant("status_at"), refunded: refunded,
            selfPurchase: try f.optionalBool("self_purchase") ?? false, commissionRate: try f.optionalRate("commission_rate"))
    }
}
