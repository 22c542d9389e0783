import XCTest

@testable import ShopKit

final class MoneyTests: XCTestCase {
    func testParsesYuanForms() throws {
        XCTAssertEqual(try Money.parse("129").fen, 12_900)
        XCTAssertEqual(try Money.parse("129.5").fen, 12_950)
        XCTAssertEqual(try Money.parse("129.50").fen, 12_950)
        XCTAssertEqual(try Money.parse("¥129.05").fen, 12_905)
        XCTAssertEqual(try Money.parse("￥0.01").fen, 1)
        XCTAssertEqual(try Money.parse(" 7 ").fen, 700)
        XCTAssertEqual(try Money.parse("0").fen, 0)
        XCTAssertEqual(try Money.parse("007.10").fen, 710)
    }

    func testRejectsThreeDecimalsAndGarbage() {
        for bad in ["129.505", "1.001", "", "¥", "abc", "1,000", "1e3", "12.", ".5", "1.2.3", "NaN", "+5", "0x10", "１２"] {
            XCTAssertThrowsError(try Money.parse(bad), bad) { e in
                XCTAssertEqual((e as? ShopError)?.code, "bad-amount", bad)
            }
        }
    }

    /// Each refusal names the text and why, in both languages; spaces and tabs around an
    /// amount are dropped, nothing else is.
    func testEachRefusalSaysWhy() throws {
        let reasons: [(String, String, String)] = [
            ("-5", "must not be negative", "不能为负数"),
            ("¥-5", "must not be negative", "不能为负数"),
            ("12a", "expected yuan like 129 or 129.50", "应为以元计的数字"),
            (".5", "expected yuan like 129 or 129.50", "应为以元计的数字"),
            ("1.2.3", "expected yuan like 129 or 129.50", "应为以元计的数字"),
            ("-¥-5", "expected yuan like 129 or 129.50", "应为以元计的数字"),
            (" ", "expected yuan like 129 or 129.50", "应为以元计的数字"),
            ("1.005", "at most 2 decimals (fen)", "最多两位小数（分）"),
            ("1000000000.01", "at most 1,000,000,000 yuan", "不能超过 1,000,000,000 元"),
            ("99999999999999999999999", "at most 1,000,000,000 yuan", "不能超过 1,000,000,000 元"),
            ("12.", "expected digits after the decimal point", "小数点后应有数字"),
            ("1\n", "expected yuan like 129 or 129.50", "应为以元计的数字"),
        ]
        for (text, en, zh) in reasons {
            let allowNegative = text.hasPrefix("-¥-")
            XCTAssertThrowsError(try Money.parse(text, allowNegative: allowNegative), text) { e in
                let error = e as? ShopError
                XCTAssertEqual(error?.code, "bad-amount", text)
                XCTAssertEqual(error?.message.en, "invalid amount '\(text)': \(en)", text)
                XCTAssertTrue(error?.message.zh.hasPrefix("金额 '\(text)' 无效：\(zh)") ?? false, text)
            }
        }
        XCTAssertEqual(try Money.parse("\t12.5 \t").fen, 1_250)
        XCTAssertEqual(try Money.parse(" ¥5\t").fen, 500)
        XCTAssertEqual(try Money.parse("\t-¥3", allowNegative: true).fen, -300)
    }

    func testNegativeOnlyWhenAllowed() throws {
        XCTAssertThrowsError(try Money.parse("-5"))
        XCTAssertThrowsError(try Money.parse("¥-5"))
        XCTAssertEqual(try Money.parse("-5.25", allowNegative: true).fen, -525)
        XCTAssertEqual(try Money.parse("-¥5", allowNegative: true).fen, -500)
    }

    func testUpperBound() throws {
        XCTAssertEqual(try Money.parse("1000000000").fen, 100_000_000_000)
        XCTAssertEqual(try Money.parse("1000000000.00").fen, 100_000_000_000)
        XCTAssertThrowsError(try Money.parse("1000000000.01"))
        XCTAssertThrowsError(try Money.parse("99999999999999999999999"))
    }

    func testFormatting() {
        XCTAssertEqual(Money(fen: 123_450).formatted, "¥1,234.50")
        XCTAssertEqual(Money(fen: 0).formatted, "¥0.00")
        XCTAssertEqual(Money(fen: 5).formatted, "¥0.05")
        XCTAssertEqual(Money(fen: 100_000_000_000).formatted, "¥1,000,000,000.00")
        XCTAssertEqual(Money(fen: -1_200).formatted, "-¥12.00")
        XCTAssertEqual(Money(fen: 99_999).formatted, "¥999.99")
        XCTAssertEqual(Money(fen: 100_000).formatted, "¥1,000.00")
        XCTAssertEqual(Money(fen: 123_450).plainYuan, "1234.50")
        XCTAssertEqual(Money(fen: Int64.min).formatted.hasPrefix("-¥"), true)
    }

    func testRoundHalfUpAtExactHalves() throws {
        // 25 fen × 10% = 2.5 fen → 3
        XCTAssertEqual(try roundHalfUp(25, times: 1000, over: 10_000), 3)
        // 24 fen × 10% = 2.4 → 2 ; 26 → 2.6 → 3
        XCTAssertEqual(try roundHalfUp(24, times: 1000, over: 10_000), 2)
        XCTAssertEqual(try roundHalfUp(26, times: 1000, over: 10_000), 3)
        // 4.9999 → 4 : 49999 × 1 / 10000
        XCTAssertEqual(try roundHalfUp(49_999, times: 1, over: 10_000), 5)
        XCTAssertEqual(try roundHalfUp(44_999, times: 1, over: 10_000), 4)
        XCTAssertEqual(try roundHalfUp(45_000, times: 1, over: 10_000), 5)
        XCTAssertEqual(try roundHalfUp(0, times: 1234, over: 10_000), 0)
        XCTAssertEqual(try roundHalfUp(-25, times: 1000, over: 10_000), -3)
        // ¥129.50 at 12.5% = 1618.75 fen → 1619
        XCTAssertEqual(try Money(fen: 12_950).applying(Rate(bp: 1250)).fen, 1619)
        // ¥0.05 at 10% = 0.5 fen → 1
        XCTAssertEqual(try Money(fen: 5).applying(Rate(bp: 1000)).fen, 1)
        // ¥0.04 at 10% = 0.4 fen → 0
        XCTAssertEqual(try Money(fen: 4).applying(Rate(bp: 1000)).fen, 0)
    }

    func testOverflowIsCheckedNotTrapped() {
        XCTAssertThrowsError(try Money(fen: Int64.max).adding(Money(fen: 1)))
        XCTAssertThrowsError(try Money(fen: Int64.min).subtracting(Money(fen: 1)))
        XCTAssertThrowsError(try Money(fen: Int64.max / 2).multiplied(by: 3))
        XCTAssertThrowsError(try roundHalfUp(Int64.max, times: 2, over: 3))
        XCTAssertEqual(try Money(fen: 100_000_000_000).multiplied(by: 1000).fen, 100_000_000_000_000)
        // The largest amount at 100% still fits: 1e11 fen × 10000 bp.
        XCTAssertEqual(try Money.maxInput.applying(Rate(bp: 10_000)), Money.maxInput)
    }
}

final class RateTests: XCTestCase {
    func testParsesPercentForms() throws {
        XCTAssertEqual(try Rate.parse("20").bp, 2000)
        XCTAssertEqual(try Rate.parse("20%").bp, 2000)
        XCTAssertEqual(try Rate.parse("12.5%").bp, 1250)
        XCTAssertEqual(try Rate.parse("0.25").bp, 25)
        XCTAssertEqual(try Rate.parse("100").bp, 10_000)
        XCTAssertEqual(try Rate.parse("0").bp, 0)
        XCTAssertEqual(try Rate.parse(" 7.05 % ").bp, 705)
    }

    func testRejectsOutOfRangeAndThreeDecimals() {
        for bad in ["100.01", "101", "-1", "12.345", "", "%", "abc", "1e2", "12.", "1000"] {
            XCTAssertThrowsError(try Rate.parse(bad), bad) { e in
                XCTAssertEqual((e as? ShopError)?.code, "bad-rate", bad)
            }
        }
    }

    func testPercentText() {
        XCTAssertEqual(Rate(bp: 2000).percentText, "20%")
        XCTAssertEqual(Rate(bp: 1250).percentText, "12.5%")
        XCTAssertEqual(Rate(bp: 705).percentText, "7.05%")
        XCTAssertEqual(Rate(bp: 5).percentText, "0.05%")
    }
}
