import Foundation
import XCTest

@testable import ShopKit
@testable import ShopStore

final class CatalogStoreTests: XCTestCase {
    var dir: URL!
    var store: Store!
    let now = Instant(seconds: 1_795_224_600)

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("catalogstore-\(UUID().uuidString)")
        store = try Store.open(
            path: dir.appendingPathComponent("shop.db").path,
            creation: .init(platform: .yunji, rules: Rules.preset(.yunji), now: now, secret: Array(repeating: 1, count: 32)))
    }
    override func tearDown() {
        store = nil
        try? FileManager.default.removeItem(at: dir)
    }

    /// The SQL ranking must agree with `SuggestScore`, the documented formula.
    func testRankingInSQLMatchesTheDocumentedScore() throws {
        var g = SplitMix(seed: 7)
        let shop = Shop(
            shopID: "S000001", memberID: "m", name: "n", displayName: "n", description: "", logo: nil, level: "店主", openedAt: now,
            openingFee: .zero)
        var products: [Product] = []
        try store.write {
            try store.shops.insert(shop)
            try store.catalog.upsert(
                Supplier(
                    supplierID: "SP", name: "s", registeredCapital: .zero, generalTaxpayer: true, deposit: .zero, authChainLevels: 0),
                admitted: true)
            for i in 0..<300 {
                let tags = ProductTag.allCases.filter { _ in g.next() % 3 == 0 }
                let p = Product(
                    productID: "P\(i)", supplierID: "SP", title: "商品\(i)", brand: "b", category: Rules.defaultCategories[Int(g.next() % 5)],
                    price: Money(fen: Int64(g.next() % 200_000) + 1), commissionRate: Rate(bp: Int(g.next() % 5000)), stock: 5, status: .on,
                    tags: tags)
                products.append(p)
                try store.catalog.upsert(p)
            }
            // Sales in two categories.
            try store.db.prepare("INSERT INTO product_sales(shop_id, product_id, units) VALUES (?,?,?)").run("S000001", "P1", 7)
            try store.db.prepare("INSERT INTO product_sales(shop_id, product_id, units) VALUES (?,?,?)").run("S000001", "P2", 3)
        }
        let units = try store.picks.categoryUnits(shopID: "S000001")
        let total = units.values.reduce(0, +)
        let ranked = try store.picks.ranked(shopID: "S000001", picked: false, now: now, limit: 0)
        XCTAssertEqual(ranked.count, 300)
        for r in ranked {
            let expected = SuggestScore.score(
                tags: r.product.tags, commissionPerUnit: r.product.commissionPerUnit, categoryUnits: units[r.product.category] ?? 0,
                shopUnits: total)
            XCTAssertEqual(r.score, expected, r.product.productID)
        }
        XCTAssertEqual(ranked.map(\.score), ranked.map(\.score).sorted(by: >))
    }
}

typealias SplitMix = SplitMix64
