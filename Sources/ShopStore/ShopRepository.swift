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

    /// Case-insensitive (for Latin letters) key that makes shop names unique.
    public static func nameKey(_ name: String) -> String { name.lowercased() }

    public func nextID() throws -> String {
        let n = (try db.prepare("SELECT COALESCE(MAX(id), 0) + 1 FROM shops").scalarInt() ?? 1)
        let digits = String(n)
        return "S" + String(repeating: "0", count: max(0, 6 - digits.count)) + digits
    }

    public func insert(_ s: Shop) throws {
        try db.prepare(
            "INSERT INTO shops(shop_id, member_id, name, name_key, description, logo, opened_at, opening_fee_fen) VALUES (?,?,?,?,?,?,?,?)"
        ).run(
            s.shopID, s.memberID, s.name, Self.nameKey(s.name), s.description, s.logo, s.openedAt, s.openingFee)
    }

    public func update(_ s: Shop) throws {
        try db.prepare("UPDATE shops SET name = ?, name_key = ?, description = ?, logo = ? WHERE shop_id = ?")
            .run(s.name, Self.nameKey(s.name), s.description, s.logo, s.shopID)
    }

    /// Whether another shop (not `excluding`) already uses the name.
    public func nameTaken(_ name: String, excluding shopID: String? = nil) throws -> Bool {
        try db.prepare("SELECT 1 FROM shops WHERE name_key = ? AND shop_id IS NOT ?")
            .scalarInt([Self.nameKey(name), shopID]) != nil
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
