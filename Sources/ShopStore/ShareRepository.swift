import ShopKit

/// The share log: every link issued, with its token and the orders it brought.
///
///     let share = try store.shares.issue(fields, secret: store.secret)   // records and signs
///     try store.shares.verify(share.token, secret: store.secret)         // the fields, or nil
public struct ShareRepository {
    let db: Database

    /// Records a link and returns it with its signed token.
    public func issue(_ f: ShareFields, secret: [UInt8], planDate: String? = nil, planHour: Int? = nil) throws -> ShareRecord {
        let pending = "pending-\(f.createdAt.seconds)-\(f.shopID)-\(planHour ?? -1)-\(UInt64.random(in: 0...UInt64.max))"
        try db.prepare(
            "INSERT INTO shares(token, shop_id, product_id, channel, campaign, created_at, plan_date, plan_hour) VALUES (?,?,?,?,?,?,?,?)"
        ).run(pending, f.shopID, f.productID, f.channel, f.campaign, f.createdAt, planDate, planHour.map(Int64.init))
        let id = db.lastInsertRowID
        let token = ShareToken.mint(shareID: id, fields: f, secret: secret)
        try db.prepare("UPDATE shares SET token = ? WHERE id = ?").run(token, id)
        return ShareRecord(
            id: id, token: token, fields: f, planDate: planDate, planHour: planHour, orders: 0, gmv: .zero, commission: .zero)
    }

    /// The record a token stands for when it verifies under `secret`, else nil.
    public func verify(_ token: String, secret: [UInt8]) throws -> ShareRecord? {
        guard let id = ShareToken.shareID(of: token), let rec = try record(id: id) else { return nil }
        return ShareToken.verify(token, shareID: id, fields: rec.fields, secret: secret) ? rec : nil
    }

    static let columns =
        "id, token, shop_id, product_id, channel, campaign, created_at, plan_date, plan_hour, orders, gmv_fen, commission_fen"

    static func record(_ r: Row) -> ShareRecord {
        ShareRecord(
            id: r.int(0), token: r.text(1),
            fields: ShareFields(
                shopID: r.text(2), productID: r.optionalText(3), channel: r.text(4), campaign: r.optionalText(5), createdAt: r.instant(6)),
            planDate: r.optionalText(7), planHour: r.optionalInt(8).map { Int($0) }, orders: r.int(9), gmv: r.money(10),
            commission: r.money(11))
    }

    public func record(id: Int64) throws -> ShareRecord? {
        try db.prepare("SELECT \(Self.columns) FROM shares WHERE id = ?").first([id], Self.record)
    }

    /// The shop's first storefront link (no product, no daily plan), if it has one.
    public func storefront(shopID: String) throws -> ShareRecord? {
        try db.prepare(
            "SELECT \(Self.columns) FROM shares WHERE shop_id = ? AND product_id IS NULL AND plan_date IS NULL ORDER BY id LIMIT 1"
        ).first([shopID], Self.record)
    }

    public func list(shopID: String, limit: Int) throws -> [ShareRecord] {
        try db.prepare(
            "SELECT \(Self.columns) FROM shares WHERE shop_id = ? ORDER BY created_at DESC, id DESC \(limit > 0 ? "LIMIT \(limit)" : "")"
        )
        .map([shopID], Self.record)
    }

    public func count(shopID: String) throws -> Int {
        Int(try db.prepare("SELECT count(*) FROM shares WHERE shop_id = ?").scalarInt([shopID]) ?? 0)
    }

    /// The plan already recorded for a shop, date and channel: hour → record.
    public func plan(shopID: String, date: String, channel: String) throws -> [Int: ShareRecord] {
        var out: [Int: ShareRecord] = [:]
        try db.prepare("SELECT \(Self.columns) FROM shares WHERE shop_id = ? AND plan_date = ? AND channel = ?")
            .forEach([shopID, date, channel]) { r in
                let rec = Self.record(r)
                if let h = rec.planHour { out[h] = rec }
            }
        return out
    }

    /// Products planned for the shop on any of `dates` (any channel).
    public func plannedProducts(shopID: String, dates: [String]) throws -> Set<String> {
        var out = Set<String>()
        let st = try db.prepare("SELECT product_id FROM shares WHERE shop_id = ? AND plan_date = ? AND product_id IS NOT NULL")
        for d in dates { try st.forEach([shopID, d]) { out.insert($0.text(0)) } }
        return out
    }
}

/// One row of the share log.
public struct ShareRecord: Sendable, Equatable {
    public var id: Int64
    public var token: String
    public var fields: ShareFields
    public var planDate: String?
    public var planHour: Int?
    public var orders: Int64
    public var gmv: Money
    public var commission: Money
}
