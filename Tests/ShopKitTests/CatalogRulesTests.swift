import XCTest

@testable import ShopKit

final class CatalogRulesTests: XCTestCase {
    let tao = CatalogRules(Rules.preset(.taoxiaopu))
    let yunji = CatalogRules(Rules.preset(.yunji))

    func supplier(capital: Int64 = 100_000_000, taxpayer: Bool = true, deposit: Int64 = 1_000_000, chain: Int = 3) -> Supplier {
        Supplier(
            supplierID: "SP", name: "x", registeredCapital: Money(fen: capital), generalTaxpayer: taxpayer, deposit: Money(fen: deposit),
            authChainLevels: chain)
    }

    func testSupplierAdmissionAtItsBoundaries() {
        XCTAssertNil(refusalCode { try tao.admit(supplier()) }, "capital exactly ¥1,000,000, deposit exactly ¥10,000, 3 levels")
        XCTAssertEqual(refusalCode { try tao.admit(supplier(capital: 99_999_999)) }, "supplier-admission")
        XCTAssertEqual(refusalCode { try tao.admit(supplier(taxpayer: false)) }, "supplier-admission")
        XCTAssertEqual(refusalCode { try tao.admit(supplier(deposit: 999_999)) }, "supplier-admission")
        XCTAssertEqual(refusalCode { try tao.admit(supplier(chain: 4)) }, "supplier-admission")
        // Platforms without admission rules admit anyone.
        XCTAssertNil(refusalCode { try yunji.admit(supplier(capital: 0, taxpayer: false, deposit: 0, chain: 9)) })
    }

    func product(rate: Int = 1000, market: Int? = nil, price: Int64 = 10_000, other: Int64? = nil, category: String = "食品保健") -> Product {
        Product(
            productID: "P", supplierID: "SP", title: "t", brand: "b", category: category, price: Money(fen: price),
            commissionRate: Rate(bp: rate), stock: 1, status: .on, marketCommissionRate: market.map { Rate(bp: $0) },
            otherPlatformPrice: other.map { Money(fen: $0) })
    }

    func testProductRules() {
        func check(_ r: CatalogRules, _ p: Product, known: Bool = true, admitted: Bool = true) -> String? {
            refusalCode { try r.check(p, supplierKnown: known, supplierAdmitted: admitted) }
        }
        XCTAssertNil(check(tao, product()))
        XCTAssertEqual(check(tao, product(), known: false), "unknown-supplier")
        XCTAssertEqual(check(tao, product(), admitted: false), "supplier-admission")
        XCTAssertEqual(check(tao, product(category: "图书")), "category")
        XCTAssertEqual(check(tao, product(rate: 999, market: 1000)), "commission-below-market")
        XCTAssertNil(check(tao, product(rate: 1000, market: 1000)), "equal to market passes")
        XCTAssertEqual(check(tao, product(price: 10_001, other: 10_000)), "price-parity")
        XCTAssertNil(check(tao, product(price: 10_000, other: 10_000)), "equal price passes")
        // 云集 has neither floor nor parity.
        XCTAssertNil(check(yunji, product(rate: 1, market: 1000, price: 99_999, other: 1)))
    }

    /// A category is found by its bytes first, and by canonical equivalence (as `String`
    /// compares) when no category has its bytes: the same categories pass as before.
    func testCategoryIsComparedAsTextWhenItsBytesDiffer() {
        var rules = Rules.preset(.yunji)
        rules.categories = ["美妆个护", "Caf\u{E9}"]
        let c = CatalogRules(rules)
        XCTAssertTrue(c.isCategory("美妆个护"))
        XCTAssertTrue(c.isCategory("Caf\u{E9}"), "the same bytes")
        XCTAssertTrue(c.isCategory("Cafe\u{301}"), "other bytes, the same text (decomposed é)")
        XCTAssertFalse(c.isCategory("Cafe"))
        XCTAssertFalse(c.isCategory("美妆"), "a prefix")
        XCTAssertFalse(c.isCategory("美妆个护 "))
        XCTAssertFalse(c.isCategory(""))
        XCTAssertNil(refusalCode { try c.check(self.product(category: "Cafe\u{301}"), supplierKnown: true, supplierAdmitted: true) })
        XCTAssertEqual(refusalCode { try c.check(self.product(category: "食品保健"), supplierKnown: true, supplierAdmitted: true) }, "category")
    }

    func testAvailabilityWindow() {
        let start = Instant(seconds: 1000)
        let end = Instant(seconds: 2000)
        var p = product()
        p.saleStart = start
        p.saleEnd = end
        XCTAssertFalse(p.isAvailable(at: Instant(seconds: 999)))
        XCTAssertTrue(p.isAvailable(at: start), "start is inclusive")
        XCTAssertTrue(p.isAvailable(at: Instant(seconds: 1999)))
        XCTAssertFalse(p.isAvailable(at: end), "end is exclusive")
        p.saleStart = nil
        p.saleEnd = nil
        XCTAssertTrue(p.isAvailable(at: end))
        p.stock = 0
        XCTAssertFalse(p.isAvailable(at: end))
        p.stock = 1
        p.status = .off
        XCTAssertFalse(p.isAvailable(at: end))
    }

    func testCommissionPerUnitRoundsHalfUp() {
        XCTAssertEqual(product(rate: 1500, price: 5990).commissionPerUnit.fen, 899)  // 898.5
        XCTAssertEqual(product(rate: 1250, price: 8900).commissionPerUnit.fen, 1113)  // 1112.5
        XCTAssertEqual(product(rate: 1000, price: 4).commissionPerUnit.fen, 0)
    }
}

final class CatalogFeedTests: XCTestCase {
    func row(_ values: [String: String?], line: Int = 2) -> ImportRow { ImportRow(line: line, values: values) }

    let good: [String: String?] = [
        "product_id": "P1", "supplier_id": "SP1", "title": "龙井", "brand": "西湖", "category": "食品保健", "price": "¥129.50",
        "commission_rate": "20%", "stock": "10", "status": "on",
    ]

    func problem(_ change: [String: String?]) -> RowProblem? {
        var v = good
        for (k, x) in change { v[k] = x }
        do {
            _ = try CatalogFeed.product(row(v))
            return nil
        } catch {
            return error
        }
    }

    func testParsesAProductRow() throws {
        var v = good
        v["tags"] = "high-margin; low-trial-cost;high-margin"
        v["sale_start"] = "2026-11-01T00:00:00+08:00"
        v["market_commission_rate"] = ""
        let p = try CatalogFeed.product(row(v))
        XCTAssertEqual(p.price.fen, 12_950)
        XCTAssertEqual(p.commissionRate.bp, 2000)
        XCTAssertEqual(p.tags, [.highMargin, .lowTrialCost])
        XCTAssertNil(p.marketCommissionRate)
        XCTAssertEqual(p.saleStart, try Instant.parseRFC3339("2026-10-31T16:00:00Z"))
    }

    func testBadValuesNameTheColumn() {
        let cases: [(String, String?)] = [
            ("price", "19.999"), ("price", "-1"), ("price", "0"), ("price", ""), ("commission_rate", "120"), ("stock", "-3"),
            ("stock", "1.5"), ("status", "maybe"), ("title", ""), ("product_id", "has space"), ("tags", "cheap"),
            ("sale_start", "2026-11-01T00:00:00"), ("other_platform_price", "abc"),
        ]
        for (column, value) in cases {
            let p = problem([column: value])
            XCTAssertEqual(p?.code, "bad-value", "\(column)=\(value ?? "nil")")
            XCTAssertTrue(p?.message.en.contains(column) ?? false, "\(column): \(p?.message.en ?? "")")
        }
        XCTAssertEqual(problem(["sale_start": "2026-11-02T00:00:00Z", "sale_end": "2026-11-01T00:00:00Z"])?.code, "bad-value")
    }

    /// The parser's reason follows the value whole, even when the value holds colons (times always do).
    func testBadValueMessagesQuoteTheValueOnceAndGiveTheReason() {
        let cases: [(String, String, String, String)] = [
            ("sale_start", "2026-02-30T00:00:00+08:00", "no such date or time", "日期或时间不存在"),
            ("sale_start", "2026-11-01T24:00:00+08:00", "no such date or time", "日期或时间不存在"),
            ("sale_end", "2026-11-01T10:00:00", "a time zone is required (Z or +08:00)", "必须带时区（Z 或 +08:00）"),
            ("price", "12:30", "expected yuan like 129 or 129.50", "应为以元计的数字，如 129 或 129.50"),
            ("price", "1.2：3", "expected yuan like 129 or 129.50", "应为以元计的数字，如 129 或 129.50"),
            ("commission_rate", "1:5%", "expected a percentage like 20 or 12.5%", "应为百分比，如 20 或 12.5%"),
        ]
        for (column, value, en, zh) in cases {
            let p = problem([column: value])
            XCTAssertEqual(p?.message.en, "column \(column): '\(value)' \(en)")
            XCTAssertEqual(p?.message.zh, "列 \(column)：'\(value)' \(zh)")
        }
    }

    func testSupplierRow() throws {
        let s = try CatalogFeed.supplier(
            row([
                "supplier_id": "SP1", "name": "茶业", "registered_capital": "1000000", "general_taxpayer": "TRUE", "deposit": "10000.00",
                "auth_chain_levels": "3",
            ]))
        XCTAssertEqual(s.registeredCapital.fen, 100_000_000)
        XCTAssertTrue(s.generalTaxpayer)
        XCTAssertThrowsError(
            try CatalogFeed.supplier(
                row([
                    "supplier_id": "SP1", "name": "茶业", "registered_capital": "1000000", "general_taxpayer": "yes", "deposit": "1",
                    "auth_chain_levels": "3",
                ])))
    }
}

final class PickRulesTests: XCTestCase {
    let tao = PickRules(Rules.preset(.taoxiaopu))

    func testTheThousandthPickPassesAndTheThousandAndFirstIsRefused() throws {
        XCTAssertEqual(try tao.checkAdd(["P1000"], alreadyPicked: [], currentCount: 999, unavailable: []), ["P1000"])
        XCTAssertThrowsError(try tao.checkAdd(["P1001"], alreadyPicked: [], currentCount: 1000, unavailable: [])) { e in
            XCTAssertEqual((e as? ShopError)?.code, "pick-limit")
        }
        XCTAssertThrowsError(try tao.checkAdd(["A", "B"], alreadyPicked: [], currentCount: 999, unavailable: []))
        // Already picked ones and duplicates do not count.
        XCTAssertEqual(try tao.checkAdd(["A", "A", "B"], alreadyPicked: ["B"], currentCount: 999, unavailable: []), ["A"])
        XCTAssertEqual(try tao.checkAdd(["B"], alreadyPicked: ["B"], currentCount: 1000, unavailable: []), [])
        // No limit on the other presets.
        XCTAssertEqual(
            try PickRules(Rules.preset(.yunji)).checkAdd(["X"], alreadyPicked: [], currentCount: 50_000, unavailable: []), ["X"])
    }

    func testUnavailableRefusesTheWholeCall() {
        XCTAssertThrowsError(try tao.checkAdd(["A", "B"], alreadyPicked: [], currentCount: 0, unavailable: ["B"])) { e in
            XCTAssertEqual((e as? ShopError)?.code, "product-unavailable")
        }
    }

    func testReasonLength() {
        XCTAssertNoThrow(try PickRules.checkReason(String(repeating: "好", count: 200)))
        XCTAssertThrowsError(try PickRules.checkReason(String(repeating: "好", count: 201)))
        XCTAssertThrowsError(try PickRules.checkReason("a\u{0007}b"))
        XCTAssertNoThrow(try PickRules.checkReason("第一行\n第二行"))
    }

    func testSuggestScore() {
        XCTAssertEqual(
            SuggestScore.score(tags: [.highMargin, .lowTrialCost], commissionPerUnit: Money(fen: 3000), categoryUnits: 30, shopUnits: 100),
            71)
        XCTAssertEqual(
            SuggestScore.score(tags: ProductTag.allCases, commissionPerUnit: Money(fen: 100_000), categoryUnits: 5, shopUnits: 5), 190)
        XCTAssertEqual(SuggestScore.score(tags: [], commissionPerUnit: Money(fen: 249), categoryUnits: 0, shopUnits: 0), 0)
        XCTAssertEqual(SuggestScore.score(tags: [], commissionPerUnit: Money(fen: 250), categoryUnits: 0, shopUnits: 0), 1)
    }
}

/// The byte-level checks of import fields agree with their definitions on every kind of text.
final class RowFieldsCheckTests: XCTestCase {
    func testControlCharactersByteByByteMatchTheScalarDefinition() {
        let samples = [
            "绿茶", "tab\tok", "line\nok", "bell\u{7}", "del\u{7F}", "c1\u{85}", "c1\u{9F}end", "é is fine", "\u{A0}nbsp",
            "Ā", "\u{80}", "¥129", "😀", "\u{2028}",
        ]
        for s in samples {
            let byScalars =
                s.unicodeScalars.contains { ($0.value < 0x20 && $0.value != 0x0A && $0.value != 0x09) || $0.value == 0x7F }
                || s.unicodeScalars.contains { (0x80...0x9F).contains($0.value) }
            XCTAssertEqual(RowFields.hasControlCharacter(s), byScalars, s.debugDescription)
        }
    }

    func testIDTextAcceptsPrintableAndRefusesSpacesAndControls() {
        for ok in ["P000190", "O-2026-11-21_001", "商品1", "😀x"] { XCTAssertTrue(RowFields.isIDText(ok), ok) }
        for bad in ["P 1", "P\t1", "P\u{7F}", "商品\u{3000}1", "P\u{85}", "P\u{A0}1", "\u{2028}"] {
            XCTAssertFalse(RowFields.isIDText(bad), bad.debugDescription)
        }
    }

    func testByteLevelCaseAndSpacesMatchTheStringDefinitions() {
        for s in ["paid", "PAID", "Paid", "on", "ÄB", "ﬀ", "", "tRuE", "已付款"] {
            XCTAssertEqual(s.asciiLowercased, s.lowercased(), s)
        }
        for s in ["", " ", "\t", " a", "a ", "\t a b \t", "茶 ", " 茶", "a", "  \t  "] {
            XCTAssertEqual(
                s.trimmingSpaces(), String(s.drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" }.reversed()),
                s.debugDescription)
        }
        // A description is measured in characters when its bytes could be too many.
        func row(_ d: String) -> ImportRow {
            ImportRow(
                line: 2,
                values: [
                    "product_id": "P1", "supplier_id": "SP1", "title": "t", "brand": "b", "category": "食品保健", "price": "1",
                    "commission_rate": "10", "stock": "1", "status": "ON", "description": d,
                ])
        }
        XCTAssertNoThrow(try CatalogFeed.product(row(String(repeating: "茶", count: 2000))))
        XCTAssertThrowsError(try CatalogFeed.product(row(String(repeating: "茶", count: 2001))))
        XCTAssertThrowsError(try CatalogFeed.product(row(String(repeating: "a", count: 2001))))
    }

    /// Lengths count characters, not bytes: 200 Chinese characters (600 bytes) are allowed, 201 are not.
    func testTextLengthCountsCharacters() throws {
        func row(_ title: String) -> ImportRow { ImportRow(line: 2, values: ["title": title]) }
        XCTAssertNoThrow(try RowFields(row(String(repeating: "茶", count: 200))).text("title"))
        XCTAssertThrowsError(try RowFields(row(String(repeating: "茶", count: 201))).text("title"))
        XCTAssertNoThrow(try RowFields(row(String(repeating: "a", count: 200))).text("title"))
        XCTAssertThrowsError(try RowFields(row(String(repeating: "a", count: 201))).text("title"))
    }
}
