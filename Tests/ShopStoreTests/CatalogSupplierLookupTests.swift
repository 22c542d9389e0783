import Foundation
import XCTest

@testable import ShopKit
@testable import ShopStore

/// A catalog import looks a product's supplier up one by one at first, then reads every supplier
/// of the store at once (issue 17): the admission and the "unknown" of every supplier stay what
/// the store says, whether all suppliers fit the bulk read or not, one row at a time or batched.
final class CatalogSupplierLookupTests: XCTestCase {
    func store() throws -> Store {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("supplierlookup-\(UUID().uuidString)")
        addTeardownBlock { try? FileManager.default.removeItem(at: dir) }
        let s = try Store.open(
            path: dir.appendingPathComponent("shop.db").path,
            creation: .init(
                platform: .yunji, rules: Rules.preset(.yunji), now: Instant(seconds: 1_795_224_600),
                secret: [UInt8](repeating: 3, count: 32)))
        try s.write {
            // SP0 … SP199; every third not admitted.
            for i in 0..<200 {
                try s.catalog.upsert(supplier("SP\(i)"), admitted: i % 3 != 0)
            }
        }
        return s
    }

    func supplier(_ id: String) -> Supplier {
        Supplier(
            supplierID: id, name: id, registeredCapital: Money(fen: 500_000_000), generalTaxpayer: true,
            deposit: Money(fen: 10_000_000), authChainLevels: 1)
    }

    func product(_ i: Int, supplier: String) -> Product {
        Product(
            productID: "P\(i)", supplierID: supplier, title: "商品 \(i)", brand: "品牌", category: Rules.preset(.yunji).categories[0],
            price: Money(fen: 1_000), commissionRate: Rate(bp: 2_000), stock: 5, status: .on)
    }

    /// The code each product should get: nil (stored), unknown-supplier or supplier-admission.
    func expected(_ supplier: String) -> String? {
        guard supplier.hasPrefix("SP"), let n = Int(supplier.dropFirst(2)), n < 200 else { return "unknown-supplier" }
        return n % 3 == 0 ? "supplier-admission" : nil
    }

    func run(bulkAfter: Int, bulkLimit: Int, batched: Bool) throws {
        let s = try store()
        let importer = CatalogImporter(store: s)
        importer.supplierBulkAfter = bulkAfter
        importer.supplierBulkLimit = bulkLimit
        importer.batchSize = 7
        let preparer = ProductPreparer()
        // Suppliers in an order that is not the store's, unknown ones among them, each several times.
        var suppliers: [String] = []
        for round in 0..<3 {
            for i in 0..<230 { suppliers.append(i >= 200 ? "SX\(i)" : "SP\((i * 37 + round) % 200)") }
        }
        var report = ImportReport()
        var codes: [String: String] = [:]
        try s.write {
            for (i, sp) in suppliers.enumerated() {
                let p = product(i, supplier: sp)
                do {
                    if batched {
                        try importer.apply(preparer.prepare(p), place: ImportLoop.RowPlace(line: i + 2, id: p.productID), report: &report)
                    } else {
                        _ = try importer.apply(p)
                    }
                } catch let problem as RowProblem {
                    codes[p.productID] = problem.code
                }
            }
            try importer.finish(report: &report)
        }
        for (i, sp) in suppliers.enumerated() {
            XCTAssertEqual(codes["P\(i)"], expected(sp), "P\(i) of \(sp), bulk after \(bulkAfter), limit \(bulkLimit)")
        }
        let stored = try s.catalog.count()
        XCTAssertEqual(stored, suppliers.filter { expected($0) == nil }.count)
    }

    func testSuppliersReadAtOnceKeepTheirAdmission() throws {
        for batched in [false, true] {
            try run(bulkAfter: 64, bulkLimit: 100_000, batched: batched)
            try run(bulkAfter: 0, bulkLimit: 100_000, batched: batched)
        }
    }

    func testMoreSuppliersThanTheBulkReadTakesAreLookedUpOneByOne() throws {
        for batched in [false, true] {
            try run(bulkAfter: 10, bulkLimit: 50, batched: batched)
            try run(bulkAfter: 0, bulkLimit: 199, batched: batched)
        }
    }
}
