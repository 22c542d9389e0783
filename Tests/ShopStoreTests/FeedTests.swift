import Foundation
import XCTest

@testable import ShopKit
@testable import ShopStore

/// Rows encoded by `FeedRowEncoder` come out of SQLite exactly as given.
final class FeedTests: XCTestCase {
    var dir: URL!
    var db: Database!

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("feed-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        db = try Database(path: dir.appendingPathComponent("f.db").path)
        try db.execute("CREATE TABLE t(k INTEGER PRIMARY KEY, s TEXT, n INTEGER)")
    }

    override func tearDownWithError() throws {
        db = nil
        try? FileManager.default.removeItem(at: dir)
    }

    typealias Value = (k: Int64, s: String?, n: Int64?)

    final class Encoded: @unchecked Sendable {
        var rows: [FeedRow] = []
        func encode(_ values: [Value]) {
            var e = FeedRowEncoder(columns: 3)
            for v in values {
                e.int(v.k)
                if let s = v.s { e.text(s) } else { e.null() }
                e.int(v.n)
                rows.append(e.finish())
            }
        }
    }

    func roundTrip(_ values: [Value], encodedOn thread: Bool = false) throws -> [Value] {
        let encoded = Encoded()
        if thread {
            // Encoded on another thread, read here (as an import does).
            let done = DispatchSemaphore(value: 0)
            Thread {
                encoded.encode(values)
                done.signal()
            }.start()
            done.wait()
        } else {
            encoded.encode(values)
        }
        let rows = encoded.rows
        let feed = try db.feed("test_feed", columns: ["k", "s", "n"])
        try feed.with(rows) { try db.prepare("INSERT INTO t(k, s, n) SELECT k, s, n FROM test_feed").run() }
        let out = try db.prepare("SELECT k, s, n FROM t ORDER BY k").map { r -> Value in
            (r.int(0), r.isNull(1) ? nil : r.text(1), r.optionalInt(2))
        }
        try db.execute("DELETE FROM t")
        return out
    }

    func testValuesComeBackExactly() throws {
        let values: [Value] = [
            (1, "P1001", 12_900), (2, "", 0), (3, nil, nil), (4, "兰蔻小黑瓶 精华 50ml", Int64.min), (5, "a,\"b\"\nc", Int64.max),
            (6, "🙂", -1),
        ]
        let back = try roundTrip(values)
        XCTAssertEqual(back.map(\.k), values.map(\.k))
        XCTAssertEqual(back.map(\.s), values.map(\.s))
        XCTAssertEqual(back.map(\.n), values.map(\.n))
    }

    func testRowsAcrossBlocksAndAFieldLargerThanABlock() throws {
        let big = String(repeating: "长", count: FeedRowEncoder.blockWords * 3)  // 9 bytes a word: > 2 blocks
        var values: [Value] = (0..<20_000).map { (Int64($0), "row \($0) " + String(repeating: "x", count: $0 % 70), Int64($0) * 3) }
        values.insert((-1, big, nil), at: 7_000)
        let back = try roundTrip(values, encodedOn: true)
        XCTAssertEqual(back.count, values.count)
        let byKey = Dictionary(uniqueKeysWithValues: back.map { ($0.k, $0) })
        for v in values {
            XCTAssertEqual(byKey[v.k]?.s, v.s, "row \(v.k)")
            XCTAssertEqual(byKey[v.k]?.n, v.n, "row \(v.k)")
        }
    }

    func testAnEmptyBatchInsertsNothing() throws {
        XCTAssertEqual(try roundTrip([]).count, 0)
    }
    /// Texts of one row outgrowing the encoder's scratch memory keep the texts before them.
    func testTextsOfOneRowThatOutgrowTheScratchMemory() throws {
        try db.execute("CREATE TABLE w(a TEXT, b TEXT, c TEXT)")
        let rows = (0..<50).map { i in
            ["a\(i)", String(repeating: "宽", count: 40 * (i + 1)), String(repeating: "z", count: 3 * i)]
        }
        var e = FeedRowEncoder(columns: 3)
        let encoded = rows.map { r -> FeedRow in
            for t in r { e.text(t) }
            return e.finish()
        }
        let feed = try db.feed("wide_feed", columns: ["a", "b", "c"])
        try feed.with(encoded) { try db.prepare("INSERT INTO w SELECT a, b, c FROM wide_feed").run() }
        XCTAssertEqual(try db.prepare("SELECT a, b, c FROM w ORDER BY rowid").map { [$0.text(0), $0.text(1), $0.text(2)] }, rows)
    }

    /// `Database.insert` tells which rows of a batch were stored: not those whose key is known,
    /// and for a key the batch holds twice, only its first row.
    func testABatchInsertTellsWhichRowsWereStored() throws {
        try db.execute("CREATE TABLE u(id INTEGER PRIMARY KEY, key TEXT NOT NULL UNIQUE, n INTEGER)")
        try db.execute("INSERT INTO u(key, n) VALUES ('K2', 0)")
        let keys = ["K1", "K2", "K3", "K1", "K4", "K3", "K3", "K5"]
        var e = FeedRowEncoder(columns: 2)
        let rows = keys.enumerated().map { i, k -> FeedRow in
            e.text(k)
            e.int(Int64(i + 1))
            return e.finish()
        }
        let feed = try db.feed("key_feed", columns: ["key", "n"])
        let statement = try db.prepare(
            "INSERT OR FAIL INTO u(key, n) SELECT key, n FROM key_feed WHERE true ON CONFLICT(key) DO NOTHING")
        let stored = try db.insert(rows, from: feed, with: statement, table: "u", keyColumn: "key") { keys[$0] }
        XCTAssertEqual(stored, [true, false, true, false, true, false, false, true])
        XCTAssertEqual(
            try db.prepare("SELECT key || '=' || n FROM u ORDER BY key").map { $0.text(0) }, ["K1=1", "K2=0", "K3=3", "K4=5", "K5=8"])
    }
}
