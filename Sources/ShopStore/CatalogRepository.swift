import ShopKit

/// Suppliers and products.
///
///     let catalog = store.catalog
///     try catalog.upsert(product)          // .inserted, .updated or .unchanged
///     try catalog.product("P0001")
///     try catalog.list(CatalogQuery(search: "面膜", limit: 20), now: now)
public struct CatalogRepository {
    let db: Database

    public enum Change: Sendable, Equatable { case inserted, updated, unchanged }

    // MARK: - Suppliers

    /// Whether the supplier is known, and admitted.
    public func supplierStatus(_ id: String) throws -> (known: Bool, admitted: Bool) {
        guard let admitted = try db.prepare("SELECT admitted FROM suppliers WHERE supplier_id = ?").scalarInt([id]) else {
            return (false, false)
        }
        return (true, admitted != 0)
    }

    /// Calls `body` with every supplier's id and admission, up to `limit` of them; true when
    /// that was all of them.
    func suppliers(limit: Int, _ body: (String, Bool) -> Void) throws -> Bool {
        var n = 0
        try db.prepare("SELECT supplier_id, admitted FROM suppliers LIMIT ?").forEach([Int64(limit) + 1]) { r in
            n += 1
            if n <= limit { body(r.text(0), r.int(1) != 0) }
        }
        return n <= limit
    }

    @discardableResult
    public func upsert(_ s: Supplier, admitted: Bool) throws -> Change {
        let existed = try supplierStatus(s.supplierID).known
        try db.prepare(
            """
            INSERT INTO suppliers(supplier_id, name, registered_capital_fen, general_taxpayer, deposit_fen, auth_chain_levels, admitted)
            VALUES (?,?,?,?,?,?,?)
            ON CONFLICT(supplier_id) DO UPDATE SET name = excluded.name,
                registered_capital_fen = excluded.registered_capital_fen, general_taxpayer = excluded.general_taxpayer,
                deposit_fen = excluded.deposit_fen, auth_chain_levels = excluded.auth_chain_levels, admitted = excluded.admitted
            WHERE (name, registered_capital_fen, general_taxpayer, deposit_fen, auth_chain_levels, admitted)
                IS NOT (excluded.name, excluded.registered_capital_fen, excluded.general_taxpayer, excluded.deposit_fen,
                        excluded.auth_chain_levels, excluded.admitted)
            """
        ).run(s.supplierID, s.name, s.registeredCapital, s.generalTaxpayer, s.deposit, s.authChainLevels, admitted)
        if !existed { return .inserted }
        return db.changes > 0 ? .updated : .unchanged
    }

    // MARK: - Products

    static let productColumnNames = [
        "product_id", "supplier_id", "title", "brand", "category", "price_fen", "commission_rate_bp", "stock", "status",
        "market_commission_rate_bp", "other_platform_price_fen", "tags", "sale_start", "sale_end", "description", "image",
    ]
    /// The columns `product(_:)` reads, in its order.
    static let productColumns = productColumnNames.joined(separator: ", ")
    /// The same, for a query where the products table is `p`.
    static let productColumnsOfP = productColumnNames.map { "p." + $0 }.joined(separator: ", ")

    /// Inserts or updates a product; a re-import of identical data changes nothing.
    @discardableResult
    public func upsert(_ p: Product) throws -> Change {
        if let change = try updateIfKnown(p) { return change }
        try db.prepare(
            """
            INSERT INTO products(supplier_id, title, brand, category, price_fen, commission_rate_bp, commission_fen, stock, status,
                market_commission_rate_bp, other_platform_price_fen, tags, sale_start, sale_end, description, image, product_id)
            VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)
            """
        ).run(Self.values(p) + [p.productID])
        try db.prepare("INSERT INTO product_search(id, text) VALUES (?, ?)").run(db.lastInsertRowID, Self.searchText(p))
        return .inserted
    }

    /// Updates a product if its id is known (`.updated` or `.unchanged`); nil, and nothing
    /// written, when it is not.
    func updateIfKnown(_ p: Product) throws -> Change? {
        let old = try db.prepare("SELECT id, \(Self.productColumns) FROM products WHERE product_id = ?").first([p.productID]) {
            (id: $0.int(0), product: Self.product($0, offset: 1))
        }
        guard let old else { return nil }
        if old.product == p { return .unchanged }
        try db.prepare(
            """
            UPDATE products SET supplier_id = ?, title = ?, brand = ?, category = ?, price_fen = ?, commission_rate_bp = ?,
                commission_fen = ?, stock = ?, status = ?, market_commission_rate_bp = ?, other_platform_price_fen = ?, tags = ?,
                sale_start = ?, sale_end = ?, description = ?, image = ?
            WHERE id = ?
            """
        ).run(Self.values(p) + [old.id])
        if old.product.title != p.title || old.product.brand != p.brand {
            try db.prepare("UPDATE product_search SET text = ? WHERE id = ?").run(Self.searchText(p), old.id)
        }
        return .updated
    }

    /// The stored columns of a product after `product_id`, in `productColumnNames` order.
    private static func values(_ p: Product) -> [SQLBindable] {
        [
            p.supplierID, p.title, p.brand, p.category, p.price, Int64(p.commissionRate.bp), p.commissionPerUnit, p.stock,
            p.status.rawValue, p.marketCommissionRate.map { Int64($0.bp) }, p.otherPlatformPrice, Int64(ProductTag.mask(p.tags)),
            p.saleStart, p.saleEnd, p.description, p.image,
        ]
    }

    /// The statements an import runs for every new product, prepared once for the whole import.
    public func writer() throws -> Writer { try Writer(db: db) }

    public final class Writer {
        let db: Database

        init(db: Database) throws {
            self.db = db
            searchedUpTo = (try db.prepare("SELECT coalesce(max(id), 0) FROM products").scalarInt()) ?? 0
        }

        /// Products stored by this writer get ids past this one (SQLite's rowids grow past the
        /// largest), so their search rows are written by one statement per batch, right after
        /// the batch (its rows are still in the page cache), from the products stored since.
        private var searchedUpTo: Int64

        /// Writes the search rows of the products stored since the last call.
        func writeSearchRows() throws {
            try db.prepare(
                "INSERT OR FAIL INTO product_search(id, text) SELECT id, title || char(31) || brand FROM products WHERE id > ? ORDER BY id"
            ).run(searchedUpTo)
            searchedUpTo = (try db.prepare("SELECT coalesce(max(id), 0) FROM products").scalarInt()) ?? 0
        }

        /// Writes the search rows of the products this writer stored and has not written yet
        /// (call once, at the end).
        public func finish() throws { try writeSearchRows() }

        static let feedColumns = [
            "product_id", "supplier_id", "title", "brand", "category", "price_fen", "commission_rate_bp", "commission_fen", "stock",
            "status", "market_commission_rate_bp", "other_platform_price_fen", "tags", "sale_start", "sale_end", "description",
            "image",
        ]

        /// Stores a batch of products with one statement (rows read from a feed); for each,
        /// whether it was stored (false: a product with its id exists, nothing written), and
        /// the search rows of those stored.
        func insert(_ batch: [PreparedProduct]) throws -> [Bool] {
            let feed = try db.feed("shopctl_product_feed", columns: Self.feedColumns)
            let statement = try db.prepare(
                """
                INSERT OR FAIL INTO products(\(Self.feedColumns.joined(separator: ", ")))
                SELECT * FROM shopctl_product_feed WHERE true
                ON CONFLICT(product_id) DO NOTHING
                """)
            let stored = try db.insert(batch.map(\.feedRow), from: feed, with: statement, table: "products", keyColumn: "product_id") {
                batch[$0].product.productID
            }
            try writeSearchRows()
            return stored
        }

        /// A product as a row of the product feed (`feedColumns`), made where it is parsed.
        static func encode(_ p: Product, _ e: inout FeedRowEncoder) -> FeedRow {
            e.text(p.productID)
            e.text(p.supplierID)
            e.text(p.title)
            e.text(p.brand)
            e.text(p.category)
            e.int(p.price.fen)
            e.int(Int64(p.commissionRate.bp))
            e.int(p.commissionPerUnit.fen)
            e.int(p.stock)
            e.text(p.status.rawValue)
            e.int(p.marketCommissionRate.map { Int64($0.bp) })
            e.int(p.otherPlatformPrice?.fen)
            e.int(Int64(ProductTag.mask(p.tags)))
            e.int(p.saleStart?.seconds)
            e.int(p.saleEnd?.seconds)
            e.text(p.description)
            if let image = p.image { e.text(image) } else { e.null() }
            return e.finish()
        }
    }

    /// What `--search` looks in: title and brand, apart so no match spans both (U+001F, the
    /// `char(31)` of `Writer.writeSearchRows`).
    static func searchText(_ p: Product) -> String { p.title + "\u{1F}" + p.brand }

    public func product(_ id: String) throws -> Product? {
        try db.prepare("SELECT \(Self.productColumns) FROM products WHERE product_id = ?").first([id], Self.product)
    }

    public func count() throws -> Int { Int(try db.prepare("SELECT count(*) FROM products").scalarInt() ?? 0) }

    static func product(_ r: Row) -> Product { product(r, offset: 0) }

    static func product(_ r: Row, offset o: Int32) -> Product {
        Product(
            productID: r.text(o), supplierID: r.text(o + 1), title: r.text(o + 2), brand: r.text(o + 3), category: r.text(o + 4),
            price: r.money(o + 5), commissionRate: Rate(bp: Int(r.int(o + 6))), stock: r.int(o + 7),
            status: Product.Status(rawValue: r.text(o + 8)) ?? .off,
            marketCommissionRate: r.optionalInt(o + 9).map { Rate(bp: Int($0)) },
            otherPlatformPrice: r.optionalInt(o + 10).map(Money.init), tags: ProductTag.from(mask: Int(r.int(o + 11))),
            saleStart: r.optionalInt(o + 12).map(Instant.init), saleEnd: r.optionalInt(o + 13).map(Instant.init),
            description: r.text(o + 14), image: r.optionalText(o + 15))
    }

    /// SQL true when the supplier of product `p` is admitted: a supplier re-imported with values
    /// that fail `supplier_admission` is stored not admitted, and its products are unavailable.
    static let supplierAdmittedSQL = "EXISTS (SELECT 1 FROM suppliers a WHERE a.supplier_id = p.supplier_id AND a.admitted = 1)"

    /// Whether a product can be picked and shared now: its own state and its supplier's admission.
    public func isAvailable(_ p: Product, at now: Instant) throws -> Bool {
        try p.isAvailable(at: now) && supplierStatus(p.supplierID).admitted
    }

    // MARK: - Listing

    /// The catalog's categories, one index seek each (`products_category` leads with the
    /// category), where `SELECT DISTINCT` would read the whole index.
    static let categoriesSQL = """
        WITH RECURSIVE categories(category) AS (
            SELECT min(category) FROM products
            UNION ALL
            SELECT (SELECT min(category) FROM products WHERE category > c.category) FROM categories c WHERE c.category IS NOT NULL)

        """

    /// Products matching a query, with per-shop sales (0 until orders exist).
    public func list(_ q: CatalogQuery, shopID: String?, now: Instant) throws -> [CatalogEntry] {
        let (sql, args) = Self.listStatement(q, shopID: shopID, now: now)
        return try db.prepare(sql).map(args) { r in
            let p = Self.product(r)
            return CatalogEntry(product: p, available: p.isAvailable(at: now) && r.int(17) != 0, sales: r.int(16))
        }
    }

    /// The statement of `list` and its arguments.
    static func listStatement(_ q: CatalogQuery, shopID: String?, now: Instant) -> (sql: String, args: [SQLBindable]) {
        var clauses: [String] = []
        var args: [SQLBindable] = [shopID]
        if let c = q.category {
            clauses.append("p.category = ?")
            args.append(c)
        }
        if let s = q.search, !s.isEmpty {
            clauses.append("p.id IN (SELECT id FROM product_search WHERE instr(text, ?) > 0)")
            args.append(s)
        }
        if q.availableOnly {
            clauses.append(
                "p.status = 'on' AND p.stock > 0 AND (p.sale_start IS NULL OR p.sale_start <= ?) AND (p.sale_end IS NULL OR p.sale_end > ?) AND \(Self.supplierAdmittedSQL)"
            )
            args.append(now)
            args.append(now)
        }
        let order: String
        switch q.sort {
        case .commission: order = "p.commission_fen DESC, p.product_id"
        case .price: order = "p.price_fen ASC, p.product_id"
        case .rate: order = "p.commission_rate_bp DESC, p.commission_fen DESC, p.product_id"
        case .sales: order = "sales DESC, p.commission_fen DESC, p.product_id"
        }
        let sales = { (alias: String) in
            "COALESCE((SELECT CASE WHEN ?1 IS NULL THEN sum(units) ELSE max(units) END FROM product_sales s WHERE s.product_id = \(alias).product_id AND (?1 IS NULL OR s.shop_id = ?1)), 0)"
        }
        let whereSQL = clauses.isEmpty ? "" : "WHERE " + clauses.joined(separator: " AND ")
        let limitSQL = q.limit > 0 ? "LIMIT \(q.limit)" : ""
        // Rows are chosen and ordered first; sales are looked up for the chosen rows only
        // (unless they are the sort key).
        var chosen =
            "SELECT p.id\(q.sort == .sales ? ", \(sales("p")) AS sales" : "") FROM products p \(whereSQL) ORDER BY \(order) \(limitSQL)"
        var with = ""
        if q.sort == .commission && q.category == nil && (q.search ?? "").isEmpty && q.limit > 0 {
            // Best commission first over the whole catalog has no index of its own (migration 9):
            // `products_category` holds every category's products best first, so the best
            // `limit` of each category are found by a seek each, and the best of those are the
            // best of all (ties by product id, within a category as across them).
            with = Self.categoriesSQL
            let inCategory = (["p.category = c.category"] + clauses).joined(separator: " AND ")
            chosen = """
                SELECT b.id FROM categories c JOIN products b ON b.id IN
                    (SELECT p.id FROM products p WHERE \(inCategory) ORDER BY \(order) \(limitSQL))
                ORDER BY b.commission_fen DESC, b.product_id \(limitSQL)
                """
        }
        let sql = """
            \(with)SELECT \(Self.productColumnsOfP),
                   \(sales("p")) AS sales, \(Self.supplierAdmittedSQL)
            FROM (\(chosen)) chosen
            JOIN products p ON p.id = chosen.id
            ORDER BY \(order)
            """
        return (sql, args)
    }
}

/// What `catalog list` asks for.
public struct CatalogQuery: Sendable {
    public enum Sort: String, Sendable, CaseIterable { case commission, price, rate, sales }
    public var category: String?
    public var search: String?
    public var sort: Sort
    /// 0 = no limit.
    public var limit: Int
    public var availableOnly: Bool

    public init(category: String? = nil, search: String? = nil, sort: Sort = .commission, limit: Int = 50, availableOnly: Bool = false) {
        self.category = category
        self.search = search
        self.sort = sort
        self.limit = limit
        self.availableOnly = availableOnly
    }
}

/// One row of `catalog list`.
public struct CatalogEntry: Sendable, Equatable {
    public var product: Product
    public var available: Bool
    public var sales: Int64
}
