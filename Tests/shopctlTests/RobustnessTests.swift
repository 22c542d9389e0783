import Foundation
import ShopKit
import XCTest

// Robustness of the store under SIGKILL and under many processes at once (docs/robustness.md).

/// SplitMix64: a seeded generator, so a failing run can be replayed with its printed seed.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64

    init(seed: UInt64) { state = seed }

    /// The seed of `SHOPCTL_TEST_SEED`, else one from the clock; printed either way.
    init(label: String) {
        let given = ProcessInfo.processInfo.environment["SHOPCTL_TEST_SEED"].flatMap { UInt64($0) }
        let seed = given ?? UInt64(Date().timeIntervalSince1970 * 1000)
        print("\(label): seed \(seed) (replay with SHOPCTL_TEST_SEED=\(seed))")
        self.init(seed: seed)
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        return Self.mix(state)
    }

    static func mix(_ x: UInt64) -> UInt64 {
        var z = x
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// A shopctl process started without waiting for it (stdout and stderr go to files).
final class Spawned {
    let process = Process()
    let args: [String]
    let started = Date()
    private let out: URL
    private let err: URL

    init(_ s: Sandbox, _ args: [String], env extra: [String: String] = [:]) throws {
        self.args = args
        let id = UUID().uuidString
        out = s.dir.appendingPathComponent("spawn-\(id).out")
        err = s.dir.appendingPathComponent("spawn-\(id).err")
        FileManager.default.createFile(atPath: out.path, contents: nil)
        FileManager.default.createFile(atPath: err.path, contents: nil)
        let outHandle = try FileHandle(forWritingTo: out)
        let errHandle = try FileHandle(forWritingTo: err)
        defer {
            try? outHandle.close()
            try? errHandle.close()
        }
        process.executableURL = Sandbox.binary
        process.arguments = args
        process.environment = s.env.merging(extra) { $1 }
        process.standardOutput = outHandle
        process.standardError = errHandle
        process.standardInput = FileHandle.nullDevice
        try process.run()
    }

    var isRunning: Bool { process.isRunning }

    func sigkill() { _ = kill(process.processIdentifier, SIGKILL) }

    /// Whether it ended by a signal (the kill landed before it exited on its own).
    var wasKilled: Bool { process.terminationReason == .uncaughtSignal }

    /// Waits for the exit and returns what it printed.
    func wait() -> Sandbox.Result {
        process.waitUntilExit()
        let o = (try? Data(contentsOf: out)) ?? Data()
        let e = (try? Data(contentsOf: err)) ?? Data()
        try? FileManager.default.removeItem(at: out)
        try? FileManager.default.removeItem(at: err)
        return Sandbox.Result(
            status: process.terminationStatus, stdout: String(decoding: o, as: UTF8.self), stderr: String(decoding: e, as: UTF8.self))
    }
}

/// A feed built as bytes: fast enough in a debug build for 100,000 rows.
struct FeedBytes {
    var bytes: [UInt8] = []

    init(_ header: String, capacity: Int) {
        bytes.reserveCapacity(capacity)
        put(header)
    }

    mutating func put(_ s: String) { bytes.append(contentsOf: s.utf8) }
    mutating func put(_ b: [UInt8]) { bytes.append(contentsOf: b) }
    mutating func comma() { bytes.append(0x2C) }
    mutating func newline() { bytes.append(0x0A) }

    /// A non-negative number, zero-padded to `width`.
    mutating func put(_ n: Int, width: Int = 1) {
        precondition(n >= 0)
        var div = 1
        var digits = 1
        while div <= n / 10 {
            div *= 10
            digits += 1
        }
        if width > digits { bytes.append(contentsOf: repeatElement(0x30, count: width - digits)) }
        var v = n
        while div > 0 {
            bytes.append(UInt8(0x30 + v / div))
            v %= div
            div /= 10
        }
    }
}

/// Order feeds for a store's links. Row `i` of a generator always says the same thing (its fields
/// come from a hash of `i`), so a later feed can move the orders of an earlier one forward.
struct OrderFeedGenerator {
    struct Link {
        let token: [UInt8]
        /// nil for a storefront link (any product).
        let product: String?
    }

    static let calendarStart = CivilDate(year: 2026, month: 8, day: 1)!
    /// `YYYY-MM-DD` from 2026-08-01 (index 0) to 2026-11-30 (index 121).
    static let calendar: [[UInt8]] = (0..<122).map { Array(calendarStart.adding(days: $0).description.utf8) }
    static func day(_ text: String) -> Int { CivilDate.parse(text)!.daysSinceEpoch - calendarStart.daysSinceEpoch }

    var links: [Link]
    var products: [String]
    /// Payment days (indexes into `calendar`).
    var paidDays: Range<Int>
    /// The last day a status may be reached on (a status time is never after now).
    var lastStatusDay: Int
    var salt: UInt64 = 0

    static let statuses: [[UInt8]] =
        ["paid", "paid", "paid", "paid", "shipped", "shipped", "shipped"].map { Array($0.utf8) }
        + Array(repeating: Array("confirmed".utf8), count: 7) + Array(repeating: Array("refunded".utf8), count: 2)

    /// Appends row `i` with id `prefix` + `i`; `paidOnly` keeps every order `paid`, `forged` spoils its token.
    func row(_ i: Int, prefix: [UInt8], paidOnly: Bool = false, forged: Bool = false, into f: inout FeedBytes) {
        let h = SeededGenerator.mix(UInt64(i) &+ salt &* 0x1000_0000)
        let link = links[Int(h % UInt64(links.count))]
        let product = link.product ?? products[Int((h >> 8) % UInt64(products.count))]
        let d = paidDays.lowerBound + Int((h >> 36) % UInt64(paidDays.count))
        let status = paidOnly ? 0 : Int(h >> 60)
        f.put(prefix)
        f.put(i, width: 6)
        f.comma()
        f.put(product)
        f.comma()
        f.put(1 + Int((h >> 16) % 3))
        f.comma()
        f.put(9 + Int((h >> 20) % 120))
        f.put(".")
        f.put(Int((h >> 28) % 100), width: 2)
        f.comma()
        f.put(OrderFeedGenerator.calendar[d])
        f.put("T")
        // 10:00–21:59: never before the links, made at 10:00 on the first day (`before-link`).
        f.put(10 + Int((h >> 44) % 12), width: 2)
        f.put(":")
        f.put(Int((h >> 48) % 60), width: 2)
        f.put(":")
        f.put(Int((h >> 54) % 60), width: 2)
        f.put("+08:00,")
        f.put(OrderFeedGenerator.statuses[status])
        f.comma()
        if forged {
            f.put("AQAAAAAB")
            f.put(i, width: 8)
        } else {
            f.put(link.token)
        }
        f.comma()
        if status >= 4 {
            let sd = min(d + 1 + Int((h >> 4) % 5), lastStatusDay)
            f.put(OrderFeedGenerator.calendar[sd])
            f.put(sd == d ? "T23:30:00+08:00" : "T09:00:00+08:00")
        }
        f.comma()
        if status >= 4 && status < 14 && (h >> 12) % 5 == 0 { f.put("1.00") }
        f.comma()
        if (h >> 24) % 40 == 0 { f.put("true") }
        f.newline()
    }

    /// A whole feed: rows `range` with ids `prefix` + number; every `forgedEvery`-th row has a forged token.
    func feed(_ range: Range<Int>, prefix: String, paidOnly: Bool = false, forgedEvery: Int? = nil) -> [UInt8] {
        var f = FeedBytes(OrderShop.header, capacity: range.count * 160)
        let p = Array(prefix.utf8)
        for i in range {
            row(i, prefix: p, paidOnly: paidOnly, forged: forgedEvery.map { i % $0 == $0 - 1 } ?? false, into: &f)
        }
        return f.bytes
    }
}

/// The running totals of the earnings ledger against a recomputation from the `orders` table
/// (the definitions of Sources/ShopStore/Ledger.swift and ShopKit's `OrderContribution`).
enum LedgerRecomputation {
    /// Every difference, as `sqlite3` prints it; empty when the ledger agrees with its orders.
    static func mismatches(_ s: Sandbox, db: String, selfPurchaseEarns: Bool = false) throws -> String {
        // Orders that count for their shop: self-purchases only where they earn.
        let counted = "(SELECT * FROM orders WHERE self_purchase = 0 OR \(selfPurchaseEarns ? 1 : 0))"
        let net = "CASE WHEN status = 'refunded' THEN 0 ELSE amount_fen - refunded_fen END"
        let refund = "CASE WHEN status = 'refunded' THEN amount_fen ELSE refunded_fen END"
        let earnings = "commission_fen + bonus_fen"
        // Local days of Asia/Shanghai (UTC+8, no DST), counted from 1970-01-01, as the ledger keys them.
        let paidDay = "(paid_at + 28800) / 86400"
        let nonZero = { (columns: [String]) in columns.map { "\($0) != 0" }.joined(separator: " OR ") }
        let checks: [(String, String, String)] = [
            (
                "shop_days",
                """
                SELECT shop_id, \(paidDay), count(*), sum(\(net)), sum(commission_fen), sum(bonus_fen), sum(\(refund))
                FROM \(counted) GROUP BY 1, 2
                """,
                "SELECT shop_id, day, orders, gmv_fen, commission_fen, bonus_fen, refunded_fen FROM shop_days WHERE "
                    + nonZero(["orders", "gmv_fen", "commission_fen", "bonus_fen", "refunded_fen"])
            ),
            (
                "shares",
                "SELECT share_id, count(*), sum(\(net)), sum(\(earnings)) FROM \(counted) GROUP BY 1",
                "SELECT id, orders, gmv_fen, commission_fen FROM shares WHERE " + nonZero(["orders", "gmv_fen", "commission_fen"])
            ),
            (
                "shop_totals",
                """
                SELECT shop_id, sum(CASE WHEN status IN ('paid', 'shipped') THEN \(earnings) ELSE 0 END),
                       sum(CASE WHEN status = 'confirmed' THEN \(earnings) ELSE 0 END) FROM \(counted) GROUP BY 1
                """,
                "SELECT shop_id, pending_fen, confirmed_fen FROM shop_totals"
            ),
            (
                "shop_release_days",
                """
                SELECT shop_id, (release_at + 28800) / 86400, sum(\(earnings)) FROM \(counted) WHERE status = 'confirmed'
                GROUP BY 1, 2 HAVING sum(\(earnings)) != 0
                """,
                "SELECT shop_id, day, earnings_fen FROM shop_release_days WHERE earnings_fen != 0"
            ),
            (
                "product_sales",
                "SELECT shop_id, product_id, sum(quantity) FROM \(counted) WHERE status != 'refunded' GROUP BY 1, 2",
                "SELECT shop_id, product_id, units FROM product_sales WHERE units != 0"
            ),
        ]
        var sql = ""
        for (name, recomputed, stored) in checks {
            sql += "SELECT '\(name): recomputed, not stored', * FROM (\(recomputed) EXCEPT \(stored)) LIMIT 5;\n"
            sql += "SELECT '\(name): stored, not recomputed', * FROM (\(stored) EXCEPT \(recomputed)) LIMIT 5;\n"
        }
        // Every order's own figures: round_half_up once, the bonus of its paid month's level as stored
        // (fixed, or provisional until the month before closes: SPEC §6).
        let month =
            "CAST(strftime('%Y', paid_at, 'unixepoch', '+8 hours') AS INTEGER) * 12"
            + " + CAST(strftime('%m', paid_at, 'unixepoch', '+8 hours') AS INTEGER) - 1"
        sql += """
            SELECT 'order figures', order_id, commission_fen, bonus_fen FROM \(counted) o
            LEFT JOIN shop_months m ON m.shop_id = o.shop_id AND m.month = \(month)
            WHERE o.commission_fen != ((\(net)) * o.rate_bp + 5000) / 10000
               OR o.bonus_fen != (o.commission_fen * coalesce(m.bonus_bp, 0) + 5000) / 10000
            LIMIT 5;
            """
        return try s.sqlite(sql, db: db)
    }
}

/// Copies a store's files (the database, and its WAL and shared-memory files when present).
func copyStore(from: String, to: String) throws {
    let fm = FileManager.default
    for suffix in ["", "-wal", "-shm"] {
        try? fm.removeItem(atPath: to + suffix)
        if fm.fileExists(atPath: from + suffix) { try fm.copyItem(atPath: from + suffix, toPath: to + suffix) }
    }
}

func removeStore(_ path: String) {
    for suffix in ["", "-wal", "-shm", "-lock"] { try? FileManager.default.removeItem(atPath: path + suffix) }
}

/// SIGKILL during large imports: the store is always intact and holds all of the import or none of it.
final class CrashSafetyTests: XCTestCase {
    /// One import under test: the store before it, the command, and how to fingerprint the store.
    struct Case {
        let name: String
        let s: Sandbox
        /// The store before the import (checkpointed files of `s.db`, copied).
        let pristine: String
        let args: [String]
        let now: String
        /// A readable summary of the content the import changes (shown when states differ).
        let fingerprintSQL: String
    }

    struct State: Equatable {
        /// `.sha3sum` of every table's content.
        let hash: String
        let fingerprint: String
    }

    func state(_ c: Case, db: String) throws -> State {
        State(hash: try c.s.sqlite(".sha3sum", db: db), fingerprint: try c.s.sqlite(c.fingerprintSQL, db: db))
    }

    func run(_ c: Case, db: String) -> Sandbox.Result { c.s.run(["--db", db] + c.args, env: ["SHOPCTL_NOW": c.now]) }

    /// Kills the import `trials` times at random moments and checks every store it leaves behind.
    /// Returns (killed mid-run, finished before the kill, left in the before state, left in the after state).
    /// `verify` checks the uninterrupted run's report and store.
    func killTrials(
        _ c: Case, trials: Int, rng: inout SeededGenerator, verify: (Sandbox.Result, String) throws -> Void
    ) throws -> (killed: Int, finished: Int, before: Int, after: Int) {
        let s = c.s
        let reference = s.path("\(c.name)-reference.db")
        let trial = s.path("\(c.name)-trial.db")
        let before = try state(c, db: c.pristine)
        // The uninterrupted run, on a copy of the same starting store at the same SHOPCTL_NOW.
        try copyStore(from: c.pristine, to: reference)
        let t0 = Date()
        let full = run(c, db: reference)
        let duration = Date().timeIntervalSince(t0)
        XCTAssertExit(full, 0)
        XCTAssertEqual(try s.sqlite("PRAGMA integrity_check", db: reference), "ok")
        try verify(full, reference)
        let after = try state(c, db: reference)
        XCTAssertNotEqual(before, after, "the import changes the store")
        print(
            "\(c.name): uninterrupted import \(String(format: "%.2f", duration)) s; "
                + "before \(before.fingerprint); after \(after.fingerprint)"
        )
        var tally = (killed: 0, finished: 0, before: 0, after: 0)
        for i in 0..<trials {
            // Delays spread over the import: one at the very start, one near its end, the rest stratified.
            let u = Double.random(in: 0..<1, using: &rng)
            let delay: Double
            if i == 0 {
                delay = 0
            } else if i == trials - 1 {
                delay = duration * (0.9 + 0.1 * u)
            } else {
                delay = duration * (Double(i - 1) + u) / Double(trials - 2)
            }
            try copyStore(from: c.pristine, to: trial)
            let p = try Spawned(s, ["--db", trial] + c.args, env: ["SHOPCTL_NOW": c.now])
            if delay > 0 { usleep(UInt32(delay * 1_000_000)) }
            p.sigkill()
            let r = p.wait()
            if p.wasKilled { tally.killed += 1 } else { tally.finished += 1 }
            XCTAssertTrue(p.wasKilled || r.status == 0, "\(c.name) trial \(i): \(r.stderr)")
            XCTAssertEqual(try s.sqlite("PRAGMA integrity_check", db: trial), "ok", "\(c.name) trial \(i) (delay \(delay) s)")
            let left = try state(c, db: trial)
            let verdict: String
            if left == before {
                tally.before += 1
                verdict = "nothing"
            } else if left == after {
                tally.after += 1
                verdict = "everything"
            } else {
                verdict = "PART: \(left.fingerprint)"
                XCTFail("\(c.name) trial \(i) (delay \(delay) s) left part of the import: \(left.fingerprint)")
            }
            let again = run(c, db: trial)
            XCTAssertExit(again, 0)
            let rerun = try state(c, db: trial)
            XCTAssertEqual(rerun, after, "\(c.name) trial \(i): the rerun gives exactly the state of an uninterrupted run")
            print(
                "\(c.name) trial \(i): kill after \(String(format: "%.3f", delay)) s, \(p.wasKilled ? "killed" : "had finished"), "
                    + "store holds \(verdict), rerun \(rerun == after ? "= uninterrupted" : "DIFFERS")")
        }
        removeStore(trial)
        removeStore(reference)
        return tally
    }

    /// 102,000 order rows (2,000 updates of stored orders, 100,000 new ones, 5 forged) into a 淘小铺 store,
    /// the levels of the months closed before it fixed at its start (SPEC §6); killed 14 times.
    func testOrdersImportKilledAtRandomMomentsIsAllOrNothing() throws {
        var rng = SeededGenerator(label: "CrashSafetyTests.orders")
        let o = try OrderShop()
        let s = o.s
        XCTAssertExit(s.run("pick-products", "add", "P00003", "P00004", "P00005"), 0)
        func link(_ args: String...) -> [UInt8] { Array((s.run(args + ["--json"]).object["token"] as! String).utf8) }
        let products = ["P00001", "P00002", "P00003", "P00004", "P00005"]
        var gen = OrderFeedGenerator(
            links: [
                .init(token: Array(o.storefront.utf8), product: nil), .init(token: Array(o.p1.utf8), product: "P00001"),
                .init(token: link("share-link", "P00002", "--channel", "weibo"), product: "P00002"),
                .init(token: link("share-link", "P00003", "--channel", "qq"), product: "P00003"),
                .init(token: link("share-link", "--storefront", "--channel", "douyin"), product: nil),
            ],
            products: products, paidDays: 0..<20, lastStatusDay: OrderFeedGenerator.day("2026-11-20"))
        // Before: 2,000 orders paid in August, imported on 08-25 (August's level is fixed).
        let first = try s.write("first.csv", bytes: gen.feed(0..<2_000, prefix: "A", paidOnly: true))
        let r = o.at("2026-08-25T12:00:00+08:00", "orders", "import", first, "--json")
        XCTAssertExit(r, 0)
        XCTAssertEqual(r.object["accepted"] as? Int, 2_000)
        // The import: the same 2,000 moved forward, then 100,000 new orders from 08-01 to 11-20.
        var big = gen.feed(0..<2_000, prefix: "A")
        gen.paidDays = 0..<(OrderFeedGenerator.day("2026-11-20") + 1)
        gen.salt = 1
        big += gen.feed(0..<100_000, prefix: "B", forgedEvery: 20_000).dropFirst(OrderShop.header.utf8.count)
        let file = try s.write("big.csv", bytes: big)
        _ = try s.sqlite("PRAGMA wal_checkpoint(TRUNCATE)")
        let pristine = s.path("pristine.db")
        try copyStore(from: s.db, to: pristine)
        let c = Case(
            name: "orders", s: s, pristine: pristine, args: ["orders", "import", file, "--json"], now: "2026-11-21T09:30:00+08:00",
            fingerprintSQL: """
                SELECT 'orders ' || (SELECT count(*) || '/' || total(amount_fen) || '/' || total(commission_fen) || '/' || total(bonus_fen)
                    || '/' || total(refunded_fen) FROM orders)
                  || ' events ' || (SELECT count(*) FROM order_events)
                  || ' days ' || (SELECT count(*) || '/' || total(orders) || '/' || total(gmv_fen)
                    || '/' || total(commission_fen + bonus_fen)
                    FROM shop_days)
                  || ' shares ' || (SELECT total(orders) || '/' || total(gmv_fen) || '/' || total(commission_fen) FROM shares)
                  || ' totals ' || (SELECT total(pending_fen) || '/' || total(confirmed_fen) FROM shop_totals)
                  || ' months ' || (SELECT count(*) || '/' || total(bonus_bp) FROM shop_months WHERE level_fixed_at IS NOT NULL)
                  || ' release ' || (SELECT total(earnings_fen) FROM shop_release_days)
                """)
        let t = try killTrials(c, trials: 14, rng: &rng) { full, reference in
            // The uninterrupted result is itself right: every running total equals a recomputation.
            XCTAssertEqual(full.object["accepted"] as? Int, 101_995)
            XCTAssertEqual(
                (full.object["rejected"] as? [[String: Any]])?.compactMap { $0["code"] as? String },
                Array(repeating: "invalid-token", count: 5))
            XCTAssertEqual(try LedgerRecomputation.mismatches(s, db: reference), "")
            XCTAssertEqual(
                try s.sqlite("SELECT count(*) FROM shop_months WHERE level_fixed_at IS NOT NULL AND bonus_bp > 0", db: reference), "1",
                "September carries a level bonus (from August's orders, which arrived in August); October's and November's were "
                    + "fixed at the start of the import, from what had arrived before September and October closed (SPEC §6)")
        }
        print("orders: \(t.killed) killed mid-import, \(t.finished) finished first; \(t.before) left nothing, \(t.after) everything")
        XCTAssertGreaterThanOrEqual(t.killed, 5, "kills land while the import runs")
        XCTAssertGreaterThanOrEqual(t.before, 1)
    }

    /// 50,000 products (5 updates of stored ones, 1,000 from a supplier refused admission, 50 below the market rate)
    /// and 3 suppliers; killed 6 times.
    func testCatalogImportKilledAtRandomMomentsIsAllOrNothing() throws {
        var rng = SeededGenerator(label: "CrashSafetyTests.catalog")
        let s = try Sandbox()
        try Feeds.shop(s, products: 5)
        XCTAssertExit(s.run("pick-products", "add", "P00001", "P00002"), 0)
        let suppliers = try s.write(
            "big-suppliers.csv",
            Feeds.supplierHeader + Feeds.goodSupplier + "SP2,广州美妆供应链有限公司,8000000,true,50000,2\nSP3,小作坊,100000,false,0,1\n")
        let categories = ["食品保健", "美妆个护", "母婴玩具", "家居电器", "服饰运动"]
        let words = ["有机", "进口", "手工", "低糖", "便携", "加厚", "柔软", "经典"]
        let things = ["绿茶", "面膜", "纸尿裤", "电饭煲", "跑鞋", "坚果", "洗衣液", "保温杯", "积木", "护手霜", "毛巾", "蜂蜜", "瑜伽垫"]
        let tags = ["", "high-margin", "high-repurchase;low-trial-cost", "high-recognition"]
        var f = FeedBytes(Feeds.productHeader, capacity: 50_000 * 150)
        for i in 1...50_000 {
            f.put("P")
            f.put(i, width: 5)
            f.put(i % 50 == 7 ? ",SP3," : i % 2 == 0 ? ",SP1," : ",SP2,")
            f.put(words[i % 8])
            f.put(things[i % 13])
            f.put(" ")
            f.put(i)
            f.put("号,品牌")
            f.put(i % 97)
            f.comma()
            f.put(categories[i % 5])
            f.comma()
            f.put(5 + i % 300)
            f.put(".")
            f.put(i % 100, width: 2)
            f.comma()
            f.put(3 + i % 40)
            f.comma()
            f.put(i % 500)
            f.put(i % 11 == 0 ? ",off," : ",on,")
            if i % 1_000 == 3 { f.put("99") }
            f.put(",,")
            f.put(tags[i % 4])
            f.put(",,,")
            f.put(i % 3 == 0 ? "\"香, 醇\"" : "")
            f.newline()
        }
        let products = try s.write("big-products.csv", bytes: f.bytes)
        _ = try s.sqlite("PRAGMA wal_checkpoint(TRUNCATE)")
        let pristine = s.path("pristine.db")
        try copyStore(from: s.db, to: pristine)
        let c = Case(
            name: "catalog", s: s, pristine: pristine,
            args: ["catalog", "import", "--suppliers", suppliers, "--products", products, "--json"],
            now: "2026-11-21T09:30:00+08:00",
            fingerprintSQL: """
                SELECT 'products ' || (SELECT count(*) || '/' || total(price_fen) || '/' || total(commission_fen) || '/' || total(stock)
                    || '/' || total(status = 'on') || '/' || total(tags) FROM products)
                  || ' search ' || (SELECT count(*) || '/' || total(length(text)) FROM product_search)
                  || ' suppliers ' || (SELECT count(*) || '/' || total(admitted) FROM suppliers)
                """)
        let t = try killTrials(c, trials: 6, rng: &rng) { full, _ in
            XCTAssertEqual(full.object["accepted"] as? Int, 48_952)  // SP1, SP2 and 48,950 products
            let codes = ((full.object["rejected"] as? [[String: Any]]) ?? []).reduce(into: [String: Int]()) {
                $0[$1["code"] as? String ?? "?", default: 0] += 1
            }
            XCTAssertEqual(codes, ["supplier-admission": 1_001, "commission-below-market": 50])
        }
        print("catalog: \(t.killed) killed mid-import, \(t.finished) finished first; \(t.before) left nothing, \(t.after) everything")
        XCTAssertGreaterThanOrEqual(t.killed, 2, "kills land while the import runs")
        XCTAssertGreaterThanOrEqual(t.before, 1)
    }
}

/// Many shopctl processes at once on one store: no lock errors, no lost writes, no overdrawn balance.
final class ConcurrencyTests: XCTestCase {
    /// Writers waiting for the store get it in the order they came, so none of them can be starved past the busy
    /// timeout by writers that keep arriving after it (SQLite's own busy handler lets a newcomer win over a writer
    /// that has waited longer: docs/robustness.md).
    func testWritersWaitingForTheStoreTakeTurnsInArrivalOrder() throws {
        let s = try Sandbox()
        try Feeds.shop(s, products: 2)
        XCTAssertExit(s.run("pick-products", "add", "P00001"), 0)
        guard
            let sqlite3 = ["/usr/bin/sqlite3", "/usr/local/bin/sqlite3", "/bin/sqlite3"].first(where: FileManager.default.isExecutableFile)
        else { throw XCTSkip("sqlite3 shell not installed (apt-get install sqlite3)") }
        // Another program holds the write lock for 4 s.
        let locked = s.path("locked")
        let holder = Process()
        holder.executableURL = URL(fileURLWithPath: sqlite3)
        holder.arguments = [s.db]
        let input = Pipe()
        holder.standardInput = input
        holder.standardOutput = FileHandle.nullDevice
        try holder.run()
        input.fileHandleForWriting.write(Data("BEGIN IMMEDIATE;\n.shell touch \(locked)\n.shell sleep 4\nCOMMIT;\n".utf8))
        try input.fileHandleForWriting.close()
        let waitStart = Date()
        while !FileManager.default.fileExists(atPath: locked) && Date().timeIntervalSince(waitStart) < 10 { usleep(10_000) }
        // Five writers line up, 0.3 s apart, while it holds the lock; a sixth comes just before it lets go.
        let channels = ["wechat-group", "weibo", "qq", "sms", "douyin", "xiaohongshu"]
        var writers: [Spawned] = []
        for (i, c) in channels.enumerated() {
            usleep(i == 5 ? 2_600_000 : 300_000)
            writers.append(try Spawned(s, ["share-link", "P00001", "--channel", c, "--json"]))
        }
        for w in writers { XCTAssertExit(w.wait(), 0) }
        holder.waitUntilExit()
        XCTAssertEqual(holder.terminationStatus, 0)
        let order = try s.sqlite("SELECT channel FROM shares WHERE product_id = 'P00001' ORDER BY id")
        XCTAssertEqual(
            order.split(separator: "\n").map(String.init), channels, "the links are recorded in the order their commands started")
    }

    enum Job: String {
        case importOrders = "orders import"
        case share = "share-link"
        case daily = "share-link daily"
        case earnings
        case withdraw = "earnings withdraw"
    }

    struct Finished {
        let job: Job
        let args: [String]
        let result: Sandbox.Result
        /// The order file's prefix and rows (imports), or the plan's date and channel (daily).
        let key: String
        let rows: Int
        /// From launch until the loop saw it exit.
        let seconds: Double
    }

    /// Twelve processes at a time for 12 s: five importers of disjoint order files, two share-link issuers, two daily
    /// planners, an earnings reader and two withdrawers asking, together, for far more than the balance.
    func testTwelveProcessesAtOnceLoseNothingAndNeverOverdraw() throws {
        var rng = SeededGenerator(label: "ConcurrencyTests")
        let now = "2026-11-21T09:30:00+08:00"
        let s = try Sandbox(now: "2026-08-01T10:00:00+08:00")
        try Feeds.shop(s, products: 8)
        let picks = ["P00001", "P00002", "P00003", "P00004", "P00005", "P00006"]
        XCTAssertExit(s.run(["pick-products", "add"] + picks), 0)
        func link(_ args: String...) -> [UInt8] { Array((s.run(args + ["--json"]).object["token"] as! String).utf8) }
        var gen = OrderFeedGenerator(
            links: [
                .init(token: link("share-link", "--storefront"), product: nil),
                .init(token: link("share-link", "P00001", "--channel", "wechat-group"), product: "P00001"),
                .init(token: link("share-link", "P00002", "--channel", "weibo"), product: "P00002"),
            ],
            products: picks, paidDays: 0..<OrderFeedGenerator.day("2026-10-16"), lastStatusDay: OrderFeedGenerator.day("2026-10-17"))
        // Released earnings: 3,000 orders paid 08-01 to 10-15, confirmed by 10-17, so released by 11-20 under 淘小铺's day 20.
        let setup = try s.write("setup.csv", bytes: gen.feed(0..<3_000, prefix: "S"))
        // Imported on 11-01, before October closes (11-08): October's orders count for November's level.
        XCTAssertExit(s.run(["orders", "import", setup], env: ["SHOPCTL_NOW": "2026-11-01T09:30:00+08:00"]), 0)
        let start = s.run(["earnings", "--json"], env: ["SHOPCTL_NOW": now]).object
        let released = start["released_fen"] as! Int
        let balance = start["available_fen"] as! Int
        XCTAssertEqual(balance, released + (start["rewards_fen"] as! Int))
        XCTAssertGreaterThan(balance, 100_000)
        XCTAssertEqual(
            try s.sqlite(
                "SELECT bonus_bp FROM shop_months WHERE month = 2026 * 12 + 10 AND level_fixed_at IS NOT NULL"), "1000",
            "November carries the 精英掌柜 bonus, so new orders get one")
        let sharesBefore = Int(try s.sqlite("SELECT count(*) FROM shares"))!
        let ordersBefore = Int(try s.sqlite("SELECT count(*) FROM orders"))!
        print("ConcurrencyTests: \(ordersBefore) orders, released \(released) fen, available \(balance) fen")

        // New orders are paid in November (confirmed ones release on 12-20): the released balance stays as it is.
        gen.paidDays = OrderFeedGenerator.day("2026-11-01")..<OrderFeedGenerator.day("2026-11-21")
        gen.lastStatusDay = OrderFeedGenerator.day("2026-11-20")
        let channels = ["wechat-moments", "wechat-group", "wechat-chat", "weibo", "xiaohongshu", "douyin", "qq", "sms", "other"]
        let dates = (21...27).map { "2026-11-\($0)" }
        let slots: [Job] = [
            .importOrders, .importOrders, .importOrders, .importOrders, .importOrders, .share, .share, .daily, .daily, .earnings, .withdraw,
            .withdraw,
        ]
        var fileNumber = 0
        func launch(_ job: Job) throws -> (Spawned, String, Int) {
            var args: [String]
            var key = ""
            var rows = 0
            switch job {
            case .importOrders:
                fileNumber += 1
                rows = 1_500 + Int.random(in: 0..<1_500, using: &rng)
                key = "C\(fileNumber)-"
                gen.salt = UInt64(100 + fileNumber)
                let file = try s.write("c\(fileNumber).csv", bytes: gen.feed(0..<rows, prefix: key))
                args = ["orders", "import", file]
            case .share:
                args = ["share-link", picks.randomElement(using: &rng)!, "--channel", channels.randomElement(using: &rng)!]
            case .daily:
                let date = dates.randomElement(using: &rng)!
                let channel = channels.randomElement(using: &rng)!
                key = date + " " + channel
                args = ["share-link", "daily", "--date", date, "--channel", channel, "--count", "4"]
            case .earnings:
                args = ["earnings"]
            case .withdraw:
                args = ["earnings", "withdraw", String(Int.random(in: 10...(balance / 100 / 4), using: &rng))]
            }
            return (try Spawned(s, args + ["--json"], env: ["SHOPCTL_NOW": now]), key, rows)
        }

        var running: [(Spawned, String, Int)?] = Array(repeating: nil, count: slots.count)
        var finished: [Finished] = []
        var mostAtOnce = 0
        let began = Date()
        let deadline = began.addingTimeInterval(12)
        while true {
            for (i, job) in slots.enumerated() {
                if let (p, key, rows) = running[i], !p.isRunning {
                    let seconds = Date().timeIntervalSince(p.started)
                    finished.append(Finished(job: job, args: p.args, result: p.wait(), key: key, rows: rows, seconds: seconds))
                    running[i] = nil
                }
                if running[i] == nil && Date() < deadline { running[i] = try launch(job) }
            }
            let alive = running.compactMap { $0 }.filter { $0.0.isRunning }.count
            mostAtOnce = max(mostAtOnce, alive)
            if running.allSatisfy({ $0 == nil }) { break }
            usleep(2_000)
        }
        let elapsed = Date().timeIntervalSince(began)
        var counts: [Job: (n: Int, longest: Double)] = [:]
        for f in finished {
            let c = counts[f.job] ?? (0, 0)
            counts[f.job] = (c.n + 1, max(c.longest, f.seconds))
        }
        print(
            "ConcurrencyTests: \(finished.count) processes in \(String(format: "%.1f", elapsed)) s, at most \(mostAtOnce) at once; "
                + counts.map { "\($0.key.rawValue) \($0.value.n) (longest \(String(format: "%.2f", $0.value.longest)) s)" }.sorted()
                .joined(separator: ", "))
        XCTAssertGreaterThanOrEqual(mostAtOnce, 8)

        // No process failed: no store-locked (exit 5), nothing unexpected; withdrawals may only run out of balance.
        var refusedWithdrawals = 0
        for f in finished where f.result.status != 0 {
            if f.job == .withdraw && f.result.status == 1 && f.result.errorCode == "insufficient-balance" {
                refusedWithdrawals += 1
            } else {
                XCTFail("shopctl \(f.args.joined(separator: " ")) exited \(f.result.status): \(f.result.stderr)")
            }
        }
        XCTAssertEqual(try s.sqlite("PRAGMA integrity_check"), "ok")

        // Every order of every file is there.
        let imports = finished.filter { $0.job == .importOrders && $0.result.status == 0 }
        XCTAssertGreaterThanOrEqual(imports.count, 6)
        var stored: [String: Int] = [:]
        for line in try s.sqlite(
            "SELECT substr(order_id, 1, instr(order_id, '-')), count(*) FROM orders WHERE order_id LIKE 'C%' GROUP BY 1"
        )
        .split(separator: "\n") {
            let parts = line.split(separator: "|")
            stored[String(parts[0])] = Int(parts[1])
        }
        for f in imports {
            XCTAssertEqual(f.result.object["accepted"] as? Int, f.rows, f.key)
            XCTAssertEqual(stored[f.key], f.rows, "every order of \(f.key)")
        }
        XCTAssertEqual(stored.count, imports.count)
        let imported = imports.reduce(0) { $0 + $1.rows }
        XCTAssertEqual(Int(try s.sqlite("SELECT count(*) FROM orders")), ordersBefore + imported)

        // Every link is recorded once: one per share-link run, one per slot of each plan (a plan is made once per date and channel).
        let shares = finished.filter { $0.job == .share && $0.result.status == 0 }.count
        var plans: [String: [String]] = [:]
        for f in finished where f.job == .daily && f.result.status == 0 {
            let urls = f.result.array.compactMap { $0["url"] as? String }
            XCTAssertEqual(urls.count, 4, f.key)
            if let first = plans[f.key] {
                XCTAssertEqual(urls, first, "\(f.key): a second run returns the same plan")
            } else {
                plans[f.key] = urls
            }
        }
        let planned = plans.values.reduce(0) { $0 + $1.count }
        XCTAssertEqual(Int(try s.sqlite("SELECT count(*) FROM shares")), sharesBefore + shares + planned)
        XCTAssertEqual(Int(try s.sqlite("SELECT count(*) FROM shares WHERE plan_date IS NOT NULL")), planned)

        // Withdrawals: serialised, each saw the balance the previous one left, together within the balance.
        let withdrawals = finished.filter { $0.job == .withdraw && $0.result.status == 0 }.map { $0.result.object }
            .map { (amount: $0["amount_fen"] as! Int, after: $0["available_fen"] as! Int) }
            .sorted { $0.after > $1.after }
        var left = balance
        for w in withdrawals {
            XCTAssertEqual(w.after + w.amount, left, "a withdrawal saw the balance left by the one before it")
            left = w.after
        }
        let withdrawn = withdrawals.reduce(0) { $0 + $1.amount }
        XCTAssertLessThanOrEqual(withdrawn, balance)
        XCTAssertGreaterThanOrEqual(withdrawals.count, 2)
        XCTAssertGreaterThanOrEqual(refusedWithdrawals, 1, "the withdrawals together asked for more than the balance")
        print("ConcurrencyTests: \(withdrawals.count) withdrawals took \(withdrawn) of \(balance) fen, \(refusedWithdrawals) refused")
        for f in finished where f.job == .earnings {
            let e = f.result.object
            XCTAssertEqual(e["released_fen"] as? Int, released)
            XCTAssertEqual(
                e["available_fen"] as? Int, (e["released_fen"] as! Int) + (e["rewards_fen"] as! Int) - (e["withdrawn_fen"] as! Int))
        }
        let end = s.run(["earnings", "--json"], env: ["SHOPCTL_NOW": now]).object
        XCTAssertEqual(end["withdrawn_fen"] as? Int, withdrawn)
        XCTAssertEqual(end["released_fen"] as? Int, released)
        XCTAssertEqual(end["available_fen"] as? Int, released + (end["rewards_fen"] as! Int) - withdrawn)
        XCTAssertEqual(try s.sqlite("SELECT count(*) || '/' || total(amount_fen) FROM withdrawals"), "\(withdrawals.count)/\(withdrawn).0")

        // The ledger equals a recomputation from the orders.
        XCTAssertEqual(try LedgerRecomputation.mismatches(s, db: s.db), "")
        let nowSeconds = Int(try Instant.parseRFC3339(now).seconds)
        XCTAssertEqual(
            try s.sqlite(
                """
                SELECT sum(CASE WHEN status IN ('paid', 'shipped') THEN commission_fen + bonus_fen ELSE 0 END) || '/'
                    || sum(CASE WHEN status = 'confirmed' AND release_at <= \(nowSeconds) THEN commission_fen + bonus_fen ELSE 0 END) || '/'
                    || sum(CASE WHEN status = 'confirmed' AND release_at > \(nowSeconds) THEN commission_fen + bonus_fen ELSE 0 END)
                FROM orders WHERE self_purchase = 0
                """),
            "\(end["pending_fen"] as! Int)/\(end["released_fen"] as! Int)/\(end["frozen_fen"] as! Int)")
        XCTAssertGreaterThan(Int(try s.sqlite("SELECT count(*) FROM orders WHERE order_id LIKE 'C%' AND bonus_fen > 0"))!, 0)
    }
}
