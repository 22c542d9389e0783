import Foundation
import FuzzSupport
import XCTest

@testable import ShopKit

/// Seeded mutation fuzzing of what `reconcile` reads (the loop of `FuzzSupport`; replay with
/// `SHOPCTL_FUZZ_SEED`). Invariants: `StatementAmount.parse` accepts exactly the text of its
/// grammar (an oracle below) with its value; a mutated statement, read, parsed and merged against
/// a fixed store, never traps, fails only with a `RowProblem` or a `ShopError` naming a line, and
/// its totals are the sums of its parts.
final class ReconcileFuzzTests: XCTestCase {
    /// `^-?[¥￥]?-?(\d{1,3}(,\d{3})+|\d+)(\.\d{1,6})?$` (one `-` at most), ≤ 1,000,000,000 yuan.
    static func oracle(_ text: String) -> Int64? {
        var t = text
        while let f = t.first, f == " " || f == "\t" { t.removeFirst() }
        while let l = t.last, l == " " || l == "\t" { t.removeLast() }
        let pattern = #"^(-?)[¥￥]?(-?)((?:[0-9]{1,3}(?:,[0-9]{3})+)|[0-9]+)(?:\.([0-9]{1,6}))?\z"#
        let regex = try! NSRegularExpression(pattern: pattern)
        let range = NSRange(t.startIndex..., in: t)
        guard let m = regex.firstMatch(in: t, range: range) else { return nil }
        func group(_ i: Int) -> String {
            guard let r = Range(m.range(at: i), in: t) else { return "" }
            return String(t[r])
        }
        if !group(1).isEmpty && !group(2).isEmpty { return nil }
        let whole = group(3).replacingOccurrences(of: ",", with: "")
        let digits = whole.drop { $0 == "0" }
        guard digits.count <= 10, let w = Int64(digits.isEmpty ? "0" : String(digits)), w <= 1_000_000_000 else { return nil }
        let fraction = group(4) + String(repeating: "0", count: 6 - group(4).count)
        let units = w * 1_000_000 + Int64(fraction)!
        guard units <= 1_000_000_000_000_000 else { return nil }
        return group(1).isEmpty && group(2).isEmpty ? units : -units
    }

    func testStatementAmountsMatchTheirGrammar() {
        let samples = ["12.34", "¥1,234.567891", "-￥0.5", "1,000,000,000", "007", " 3.000001\t", "¥-12"].map { Array($0.utf8) }
        let edges = ["1,0000", "1,000.", ",1", "1.1234567", "1000000000.000001", "--1", "¥¥1", "-¥-1", "1 000"].map { Array($0.utf8) }
        var accepted = 0
        fuzz("statement-amount", share: 0.03, samples: samples, edges: edges, alphabet: ["1", "0", "9", ",", ".", "-", "¥", "￥", " "]) {
            input, _, report in
            let text = String(decoding: input, as: UTF8.self)
            let got = StatementAmount.parse(text)?.units
            let want = Self.oracle(text)
            if got != want { report("parse \(text.debugDescription): \(String(describing: got)), oracle \(String(describing: want))") }
            if got != nil { accepted += 1 }
        }
        XCTAssertGreaterThan(accepted, 20)
    }

    static let store: [OrderEarnings] = (0..<40).map { i in
        let amount = Int64(1_000 + i * 137)
        let c = (amount * 1500 + 5000) / 10000
        return OrderEarnings(
            orderID: String(format: "O%03d", i), paidAt: Instant(seconds: 1_793_000_000 + Int64(i) * 3600), amount: Money(fen: amount),
            refunded: .zero, status: [.paid, .shipped, .confirmed, .refunded][i % 4], rate: Rate(bp: 1500),
            commission: Money(fen: i % 4 == 3 ? 0 : c), bonus: .zero, inPeriod: i % 3 != 0)
    }

    func testMutatedStatementsNeverTrap() {
        var sample = "order_id,commission,status,settled_at\n"
        for o in Self.store.prefix(12) {
            sample += "\(o.orderID),\(Money(fen: o.earnings).plainYuan),\(o.state.rawValue),\n"
        }
        sample += "X1,¥1,234.5,订单结算,2026-11-20 10:00:00\nO005,-0.01,,\n"
        var merged = 0
        fuzz("statement-file", share: 0.05, samples: [Array(sample.utf8)], edges: [Array("订单编号,预估收入\nO001,1\n".utf8)]) {
            input, rng, report in
            do {
                var reader = try ImportReader(
                    format: .csv, bytes: input, requiredColumns: StatementFeed.columns, map: ImportMap(feed: .statement))
                reader.rules = ImportMap(feed: .statement).rules(feed: .statement, zone: .shanghai)
                var entries: [StatementEntry] = []
                while let row = try reader.next() {
                    if let p = row.rowError {
                        if !p.message.en.hasPrefix("line \(row.line)") { report("row error without its line: \(p.message.en)") }
                        return
                    }
                    entries.append(try StatementFeed.parse(row, hasSettledAt: row.has("settled_at")))
                }
                entries.sort {
                    Reconciler.order($0.orderID, $1.orderID) < 0 || (Reconciler.order($0.orderID, $1.orderID) == 0 && $0.line < $1.line)
                }
                var o = Self.store.makeIterator()
                var t = entries.makeIterator()
                var all: [ReconcileDifference] = []
                let r = Reconciler(
                    comparesMissing: rng.chance(0.5), zone: .shanghai, bonusRates: [:], sink: { all.append($0) }
                )
                let result = try r.run(ours: { o.next() }, theirs: { t.next() })
                merged += 1
                if result.differenceCount != all.count { report("count \(result.differenceCount) ≠ \(all.count) differences") }
                if result.lines != entries.count { report("lines \(result.lines) ≠ \(entries.count)") }
                let theirs = all.filter { $0.code == .unknownOrder }.reduce(Int64(0)) { $0 + $1.theirs }
                if theirs > result.theirs && theirs > 0 && result.theirs >= 0 && entries.allSatisfy({ $0.amount.units >= 0 }) {
                    report("unknown orders' figures \(theirs) exceed the statement's total \(result.theirs)")
                }
                for d in all where d.diff != d.theirs - d.ours || d.message.en.isEmpty || d.message.zh.isEmpty {
                    report("difference \(d)")
                }
            } catch let e as ShopError {
                if e.message.en.isEmpty { report("an error without a message: \(e.code)") }
            } catch let p as RowProblem {
                if p.code != "bad-value" { report("row problem \(p.code)") }
            } catch {
                report("unexpected error \(error)")
            }
        }
        XCTAssertGreaterThan(merged, 10)
    }
}
