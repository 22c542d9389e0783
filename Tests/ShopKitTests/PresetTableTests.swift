import Testing

@testable import ShopKit

/// The contract's preset table, row by row, as parameterised Swift Testing cases (the rest of
/// the suite is XCTest; both run under `swift test`).
@Suite("Preset table (SPEC §3)")
struct PresetTableTests {
    @Test("opening fee, credit score, suffix and settlement", arguments: Platform.allCases)
    func basics(_ p: Platform) {
        let r = Rules.preset(p)
        let expected: [Platform: (fee: Int64, score: Int?, suffix: String?, settlement: Settlement, picks: Int)] = [
            .taoxiaopu: (0, 700, "淘小铺", .monthly(day: 20), 1000),
            .yunji: (39_800, nil, nil, .afterDays(7), 0),
            .xiangdian: (0, nil, nil, .afterDays(7), 0),
            .beidian: (0, nil, nil, .afterDays(15), 0),
        ]
        let e = expected[p]!
        #expect(r.openingFee.fen == e.fee)
        #expect(r.minCreditScore == e.score)
        #expect(r.shopNameSuffix == e.suffix)
        #expect(r.settlement == e.settlement)
        #expect(r.maxPicks == e.picks)
        #expect(r.distributionDepth == 1)
    }

    @Test("money text round-trips through fen", arguments: ["0", "0.01", "129.5", "129.50", "¥1234.05", "1000000000"])
    func moneyRoundTrip(_ text: String) throws {
        let m = try Money.parse(text)
        #expect(try Money.parse(m.plainYuan) == m)
    }
}
