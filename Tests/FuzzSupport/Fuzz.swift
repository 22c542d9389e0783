import Foundation
import XCTest

/// The seeded mutation fuzzing loop shared by the fuzz tests of CodecsTests and ShopKitTests: its
/// configuration, random source, mutator, the samples of the text formats, and the invariants
/// every reader keeps. See `FuzzTests` (CodecsTests) for what is fuzzed and how to replay a run.

/// Reports one broken invariant of the current input.
public typealias FuzzReport = (String) -> Void

extension XCTestCase {
    /// Feeds mutated samples (or, with `alphabet`, half of the time random strings of it) to `body`
    /// until this target's share of the budget or the iteration cap is spent.
    /// `edges` are fed first, as they are: inputs known to reach every branch the coverage asks for.
    public func fuzz(
        _ target: String, share: Double, samples: [[UInt8]], edges: [[UInt8]] = [], alphabet: [String] = [],
        file: StaticString = #filePath, line: UInt = #line,
        _ body: (_ input: [UInt8], _ rng: inout FuzzRandom, _ report: FuzzReport) -> Void
    ) {
        let seeds = samples + edges
        let pool = seeds
        let config = FuzzConfig.current
        let seconds = config.seconds * share
        print(
            "FuzzTests[\(target)]: seed \(config.seed), \(String(format: "%.1f", seconds)) s, at most \(config.iterations) inputs "
                + "(replay: SHOPCTL_FUZZ_SEED=\(config.seed))")
        let start = Date()
        let targetSeed = config.seed ^ FuzzRandom.hash(target)
        var failures = 0
        var count = 0
        let minimum = max(seeds.count, FuzzConfig.minimumIterations)
        while count < max(config.iterations, seeds.count), count < minimum || Date().timeIntervalSince(start) < seconds {
            var rng = FuzzRandom(seed: targetSeed &+ UInt64(count) &* 0xD1B5_4A32_D192_ED03)
            let input: [UInt8]
            if count < seeds.count {
                input = seeds[count]
            } else if !alphabet.isEmpty, rng.chance(0.5) {
                input = Array((0..<rng.int(0...14)).map { _ in rng.pick(alphabet) }.joined().utf8)
            } else {
                let sample = rng.pick(pool)
                input = rng.chance(0.05) ? sample : Mutator.mutate(sample, &rng, splice: pool)
            }
            let index = count
            body(input, &rng) { problem in
                failures += 1
                guard failures <= 5 else { return }
                XCTFail(
                    "\(target) input #\(index) (SHOPCTL_FUZZ_SEED=\(config.seed)): \(problem)\n  input: \(FuzzRandom.show(input))",
                    file: file, line: line)
            }
            count += 1
            if failures > 5 { break }
        }
        print(
            "FuzzTests[\(target)]: \(count) inputs in \(String(format: "%.2f", Date().timeIntervalSince(start))) s, \(failures) failure(s)")
        if failures == 0 {
            XCTAssertGreaterThanOrEqual(count, min(config.iterations, minimum), "too few inputs to mean anything", file: file, line: line)
        }
    }
}

// MARK: - Invariants

/// What every reader must keep, whatever its error type.
public enum FuzzCheck {
    /// Lines, counted the way the readers count them (LF, CRLF or a lone CR ends a line).
    public static func physicalLines(_ bytes: [UInt8]) -> Int {
        var lines = 1
        for (i, b) in bytes.enumerated() where b == 0x0A || (b == 0x0D && (i + 1 == bytes.count || bytes[i + 1] != 0x0A)) {
            lines += 1
        }
        return lines
    }

    public static func checkLines(_ lines: [Int], in input: [UInt8], _ report: FuzzReport) {
        let last = physicalLines(input)
        if let bad = lines.first(where: { !(1...last).contains($0) }) { report("record on line \(bad) of a \(last)-line input") }
        if zip(lines, lines.dropFirst()).contains(where: { $0 >= $1 }) { report("record lines do not increase: \(lines)") }
    }

    /// A reader's error: of the invalid-input kind, one of `codes`, naming a line of the input in both languages.
    public static func checkReaderError(
        invalidInput: Bool, kind: String, code: String, en: String, zh: String, codes: Set<String>, in input: [UInt8],
        _ report: FuzzReport
    ) {
        if !invalidInput { report("error of kind \(kind): \(code): \(en)") }
        if !codes.contains(code) { report("unexpected code \(code): \(en)") }
        guard let match = en.firstMatch(of: #/line ([0-9]+)/#), let line = Int(match.1) else {
            return report("the message names no line: \(en)")
        }
        if !(1...physicalLines(input)).contains(line) {
            report("line \(line) of a \(physicalLines(input))-line input: \(en)")
        }
        if !zh.contains("第 \(line) 行") { report("the Chinese message names no line \(line): \(zh)") }
    }

    public static func quoted(_ field: String) -> String { "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }
}

/// Proof that the invariants were exercised, not skipped.
public struct FuzzCoverage {
    public var successes = 0
    public var errors: Set<String> = []
    public var rowErrors = 0

    public init() {}

    public func expect(
        _ codes: Set<String>, rowErrors wantRowErrors: Bool = false, file: StaticString = #filePath, line: UInt = #line
    ) {
        XCTAssertGreaterThan(successes, 0, "no input was accepted", file: file, line: line)
        XCTAssertTrue(
            errors.isSuperset(of: codes), "errors seen: \(errors.sorted()), expected all of \(codes.sorted())", file: file, line: line)
        if wantRowErrors { XCTAssertGreaterThan(rowErrors, 0, "no row error seen", file: file, line: line) }
    }
}

// MARK: - Configuration

public struct FuzzConfig: Sendable {
    public let seconds: Double
    public let seed: UInt64
    public let iterations: Int

    /// Every target runs at least this many inputs, however slow the machine.
    public static let minimumIterations = 300

    public static let current: FuzzConfig = {
        let env = ProcessInfo.processInfo.environment
        let seconds = env["SHOPCTL_FUZZ_SECONDS"].flatMap(Double.init).map { max(0.01, $0) } ?? 10
        let seed = env["SHOPCTL_FUZZ_SEED"].flatMap { UInt64($0) } ?? UInt64.random(in: 0...UInt64.max)
        let iterations = env["SHOPCTL_FUZZ_ITERATIONS"].flatMap(Int.init) ?? Int(seconds * 50_000)
        return FuzzConfig(seconds: seconds, seed: seed, iterations: max(1, iterations))
    }()
}

/// SplitMix64: small, fast and the same on every platform.
public struct FuzzRandom: RandomNumberGenerator {
    private var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    public mutating func int(_ range: ClosedRange<Int>) -> Int { Int.random(in: range, using: &self) }
    public mutating func chance(_ p: Double) -> Bool { Double(next() >> 11) / Double(1 << 53) < p }
    public mutating func pick<T>(_ items: [T]) -> T { items[int(0...(items.count - 1))] }

    /// FNV-1a, so that targets get different streams from one seed.
    public static func hash(_ text: String) -> UInt64 {
        text.utf8.reduce(0xCBF2_9CE4_8422_2325) { ($0 ^ UInt64($1)) &* 0x100_0000_01B3 }
    }

    /// Printable ASCII as is, everything else as `\xNN`.
    public static func show(_ bytes: [UInt8]) -> String {
        let shown = bytes.prefix(600).map { b -> String in
            switch b {
            case 0x5C: return "\\\\"
            case 0x20...0x7E: return String(UnicodeScalar(b))
            default: return String(format: "\\x%02X", b)
            }
        }
        return "\"" + shown.joined() + "\"" + (bytes.count > 600 ? "… (\(bytes.count) bytes)" : "")
    }
}

public enum Mutator {
    /// Bytes that matter to the readers: syntax, line ends, NUL, bytes never in UTF-8, byte order
    /// marks, whole and cut multi-byte characters, GBK, surrogates, overlong forms, JSON words.
    static let fragments: [[UInt8]] = {
        let bytes: [[UInt8]] = [
            [0x22], [0x2C], [0x0D], [0x0A], [0x0D, 0x0A], [0x00], [0xFF], [0xFE], [0xFF, 0xFE], [0xEF, 0xBB, 0xBF], [0x80], [0xC0, 0xAF],
            [0xE5], [0xE5, 0x95], [0xE5, 0x95, 0x86], [0xC2], [0xC2, 0xA5], [0xEF, 0xBF, 0xA5], [0xF0, 0x9F, 0x98],
            [0xF0, 0x9F, 0x98, 0x80], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xC9, 0xCC, 0xC6, 0xB7], [0x09], [0x20],
        ]
        let words: [String] = [
            "{", "}", "[", "]", ":", "\\", "\\u", "\\ud800", "\\udc00", "\\u00", "\"\"", ".", "-", "e", "E", "%", "0", "9", "1e400",
            "null", "true", "NaN", "Infinity", "¥", "￥", "\"a\":", ",\"", "\",",
        ]
        return bytes + words.map { Array($0.utf8) }
    }()

    public static func mutate(_ sample: [UInt8], _ rng: inout FuzzRandom, splice: [[UInt8]]) -> [UInt8] {
        var b = sample
        for _ in 0..<rng.int(1...8) {
            let at = rng.int(0...b.count)
            switch rng.int(0...9) {
            case 0 where !b.isEmpty:  // flip a bit
                let i = rng.int(0...(b.count - 1))
                b[i] ^= UInt8(1) << UInt8(rng.int(0...7))
            case 1 where !b.isEmpty:  // a random byte
                b[rng.int(0...(b.count - 1))] = UInt8(truncatingIfNeeded: rng.next())
            case 2:  // insert a random byte
                b.insert(UInt8(truncatingIfNeeded: rng.next()), at: at)
            case 3, 4:  // insert a fragment
                b.insert(contentsOf: rng.pick(fragments), at: at)
            case 5 where !b.isEmpty:  // replace a byte with a fragment
                let i = rng.int(0...(b.count - 1))
                b.replaceSubrange(i...i, with: rng.pick(fragments))
            case 6 where !b.isEmpty:  // delete a range
                let i = rng.int(0...(b.count - 1))
                b.removeSubrange(i..<min(b.count, i + rng.int(1...16)))
            case 7 where !b.isEmpty:  // duplicate a range
                let i = rng.int(0...(b.count - 1))
                let range = Array(b[i..<min(b.count, i + rng.int(1...32))])
                b.insert(contentsOf: range, at: rng.int(0...b.count))
            case 8:  // splice a range of another sample
                let other = rng.pick(splice)
                guard !other.isEmpty else { break }
                let i = rng.int(0...(other.count - 1))
                b.insert(contentsOf: other[i..<min(other.count, i + rng.int(1...24))], at: at)
            case 9:  // truncate
                b.removeSubrange(at...)
            default:
                break
            }
        }
        return b
    }
}

// MARK: - Samples

public enum FuzzSamples {
    public static let csv: [[UInt8]] = [
        "product_id,supplier_id,title,brand,category,price,commission_rate,stock,status\n"
            + "P1,SP1,\"西湖龙井, 明前\",西湖,食品保健,¥129.50,20%,10,on\n"
            + "P2,SP1,\"5\"\"屏幕\",品牌,数码家电,1999,5,0,off\n"
            + "P3,SP1,\"多行\n标题\",品牌,美妆个护,59.9,12.5%,3,on\n",
        "\u{FEFF}supplier_id,name,registered_capital,general_taxpayer,deposit,auth_chain_levels\r\n"
            + "SP1,杭州西湖茶业有限公司,5000000,true,20000,1\r\nSP2,\"义乌, 小商品\",300000,false,5000,4\r\n",
        "a,b,c\n1,2,3\n\n4,\"5\r\n6\",7\n,,\n\"\",x,\"\"\n",
        "name\rTea\rCoffee\r\r",
        "order_id,product_id,quantity,unit_price,paid_at,status,share_token\n"
            + "O1,P1,2,389.00,2026-11-20T20:15:03+08:00,paid,AQAAAAABKkql3P28R2pxw3Ly\n",
        "x\n",
    ].map { Array($0.utf8) }

    /// Inputs that reach each error of the CSV reader.
    public static let csvEdges: [[UInt8]] =
        ["a,\"b\n", "a,b\"c\n", "\"a\"b\n", "a\u{0}b\n"].map { Array($0.utf8) } + [[0x61, 0x0A, 0xFF], [0x61, 0xE5, 0x95]]
    /// Inputs that reach the header errors, field-count rows and the reader errors of a record reader on CSV.
    public static let csvRecordEdges: [[UInt8]] = ["a,b,a\n1,2,3\n", "x,y\n1,2\n", "a,b\n1\n1,2,3\n", "", "a\n\"", "a\n\u{0}"].map {
        Array($0.utf8)
    }
    /// Inputs that reach each error of the JSON Lines reader.
    public static let jsonlEdges: [[UInt8]] =
        ["{\"a\":1}\n{\"a\":", "{\"a\":1,\"a\":2}", "[1,]", "\u{0}"].map { Array($0.utf8) }
        + [[0x22, 0xFF, 0x22], [0x22, 0xED, 0xA0, 0x80, 0x22]]
    /// Inputs that reach the row errors and the reader errors of a record reader on JSON Lines.
    public static let jsonlRecordEdges: [[UInt8]] = ["[1]\n\"s\"\n{\"b\":1}\n{\"a\":[1]}\n{\"a\":null}\n", "{\"a\":", "\u{0}"].map {
        Array($0.utf8)
    }

    public static let jsonl: [[UInt8]] = [
        #"{"product_id":"J1","supplier_id":"SP1","title":"面膜 补水","price":59.9,"stock":10,"tags":["a","b"],"ok":true,"n":null}"#
            + "\n" + #"{"x":"\u00e9\ud83d\ude00\"\\\/\b\f\n\r\t","y":-0.5e-3,"z":{"a":[1,2,{"b":[]}]}}"# + "\n",
        "\u{FEFF}" + #"{"supplier_id":"SP1","name":"茶业","registered_capital":5000000,"general_taxpayer":true}"# + "\r\n"
            + #"{"supplier_id":"SP2","name":"义乌","deposit":"20000"}"# + "\r\n",
        "\n  \n[1,2,{\"a\":[]}]\n\"s\"\n42\n\t\n" + #"{"price":1e2,"quantity":9223372036854775808}"# + "\n",
        #"{"order_id":"O1","product_id":"P1","quantity":2,"unit_price":"389.00","paid_at":"2026-11-20T20:15:03+08:00"}"#,
    ].map { Array($0.utf8) }

    public static let json: [[UInt8]] =
        jsonl
        + [
            "{\n  \"a\": [\n    1,\n    2.5e+3,\n    -0\n  ],\n  \"b\": {\"c\": \"d\"}\n}\n",
            "\u{FEFF}[true, false, null, \"\\u0041\", 0.1]",
            "   \"just a string\"   ",
        ].map { Array($0.utf8) }
}

extension FuzzRandom {
    /// The generator of one test's random trials: seeded from `SHOPCTL_FUZZ_SEED` (else at random)
    /// and `name`, with the seed printed, so that a failing run can be replayed exactly.
    public static func replayable(_ name: String) -> FuzzRandom {
        let seed = FuzzConfig.current.seed
        print("\(name): seed \(seed) (replay: SHOPCTL_FUZZ_SEED=\(seed))")
        return FuzzRandom(seed: seed ^ hash(name))
    }
}
