import ShopKit

/// Shops in the store.
///
///     let shops = store.shops
///     let next = try shops.nextID()          // "S000001"
///     try shops.insert(shop)
///     try shops.find("S000001")
public struct ShopRepository {
    let db: Database

    static let columns = "shop_id, member_id, name, description, logo, opened_at, opening_fee_fen"

    /// The key that makes shop names unique: the normalised display name (`ShopRules.nameKey`).
    /// Stores written before held the lower-cased name here; `nameTaken` compares display
    /// names itself, so either form is found.
    public static func nameKey(_ s: Shop) -> String { ShopRules.normalizedName(s.displayName) }

    public func nextID() throws -> String {
        let n = (try db.prepare("SELECT COALESCE(MAX(id), 0) + 1 FROM shops").scalarInt() ?? 1)
        let digits = String(n)
        return "S" + String(repeating: "0", count: max(0, 6 - digits.count)) + digits
    }

    public func insert(_ s: Shop) throws {
        try db.prepare(
            "INSERT INTO shops(shop_id, member_id, name, name_key, description, logo, opened_at, opening_fee_fen) VALUES (?,?,?,?,?,?,?,?)"
        ).run(
            s.shopID, s.memberID, s.name, Self.nameKey(s), s.description, s.logo, s.openedAt, s.openingFee)
    }

    public func update(_ s: Shop) throws {
        try db.prepare("UPDATE shops SET name = ?, name_key = ?, description = ?, logo = ? WHERE shop_id = ?")
            .run(s.name, Self.nameKey(s), s.description, s.logo, s.shopID)
    }

    /// Whether another shop (not `excluding`) already shows the name: the display names (name
    /// and the platform's suffix) compared after normalisation (`ShopRules.nameKey`), so that
    /// 好物 and 好物淘小铺 on 淘小铺, or ＡＢＣ and abc, are one name. A store holds few shops.
    public func nameTaken(_ name: String, rules: Rules, excluding shopID: String? = nil) throws -> Bool {
        let shopRules = ShopRules(rules)
        let key = shopRules.nameKey(for: name)
        var taken = false
        try db.prepare("SELECT name FROM shops WHERE shop_id IS NOT ?").forEach([shopID]) {
            if !taken && shopRules.nameKey(for: $0.text(0)) == key { taken = true }
        }
        return taken
    }

    public func find(_ shopID: String, rules: Rules) throws -> Shop? {
        try db.prepare("SELECT \(Self.columns) FROM shops WHERE shop_id = ?").first([shopID]) { row(from: $0, rules) }
    }

    public func all(rules: Rules) throws -> [Shop] {
        try db.prepare("SELECT \(Self.columns) FROM shops ORDER BY id").map { row(from: $0, rules) }
    }

    public func ofMember(_ memberID: String, rules: Rules) throws -> [Shop] {
        try db.prepare("SELECT \(Self.columns) FROM shops WHERE member_id = ? ORDER BY id").map([memberID]) {
            row(from: $0, rules)
        }
    }

    public func count() throws -> Int {
        Int(try db.prepare("SELECT count(*) FROM shops").scalarInt() ?? 0)
    }

    private func row(from r: Row, _ rules: Rules) -> Shop {
        let name = r.text(2)
        return Shop(
            shopID: r.text(0), memberID: r.text(1), name: name,
            displayName: ShopRules(rules).displayName(for: name), description: r.text(3), logo: r.optionalText(4),
            level: rules.lowestLevel.name, openedAt: r.instant(5), openingFee: r.money(6))
    }
}
