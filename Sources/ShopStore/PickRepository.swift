import ShopKit

/// A shop's picked products (its selection) and the suggestion ranking.
///
///     try store.picks.add(shopID: "S000001", productID: "P0001", reason: "宝宝爱吃", at: now)
///     try store.picks.list(shopID: "S000001", now: now)
public struct PickRepository {
    let db: Database

    public func count(shopID: String) throws -> Int {
        Int(try db.prepare("SELECT count(*) FROM picks WHERE shop_id = ?").scalarInt([shopID]) ?? 0)
    }

    public func isPicked(shopID: String, productID: String) throws -> Bool {
        try db.prepare("SELECT 1 FROM picks WHERE shop_id = ? AND product_id = ?").scalarInt([shopID, productID]) != nil
    }

    /// Adds a pick; an existing pick keeps its time and takes the new reason when one is given.
    public func add(shopID: String, productID: String, reason: String?, at now: Instant) throws {
        try db.prepare(
            """
            INSERT INTO picks(shop_id, product_id, reason, picked_at) VALUES (?,?,?,?)
            ON CONFLICT(shop_id, product_id) DO UPDATE SET reason = COALESCE(excluded.reason, reason)
            """
        ).run(shopID, productID, reason, now)
    }

    @discardableResult
    public func remove(shopID: String, productID: String) throws -> Bool {
        try db.prepare("DELETE FROM picks WHERE shop_id = ? AND product_id = ?").run(shopID, productID)
        return db.changes > 0
    }

    public func setReason(shopID: String, productID: String, reason: String) throws {
        try db.prepare("UPDATE picks SET reason = ? WHERE shop_id = ? AND product_id = ?").run(reason, shopID, productID)
    }

    public func reason(shopID: String, productID: String) throws -> String? {
        try db.prepare("SELECT reason FROM picks WHERE shop_id = ? AND product_id = ?").scalarText([shopID, productID])
    }

    /// The selection, most recently picked first.
    public func list(shopID: String, now: Instant) throws -> [PickEntry] {
        let cols = CatalogRepository.productColumnsOfP
        return try db.prepare(
            """
            SELECT \(cols), k.reason, k.picked_at, \(CatalogRepository.supplierAdmittedSQL)
            FROM picks k JOIN products p ON p.product_id = k.product_id
            WHERE k.shop_id = ? ORDER BY k.picked_at DESC, p.product_id
            """
        ).map([shopID]) { r in
            let p = CatalogRepository.product(r)
            return PickEntry(
                product: p, reason: r.optionalText(16), pickedAt: r.instant(17),
                available: p.isAvailable(at: now) && r.int(18) != 0)
        }
    }

    // MARK: - Ranking

    /// Units the shop sold per category (from its orders).
    public func categoryUnits(shopID: String) throws -> [String: Int64] {
        var out: [String: Int64] = [:]
        try db.prepare(
            """
            SELECT p.category, sum(s.units) FROM product_sales s JOIN products p ON p.product_id = s.product_id
            WHERE s.shop_id = ? GROUP BY p.category
            """
        ).forEach([shopID]) { out[$0.text(0)] = $0.int(1) }
        return out
    }

    /// Available products ranked by `SuggestScore`, best first: not yet picked
    /// (`picked: false`, for suggest), picked only (`picked: true`, for the daily plan),
    /// or all (`nil`, the daily plan where sharing needs no pick).
    public func ranked(shopID: String, picked: Bool?, now: Instant, limit: Int) throws -> [RankedProduct] {
        let units = try categoryUnits(shopID: shopID)
        let total = units.values.reduce(0, +)
        var args: [SQLBindable] = []
        var categoryExpr = "0"
        if total > 0 {
            categoryExpr = "CASE p.category"
            for (c, u) in units.sorted(by: { $0.key < $1.key }) {
                categoryExpr += " WHEN ? THEN \(SuggestScore.maxCategoryPoints * u / total)"
                args.append(c)
            }
            categoryExpr += " ELSE 0 END"
        }
        let t = SuggestScore.pointsPerTag
        let scoreExpr = """
            ((p.tags & 1 != 0) + (p.tags & 2 != 0) + (p.tags & 4 != 0) + (p.tags & 8 != 0)) * \(t)
            + (CASE WHEN p.tags & 15 = 15 THEN \(SuggestScore.allTagsBonus) ELSE 0 END)
            + MIN(\(SuggestScore.maxCommissionPoints), MAX(0, p.commission_fen) / \(SuggestScore.fenPerCommissionPoint))
            + \(categoryExpr)
            """
        let cols = CatalogRepository.productColumnsOfP
        let pickFilter: String
        switch picked {
        case .some(true): pickFilter = "EXISTS (SELECT 1 FROM picks k WHERE k.shop_id = ? AND k.product_id = p.product_id) AND"
        case .some(false): pickFilter = "NOT EXISTS (SELECT 1 FROM picks k WHERE k.shop_id = ? AND k.product_id = p.product_id) AND"
        case .none: pickFilter = "? IS NOT NULL AND"
        }
        args += [shopID, now, now]
        let sql = """
            SELECT \(cols), \(scoreExpr) AS score FROM products p
            WHERE \(pickFilter)
              p.status = 'on' AND p.stock > 0
              AND (p.sale_start IS NULL OR p.sale_start <= ?) AND (p.sale_end IS NULL OR p.sale_end > ?)
              AND \(CatalogRepository.supplierAdmittedSQL)
            ORDER BY score DESC, p.commission_fen DESC, p.product_id
            \(limit > 0 ? "LIMIT \(limit)" : "")
            """
        return try db.prepare(sql).map(args) { r in RankedProduct(product: CatalogRepository.product(r), score: Int(r.int(16))) }
    }
}

public struct PickEntry: Sendable, Equatable {
    public var product: Product
    public var reason: String?
    public var pickedAt: Instant
    public var available: Bool
}

public struct RankedProduct: Sendable, Equatable {
    public var product: Product
    public var score: Int
}
