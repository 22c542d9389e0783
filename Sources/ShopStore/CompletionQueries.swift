import ShopKit

extension Store {
    /// The ids shell completion offers.
    public enum IDKind: String, Sendable, CaseIterable {
        case shops, products, orders

        var table: (name: String, column: String) {
            switch self {
            case .shops: return ("shops", "shop_id")
            case .products: return ("products", "product_id")
            case .orders: return ("orders", "order_id")
            }
        }
    }

    /// Ids of `kind` starting with `prefix`, in byte order, at most `limit`: a range scan of
    /// the id's unique index, so a large catalog costs only what is printed.
    public func ids(_ kind: IDKind, prefix: String, limit: Int) throws -> [String] {
        let t = kind.table
        let sql = "SELECT \(t.column) FROM \(t.name) WHERE \(t.column) >= ? AND \(t.column) < ? ORDER BY \(t.column) LIMIT ?"
        let upper = prefix + "\u{10FFFF}"
        return try db.prepare(sql).map([prefix, upper, Int64(limit)]) { $0.text(0) }.filter { $0.hasPrefix(prefix) }
    }
}
