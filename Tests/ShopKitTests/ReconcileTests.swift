import Foundation
import XCTest

@testable import ShopKit

/// `reconcile` (SPEC §8): the statement's figures, the merge, the explanations of
/// docs/reconcile.md (its worked examples, figure for figure), and property tests.
final class ReconcileTests: XCTestCase {
    // MARK: - Helpers

    /// November 2026 in Shanghai: the month of the worked examples, with a 5 % level bonus.
    static let paid = try! Instant.parseRFC3339("2026-11-04T12:00:00+08:00")
    static let november = MonthIndex(CivilDate(year: 2026, month: 11, day: 1)!).value

    /// An order as the store holds it: its figures computed by SPEC §5 from the facts.
    static func order(
        _ id: String, amount: Int64, refunded: Int64 = 0, rate: Int, bonus: Int = 0, status: OrderStatus = .paid,
        inPeriod: Bool = true
    ) -> OrderEarnings {
        let net = status == .refunded ? 0 : amount - refunded
        let c = try! roundHalfUp(net, times: Int64(rate), over: 10_000)
        let b = try! roundHalfUp(c, times: Int64(bonus), over: 10_000)
        return OrderEarnings(
            orderID: id, paidAt: paid, amount: Money(fen: amount), refunded: Money(fen: status == .refunded ? amount : refunded),
            status: status, rate: Rate(bp: rate), commission: Money(fen: c), bonus: Money(fen: b), inPeriod: inPeriod)
    }

    static func line(_ id: String, _ yuan: String, _ state: SettlementState? = nil, line: Int = 2) -> StatementEntry {
        StatementEntry(orderID: id, amount: StatementAmount.parse(yuan)!, state: state, line: line)
    }

    static func less(_ a: String, _ b: String) -> Bool { a.utf8.lexicographicallyPrecedes(b.utf8) }

    /// Runs the merge over both sides (sorted here as the store's queries sort them).
    static func reconcile(
        _ ours: [OrderEarnings], _ theirs: [StatementEntry], missing: Bool = false, bonus: [Int: Rate] = [november: Rate(bp: 500)]
    ) throws -> (Reconciliation, [ReconcileDifference]) {
        var o = ours.sorted { less($0.orderID, $1.orderID) }.makeIterator()
        var t = theirs.enumerated().sorted {
            less($0.element.orderID, $1.element.orderID)
                || (!less($1.element.orderID, $0.element.orderID) && $0.element.line < $1.element.line)
        }.map(\.element).makeIterator()
        var all: [ReconcileDifference] = []
        let r = Reconciler(comparesMissing: missing, zone: .shanghai, bonusRates: bonus, sink: { all.append($0) })
        let result = try r.run(ours: { o.next() }, theirs: { t.next() })
        return (result, all)
    }

    static func one(_ ours: OrderEarnings, _ theirs: String, state: SettlementState? = nil) throws -> ReconcileDifference? {
        let (_, d) = try reconcile([ours], [line(ours.orderID, theirs, state)])
        XCTAssertLessThanOrEqual(d.count, 1)
        return d.first
    }

    // MARK: - Statement figures

    func testStatementAmountsReadYuanWithUpToSixDecimals() {
        let cases: [(String, Int64?)] = [
            ("12", 12_000_000), ("12.3", 12_300_000), ("12.34", 12_340_000), ("¥1,234.50", 1_234_500_000), ("￥0.01", 10_000),
            ("18.5175", 18_517_500), ("0.000001", 1), ("-3.20", -3_200_000), ("¥-3.20", -3_200_000), (" 7.00 ", 7_000_000),
            ("1,000,000,000", 1_000_000_000_000_000), ("1.0000001", nil), ("1,000,000,000.01", nil), ("12,34", nil),
            ("1,2345", nil), (".5", nil), ("5.", nil), ("", nil), ("abc", nil), ("1e5", nil), ("--1", nil), ("12.3.4", nil),
            ("1,234,56", nil),
        ]
        for (text, units) in cases {
            XCTAssertEqual(StatementAmount.parse(text)?.units, units, text)
        }
        XCTAssertEqual(StatementAmount.parse("18.5175")!.fen, 1851)
        XCTAssertFalse(StatementAmount.parse("18.5175")!.isWholeFen)
        XCTAssertEqual(StatementAmount.parse("18.5175")!.formatted, "¥18.5175")
        XCTAssertEqual(StatementAmount.parse("1234.5")!.formatted, "¥1,234.50")
        XCTAssertEqual(StatementAmount.parse("-0.005")!.formatted, "-¥0.005")
    }

    func testStatementRowsAndTheirStatusWords() throws {
        let csv = "订单编号,订单状态,预估收入,效果预估,结算时间\nO1,订单结算,31.50,99,2026-12-20 10:00:00\nO2,订单付款,1,2,\nO3,订单失效,0,0,\n"
        var reader = try ImportReader(format: .csv, string: csv, requiredColumns: StatementFeed.columns, map: ImportMap(feed: .statement))
        XCTAssertEqual(reader.columns, ["order_id", "status", "commission", "效果预估", "settled_at"])
        reader.rules = ImportMap(feed: .statement).rules(feed: .statement, zone: .shanghai)
        var entries: [StatementEntry] = []
        while let row = try reader.next() { entries.append(try StatementFeed.parse(row, hasSettledAt: true)) }
        XCTAssertEqual(entries.map(\.orderID), ["O1", "O2", "O3"])
        XCTAssertEqual(entries.map(\.amount.units), [31_500_000, 1_000_000, 0])
        XCTAssertEqual(entries.map(\.state), [.settled, .pending, .invalid])
        XCTAssertEqual(entries.map(\.line), [2, 3, 4])

        // Without a status: settled_at decides (a time: settled; empty: pending); neither column: not said.
        var r2 = try ImportReader(format: .csv, string: "order_id,commission,settled_at\nA,1,2026-12-20T10:00:00+08:00\nB,1,\n")
        r2.rules = ImportMap(feed: .statement).rules(feed: .statement, zone: .shanghai)
        XCTAssertEqual(try StatementFeed.parse(try r2.next()!, hasSettledAt: true).state, .settled)
        XCTAssertEqual(try StatementFeed.parse(try r2.next()!, hasSettledAt: true).state, .pending)
        var r3 = try ImportReader(format: .csv, string: "order_id,commission\nA,1\n")
        XCTAssertNil(try StatementFeed.parse(try r3.next()!, hasSettledAt: false).state)

        // English words, any case, and the order feed's.
        for (word, state) in [
            ("Settled", SettlementState.settled), ("PENDING", .pending), ("invalid", .invalid), ("confirmed", .settled),
            ("shipped", .pending), ("refunded", .invalid), ("交易成功", .settled), ("已发货", .pending), ("交易关闭", .invalid),
        ] {
            var r = try ImportReader(format: .csv, string: "order_id,commission,status\nA,1,\(word)\n")
            r.rules = ImportMap(feed: .statement).rules(feed: .statement, zone: .shanghai)
            XCTAssertEqual(try StatementFeed.parse(try r.next()!, hasSettledAt: false).state, state, word)
        }
    }

    func testBadStatementValuesNameTheColumn() throws {
        let bad: [(String, String)] = [
            ("A,12.3456789,", "commission"), ("A,,", "commission"), ("A,abc,", "commission"), (",1,", "order_id"),
            ("1.23457E+17,1,", "order_id"), ("A,1,someday", "status"),
        ]
        for (row, column) in bad {
            var r = try ImportReader(format: .csv, string: "order_id,commission,status\n\(row)\n")
            r.rules = ImportMap(feed: .statement).rules(feed: .statement, zone: .shanghai)
            XCTAssertThrowsError(try StatementFeed.parse(try r.next()!, hasSettledAt: false), row) { e in
                let p = e as! RowProblem
                XCTAssertEqual(p.code, "bad-value", row)
                XCTAssertTrue(p.message.en.contains("column \(column)"), "\(row): \(p.message.en)")
            }
        }
    }

    func testStatementHeadersOfHighestPreferenceWin() {
        let m = ImportMap(feed: .statement)
        XCTAssertEqual(m.rename(["效果预估", "订单号", "预估收入", "状态"]), ["效果预估", "order_id", "commission", "status"])
        XCTAssertEqual(m.rename(["结算金额", "佣金"]), ["结算金额", "commission"])
        XCTAssertEqual(m.rename(["commission", "佣金"]), ["commission", "佣金"])
        XCTAssertEqual(m.rename(["结算时间"]), ["settled_at"])
        // The orders' table is untouched: 结算时间 is their status_at.
        XCTAssertEqual(ImportMap().rename(["结算时间", "佣金"]), ["status_at", "佣金"])
        for entry in ImportMap.builtinStatementColumns {
            XCTAssertEqual(m.rename([entry.header]), [entry.column], entry.header)
        }
    }

    func testAMapForAStatementKnowsItsColumnsAndWords() throws {
        let map = try ImportMap.parse(
            Array(#"{"columns":{"Net income":"commission","Order":"order_id"},"values":{"status":{"Paid out":"settled"}}}"#.utf8),
            feed: .statement, file: "m.json")
        XCTAssertEqual(map.rename(["Order", "Net income"]), ["order_id", "commission"])
        XCTAssertEqual(map.rules(feed: .statement, zone: nil).statusWords["Paid out"], "settled")
        XCTAssertThrowsError(
            try ImportMap.parse(Array(#"{"columns":{"X":"unit_price"}}"#.utf8), feed: .statement, file: "m.json"))
        XCTAssertThrowsError(
            try ImportMap.parse(Array(#"{"values":{"status":{"X":"paid"}}}"#.utf8), feed: .statement, file: "m.json"))
    }

    // MARK: - The worked examples of docs/reconcile.md

    /// ¥200.00 at 20 %, ¥50.00 refunded, 5 % level bonus: commission ¥30.00 + bonus ¥1.50 = ¥31.50.
    static let example = order("TB1001", amount: 20_000, refunded: 5_000, rate: 2000, bonus: 500, status: .shipped)

    func testWorkedExampleFigures() {
        XCTAssertEqual(Self.example.commission.fen, 3_000)
        XCTAssertEqual(Self.example.bonus.fen, 150)
        XCTAssertEqual(Self.example.earnings, 3_150)
    }

    func testExampleRefundNotReflected() throws {
        let d = try XCTUnwrap(try Self.one(Self.example, "42.00"))
        XCTAssertEqual(d.code, .amount)
        XCTAssertEqual([d.ours, d.theirs, d.diff], [3_150, 4_200, 1_050])
        XCTAssertEqual(d.explanation, .refundNotReflected)
        XCTAssertTrue(d.message.en.hasPrefix("refund not reflected: the statement's ¥42.00"), d.message.en)
        XCTAssertTrue(d.message.zh.hasPrefix("退款未扣除"), d.message.zh)
        // A whole refund (status refunded) earns nothing: the platform still paying is the same rule.
        let refunded = Self.order("TB1002", amount: 20_000, rate: 2000, bonus: 500, status: .refunded)
        let d2 = try XCTUnwrap(try Self.one(refunded, "42.00", state: .settled))
        XCTAssertEqual([d2.ours, d2.theirs, d2.diff], [0, 4_200, 4_200])
        XCTAssertEqual(d2.explanation, .refundNotReflected)
    }

    func testExampleRateDiffers() throws {
        let d = try XCTUnwrap(try Self.one(Self.example, "28.35"))
        XCTAssertEqual([d.ours, d.theirs, d.diff], [3_150, 2_835, -315])
        XCTAssertEqual(d.explanation, .rateDiffers(Rate(bp: 1800)))
        XCTAssertTrue(d.message.en.contains("at 18%"), d.message.en)
        XCTAssertTrue(d.message.en.contains("is 20% (2 percentage points less)"), d.message.en)
        XCTAssertTrue(d.message.zh.contains("低 2 个百分点"), d.message.zh)
    }

    func testExampleBonusLeftOut() throws {
        let d = try XCTUnwrap(try Self.one(Self.example, "30.00"))
        XCTAssertEqual([d.ours, d.theirs, d.diff], [3_150, 3_000, -150])
        XCTAssertEqual(d.explanation, .bonusLeftOut)
        XCTAssertTrue(d.message.en.contains("level bonus of 5% on it is ¥1.50"), d.message.en)
    }

    /// ¥123.45 at 15 %, no bonus: 1851.75 fen, half up ¥18.52.
    static let odd = order("TB2001", amount: 12_345, rate: 1500, status: .confirmed)

    func testExampleRoundedDown() throws {
        XCTAssertEqual(Self.odd.earnings, 1_852)
        let d = try XCTUnwrap(try Self.one(Self.odd, "18.51"))
        XCTAssertEqual([d.ours, d.theirs, d.diff], [1_852, 1_851, -1])
        XCTAssertEqual(d.explanation, .roundedDown)
        XCTAssertTrue(d.message.en.contains("(¥123.45 × 15% = ¥18.5175)"), d.message.en)
        // The bonus rounded down: ¥101.00 at 10 % = ¥10.10, 5 % of it 50.5 fen, half up 51, down 50.
        let b = Self.order("TB2003", amount: 10_100, rate: 1000, bonus: 500)
        XCTAssertEqual(b.earnings, 1_061)
        XCTAssertEqual(try Self.one(b, "10.60")?.explanation, .roundedDown)
    }

    func testExampleUnroundedProduct() throws {
        let d = try XCTUnwrap(try Self.one(Self.odd, "18.5175"))
        XCTAssertEqual([d.ours, d.theirs, d.diff], [1_852, 1_851, -1])
        XCTAssertEqual(d.explanation, .unrounded)
        XCTAssertTrue(d.message.en.contains("unrounded product ¥18.5175"), d.message.en)
        // With a bonus: the commission unrounded plus the store's bonus, or both unrounded.
        let b = Self.order("TB2002", amount: 12_345, rate: 1500, bonus: 500)  // 1852 + 93 = 1945
        XCTAssertEqual(b.earnings, 1_945)
        XCTAssertEqual(try Self.one(b, "19.4475")?.explanation, .unrounded)  // 1851.75 + 93
        XCTAssertEqual(try Self.one(b, "19.443375")?.explanation, .unrounded)  // 1851.75 × 1.05
        XCTAssertEqual(try Self.one(b, "19.4476")?.explanation, ReconcileDifference.Explanation.none)
    }

    func testExampleUnknownMissingAndState() throws {
        let listed = Self.order("TB3001", amount: 10_000, rate: 1000, status: .shipped)
        let missing = Self.order("TB3002", amount: 12_000, rate: 1000)
        let outside = Self.order("TB3003", amount: 12_000, rate: 1000, inPeriod: false)
        let refunded = Self.order("TB3004", amount: 12_000, rate: 1000, status: .refunded)
        let (r, d) = try Self.reconcile(
            [listed, missing, outside, refunded], [Self.line("TB3001", "10.00", .settled), Self.line("TB9999", "5.00", line: 3)],
            missing: true, bonus: [:])
        XCTAssertEqual(d.map(\.code), [.state, .missingOrder, .unknownOrder])
        XCTAssertEqual(d.map(\.orderID), ["TB3001", "TB3002", "TB9999"])
        XCTAssertEqual(d.map(\.ours), [1_000, 1_200, 0])
        XCTAssertEqual(d.map(\.theirs), [1_000, 0, 500])
        XCTAssertEqual(d.map(\.diff), [0, -1_200, 500])
        XCTAssertEqual(d[0].message.en, "line 2: the statement says settled, the store says pending (shipped)")
        XCTAssertEqual(
            d[1].message.en, "the store has this order (paid 2026-11-04, paid, earning ¥12.00) and the statement does not list it")
        XCTAssertEqual(
            d[2].message.en, "line 3: the statement lists this order (¥5.00) but the store has no such order of this shop")
        XCTAssertEqual(r.matched, 0)
        XCTAssertEqual([r.ours, r.theirs, r.diff], [2_200, 1_500, -700])
        XCTAssertEqual(r.counts, [.state: 1, .missingOrder: 1, .unknownOrder: 1])
        // Without a period nothing is missing.
        let (_, d2) = try Self.reconcile([listed, missing], [Self.line("TB3001", "10.00")], bonus: [:])
        XCTAssertEqual(d2.count, 0)
    }

    func testInvalidIsJudgedByTheAmount() throws {
        let pending = Self.order("TB4001", amount: 10_000, rate: 1000)
        let d = try XCTUnwrap(try Self.one(pending, "0", state: .invalid))
        XCTAssertEqual([d.ours, d.theirs, d.diff], [1_000, 0, -1_000])
        XCTAssertEqual(d.explanation, .invalidOnStatement)
        let refunded = Self.order("TB4002", amount: 10_000, rate: 1000, status: .refunded)
        XCTAssertNil(try Self.one(refunded, "0", state: .pending))
        XCTAssertNil(try Self.one(refunded, "0.00", state: .invalid))
        XCTAssertNil(try Self.one(pending, "10", state: .invalid))  // the money agrees; invalid is not a state difference
    }

    func testLinesOfOneOrderAreAddedUp() throws {
        let o = Self.order("TB5001", amount: 20_000, rate: 2000)  // 40.00
        let (r, d) = try Self.reconcile(
            [o], [Self.line("TB5001", "50.00", .pending, line: 2), Self.line("TB5001", "-10.00", .settled, line: 9)], bonus: [:])
        XCTAssertEqual(d.count, 1)
        XCTAssertEqual(d.first?.code, .state)  // 50 − 10 = 40 matches; the last line's state (settled) wins
        XCTAssertEqual(r.lines, 2)
        XCTAssertEqual(r.theirs, 4_000)
    }

    func testIdsAreComparedByTheirBytes() throws {
        // é precomposed (U+00E9) and decomposed (e + U+0301): equal Strings, different orders.
        let composed = Self.order("ORD-\u{E9}", amount: 10_000, rate: 1000)
        let decomposed = Self.order("ORD-e\u{301}", amount: 20_000, rate: 1000)
        let (r, d) = try Self.reconcile(
            [composed, decomposed], [Self.line("ORD-e\u{301}", "20.00"), Self.line("ORD-\u{E9}", "10.00")], bonus: [:])
        XCTAssertEqual(d, [])
        XCTAssertEqual(r.matched, 2)
        let (_, d2) = try Self.reconcile([composed], [Self.line("ORD-e\u{301}", "10.00")], missing: true, bonus: [:])
        XCTAssertEqual(Set(d2.map(\.code)), [.missingOrder, .unknownOrder])
    }

    func testVerdictAndFailure() throws {
        let o = Self.order("A", amount: 100, rate: 1000)
        let (ok, _) = try Self.reconcile([o], [Self.line("A", "0.10")], bonus: [:])
        XCTAssertNil(ok.failure)
        XCTAssertEqual(ok.verdict.en, "All 1 order(s) match: the statement agrees with the store to the fen.")
        let (bad, _) = try Self.reconcile([o], [Self.line("A", "0.20")], bonus: [:])
        XCTAssertEqual(bad.failure?.code, "differences")
        XCTAssertEqual(bad.failure?.kind, .rule)
        XCTAssertTrue(bad.verdict.zh.contains("发现 1 处差异"))
    }

    func testWithoutASinkTheFirstTwentyAreKeptAndEveryOneCounted() throws {
        let orders = (0..<100).map { Self.order(String(format: "O%03d", $0), amount: 10_000, rate: 1000) }
        let lines = (0..<100).map { Self.line(String(format: "O%03d", $0), "9.99", line: $0 + 2) }
        var o = orders.makeIterator()
        var t = lines.makeIterator()
        let r = try Reconciler(comparesMissing: false, zone: .shanghai).run(ours: { o.next() }, theirs: { t.next() })
        XCTAssertEqual(r.differenceCount, 100)
        XCTAssertEqual(r.counts, [.amount: 100])
        XCTAssertEqual(r.shown.map(\.orderID), (0..<20).map { String(format: "O%03d", $0) })
        XCTAssertEqual([r.ours, r.theirs, r.diff], [100_000, 99_900, -100])
        XCTAssertTrue(r.shown.allSatisfy { !$0.message.en.isEmpty })
    }

    func testTotalsPastInt64AreAnErrorNotATrap() {
        let huge = StatementEntry(orderID: "A", amount: StatementAmount(units: Int64.max - 5), state: nil, line: 2)
        let more = StatementEntry(orderID: "A", amount: StatementAmount(units: 10), state: nil, line: 3)
        XCTAssertThrowsError(try Self.reconcile([], [huge, more])) { XCTAssertEqual(($0 as? ShopError)?.code, "totals-overflow") }
    }

    // MARK: - Properties

    /// A random store of `n` orders: ids of several shapes (ASCII, CJK, mixed), refunds, levels.
    static func randomStore(_ g: inout SplitMix64, _ n: Int) -> [OrderEarnings] {
        var ids = Set<String>()
        var out: [OrderEarnings] = []
        let prefixes = ["TB", "订单", "D", "ä", "z", "0"]
        while out.count < n {
            let id = prefixes[g.below(prefixes.count)] + String(g.below(1_000_000))
            guard ids.insert(id).inserted else { continue }
            let amount = Int64(1 + g.below(200_000))
            let status = OrderStatus.allCases[g.below(4)]
            let refunded = g.below(4) == 0 ? Int64(g.below(Int(amount))) : 0
            out.append(
                order(
                    id, amount: amount, refunded: refunded, rate: g.below(3001), bonus: [0, 500, 1000, 1500][g.below(4)],
                    status: status, inPeriod: g.below(5) != 0))
        }
        return out
    }

    static func statement(of orders: [OrderEarnings], _ g: inout SplitMix64) -> [StatementEntry] {
        orders.enumerated().map { i, o in
            let fen = o.earnings
            let yuan = "\(fen / 100).\(fen % 100 < 10 ? "0" : "")\(fen % 100)"
            return line(o.orderID, yuan, g.below(3) == 0 ? nil : o.state, line: i + 2)
        }.shuffled(using: &g)
    }

    func testAStatementMadeFromTheStoreAlwaysMatches() throws {
        var g = SplitMix64(seed: 16)
        for _ in 0..<50 {
            let orders = Self.randomStore(&g, 1 + g.below(300))
            let (r, d) = try Self.reconcile(orders, Self.statement(of: orders, &g), missing: true)
            XCTAssertEqual(d, [])
            XCTAssertEqual(r.matched, orders.count)
            XCTAssertEqual(r.ours, orders.reduce(0) { $0 + $1.earnings })
            XCTAssertEqual(r.theirs, r.ours)
        }
    }

    func testEachPlantedChangeIsFoundOnceWithItsCodeAndExactFen() throws {
        var g = SplitMix64(seed: 1616)
        var planted = 0
        for _ in 0..<60 {
            let orders = Self.randomStore(&g, 20 + g.below(200))
            var lines = Self.statement(of: orders, &g)
            var expected: [String: (ReconcileDifference.Code, Int64, Int64)] = [:]
            for _ in 0..<(1 + g.below(8)) {
                let i = g.below(lines.count)
                let id = lines[i].orderID
                guard expected[id] == nil, let o = orders.first(where: { $0.orderID == id }) else { continue }
                switch g.below(4) {
                case 0:  // amount: another figure
                    var delta = Int64(g.below(20_001)) - 10_000
                    if delta == 0 { delta = 1 }
                    lines[i].amount = StatementAmount(fen: o.earnings + delta)
                    expected[id] = (.amount, o.earnings, o.earnings + delta)
                case 1:  // missing-order: the line left out (only an earning order in the period counts)
                    guard o.inPeriod && o.earnings != 0 else { continue }
                    lines.remove(at: i)
                    expected[id] = (.missingOrder, o.earnings, 0)
                case 2:  // state: settled ↔ pending
                    guard o.state != .invalid else { continue }
                    lines[i].state = o.state == .pending ? .settled : .pending
                    expected[id] = (.state, o.earnings, o.earnings)
                default:  // unknown-order: an order the store does not have
                    let unknown = "X-" + id
                    guard expected[unknown] == nil, !orders.contains(where: { $0.orderID == unknown }) else { continue }
                    let fen = Int64(g.below(10_000))
                    lines.append(Self.line(unknown, "\(fen / 100).\(fen % 100 < 10 ? "0" : "")\(fen % 100)", line: 100_000 + i))
                    expected[unknown] = (.unknownOrder, 0, fen)
                }
            }
            planted += expected.count
            let (r, d) = try Self.reconcile(orders, lines, missing: true)
            XCTAssertEqual(d.count, expected.count, "\(d.map { ($0.orderID, $0.code) })")
            XCTAssertEqual(Set(d.map(\.orderID)).count, d.count)
            for x in d {
                guard let e = expected[x.orderID] else {
                    XCTFail("unplanted difference \(x)")
                    continue
                }
                XCTAssertEqual(x.code, e.0, x.orderID)
                XCTAssertEqual(x.ours, e.1, x.orderID)
                XCTAssertEqual(x.theirs, e.2, x.orderID)
                XCTAssertEqual(x.diff, e.2 - e.1, x.orderID)
            }
            XCTAssertEqual(r.differenceCount, expected.count)
            let kinds = expected.values.map(\.0)
            let unknown = kinds.filter { $0 == .unknownOrder }.count
            let differing = kinds.filter { $0 == .amount || $0 == .state }.count
            XCTAssertEqual(r.matched, lines.count - unknown - differing)
        }
        XCTAssertGreaterThan(planted, 150)
    }

    func testPlantedExplanationsAreTold() throws {
        var g = SplitMix64(seed: 17)
        var told = [String: Int]()
        for o in Self.randomStore(&g, 2_000) where o.state != .invalid && o.net > 0 && o.rate.bp > 0 {
            // The bonus rate the order was given (the smallest that gives its bonus).
            let rates = [500, 1000, 1500]
            let b = Int64(
                o.bonus.fen == 0
                    ? 0 : rates.first { (try? roundHalfUp(o.commission.fen, times: Int64($0), over: 10_000)) == o.bonus.fen } ?? 0)
            let r = Reconciler(comparesMissing: false, zone: .shanghai, bonusRates: [Self.november: Rate(bp: Int(b))])
            if o.bonus.fen != 0 {
                let why = r.explain(o, theirs: StatementAmount(fen: o.commission.fen), state: nil)
                if o.refunded.fen == 0 { XCTAssertEqual(why, .bonusLeftOut, o.orderID) }
                told["bonus", default: 0] += why == .bonusLeftOut ? 1 : 0
            }
            if o.refunded.fen > 0 {
                let before = Self.order(o.orderID, amount: o.amount.fen, rate: o.rate.bp, bonus: Int(b)).earnings
                if before != o.earnings {
                    XCTAssertEqual(r.explain(o, theirs: StatementAmount(fen: before), state: nil), .refundNotReflected, o.orderID)
                    told["refund", default: 0] += 1
                }
            }
            let product = o.net * Int64(o.rate.bp)
            if product % 10_000 != 0 && b == 0 {
                XCTAssertEqual(r.explain(o, theirs: StatementAmount(units: product), state: nil), .unrounded, o.orderID)
                told["unrounded", default: 0] += 1
            }
        }
        XCTAssertGreaterThan(told["bonus"] ?? 0, 50)
        XCTAssertGreaterThan(told["refund"] ?? 0, 50)
        XCTAssertGreaterThan(told["unrounded"] ?? 0, 50)
    }
}
