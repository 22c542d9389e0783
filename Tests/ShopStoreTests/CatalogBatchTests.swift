import Foundation
import XCTest

@testable import ShopKit
@testable import ShopStore

/// The batched catalog import stores exactly what the one-row-at-a-time path stores: products,
/// search rows and report, whatever the batch size — with products repeated (updated) within a
/// batch and across imports, and rows the rules refuse.
final class CatalogBatchTests: XCTestCase {
    func store(_ name: String) throws -> Store {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("catalogbatch-\(UUID().uuidString)")
        addTeardownBlock { try? FileManager.default.removeItem(at: dir) }
        let s = try Store.open(
            path: dir.appendingPathComponent(name).path,
            creation: .init(
                platform: .yunji, rules: Rules.preset(.yunji), now: Instant(seconds: 1_795_224_600),
                secret: [UInt8](repeating: 3, count: 32)))
        try s.write {
            for (id, capital) in [("SP1", Int64(500_000_000)), ("SP2", Int64(500_000_000))] {
                try s.catalog.upsert(
                    Supplier(
                        supplierID: id, name: id, registeredCapital: Money(fen: capital), generalTaxpayer: true,
                        deposit: Money(fen: 10_000_000), authChainLevels: 1), admitted: true)
            }
        }
        return s
    }

    func dump(_ s: Store) throws -> [String] {
        var out: [String] = []
        for sql in [
            "SELECT \(CatalogRepository.productColumns) FROM products ORDER BY product_id",
            "SELECT p.product_id, s.text FROM product_search s JOIN products p ON p.id = s.id ORDER BY p.product_id",
            "SELECT count(*) FROM product_search",
        ] {
            try s.db.prepare(sql).forEach { r in
                out.append((0..<r.columnCount).map { r.isNull($0) ? "∅" : r.text($0) }.joined(separator: "|"))
            }
        }
        return out
    }

    func testBatchedImportEqualsOneRowAtATime() throws {
        let categories = Rules.preset(.yunji).categories
        for (seed, batchSize) in [(1, 1), (2, 2), (3, 5), (4, 100)] {
            var g = SplitMix(seed: UInt64(seed) * 7_777)
            let one = try store("one.db")
            let batched = try store("batched.db")
            for _ in 0..<6 {
                var products: [Product] = []
                for _ in 0..<(5 + g.next() % 30) {
                    let id = "P\(g.next() % 40)"
                    let price = Int64(g.next() % 50_000) + 100
                    products.append(
                        Product(
                            productID: id, supplierID: g.next() % 9 == 0 ? "SPX" : "SP\(1 + g.next() % 2)",
                            title: "商品\(g.next() % 5) \(id)", brand: "品牌\(g.next() % 3)",
                            category: g.next() % 11 == 0 ? "不存在" : categories[Int(g.next() % UInt64(categories.count))],
                            price: Money(fen: price), commissionRate: Rate(bp: Int(g.next() % 4000)), stock: Int64(g.next() % 50),
                            status: g.next() % 4 == 0 ? .off : .on))
                }
                var a = ImportReport()
                let seq = CatalogImporter(store: one)
                try one.write {
                    for p in products {
                        do {
                            if try seq.apply(p) == .unchanged { a.unchanged += 1 }
                            a.accepted += 1
                        } catch let problem as RowProblem {
                            a.rejected.append(ImportLoop.rejection(problem, line: 0, id: p.productID))
                        }
                    }
                }
                var b = ImportReport()
                let bat = CatalogImporter(store: batched)
                bat.batchSize = batchSize
                let preparer = ProductPreparer()
                try batched.write {
                    for (i, p) in products.enumerated() {
                        do {
                            try bat.apply(preparer.prepare(p), place: ImportLoop.RowPlace(line: i + 2, id: p.productID), report: &b)
                        } catch let problem as RowProblem {
                            b.rejected.append(ImportLoop.rejection(problem, line: i + 2, id: p.productID))
                        }
                    }
                    try bat.finish(report: &b)
                }
                XCTAssertEqual(a.accepted, b.accepted, "seed \(seed)")
                XCTAssertEqual(a.unchanged, b.unchanged, "seed \(seed)")
                XCTAssertEqual(a.rejected.map(\.code).sorted(), b.rejected.map(\.code).sorted(), "seed \(seed)")
                XCTAssertEqual(try dump(one), try dump(batched), "seed \(seed)")
            }
        }
    }
}
