import Foundation
import XCTest

@testable import ShopKit
@testable import ShopStore

/// `catalog list` best commission first over the whole catalog is answered by the best of each
/// category (`products_category`, a seek per category; migration 9 dropped the index of its
/// own): the same rows in the same order as sorting every product, whatever the limit, ties
/// and availability, and without reading every product.
final class CatalogListTests: XCTestCase {
    static let now = Instant(seconds: 1_795_224_600)

    func store() throws -> Store {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("cataloglist-\(UUID().uuidString)")
        addTeardownBlock { try? FileManager.default.removeItem(at: dir) }
        let s = try Store.open(
            path: dir.appendingPathComponent("shop.db").path,
            creation: .init(platform: .yunji, rules: Rules.preset(.yunji), now: Self.now, secret: [UInt8](repeating: 5, count: 32)))
        try s.write {
            for (id, admitted) in [("SP1", true), ("SP2", true), ("SP3", false)] {
                try s.catalog.upsert(
                    Supplier(
                        supplierID: id, name: id, registeredCapital: Money(fen: 500_000_000), generalTaxpayer: true,
                        deposit: Money(fen: 10_000_000), authChainLevels: 1), admitted: admitted)
            }
        }
        return s
    }

    /// Every product, sorted here: best commission first, then product id.
    func reference(_ s: Store, availableOnly: Bool, limit: Int) throws -> [String] {
        let all = try s.catalog.list(CatalogQuery(sort: .price, limit: 0), shopID: nil, now: Self.now)
        let sorted = all.filter { !availableOnly || $0.available }.sorted {
            ($0.product.commissionPerUnit.fen, $1.product.productID) > ($1.product.commissionPerUnit.fen, $0.product.productID)
        }.map(\.product.productID)
        return limit > 0 ? Array(sorted.prefix(limit)) : sorted
    }

    func testBestCommissionFirstEqualsSortingEveryProduct() throws {
        for seed in 1...6 {
            var g = SplitMix(seed: UInt64(seed) * 31_337)
            let s = try store()
            let categories = (0..<(1 + Int(g.next() % 7))).map { "类目\($0)" }
            try s.write {
                for i in 0..<(20 + Int(g.next() % 200)) {
                    // Few prices and rates: many products share a commission, within a category and across.
                    try s.catalog.upsert(
                        Product(
                            productID: "P\(String(format: "%04d", Int(g.next() % 10_000)))-\(i)", supplierID: "SP\(1 + g.next() % 3)",
                            title: "商品\(i)", brand: "品牌", category: categories[Int(g.next() % UInt64(categories.count))],
                            price: Money(fen: [990, 1990, 2990][Int(g.next() % 3)]),
                            commissionRate: Rate(bp: [500, 1000, 1500][Int(g.next() % 3)]),
                            stock: Int64(g.next() % 4), status: g.next() % 5 == 0 ? .off : .on,
                            saleEnd: g.next() % 7 == 0 ? Instant(seconds: Self.now.seconds - 1) : nil))
                }
            }
            for limit in [1, 2, 3, 10, 50, 0] {
                for availableOnly in [false, true] {
                    let listed = try s.catalog.list(CatalogQuery(limit: limit, availableOnly: availableOnly), shopID: nil, now: Self.now)
                    XCTAssertEqual(
                        listed.map(\.product.productID), try reference(s, availableOnly: availableOnly, limit: limit),
                        "seed \(seed), \(categories.count) categories, limit \(limit), available only \(availableOnly)")
                }
            }
        }
    }

    func testAnEmptyCatalogListsNothing() throws {
        XCTAssertEqual(try store().catalog.list(CatalogQuery(), shopID: nil, now: Self.now), [])
    }

    /// The plan seeks `products_category` per category and never scans the products table.
    func testTheDefaultListingDoesNotReadEveryProduct() throws {
        let s = try store()
        let (sql, _) = CatalogRepository.listStatement(CatalogQuery(), shopID: nil, now: Self.now)
        var plan: [String] = []
        try s.db.prepare("EXPLAIN QUERY PLAN " + sql).forEach { plan.append($0.text(3)) }
        XCTAssertTrue(plan.contains { $0.contains("USING INDEX products_category (category=?)") }, plan.joined(separator: "\n"))
        // The only scans: of the categories found and of the rows chosen.
        XCTAssertEqual(Set(plan.filter { $0.hasPrefix("SCAN") }), ["SCAN c", "SCAN chosen"], plan.joined(separator: "\n"))
        XCTAssertEqual(
            try s.db.prepare("SELECT count(*) FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'products' AND sql IS NOT NULL")
                .scalarInt(), 1, "products_category is the products' one index")
    }
}
