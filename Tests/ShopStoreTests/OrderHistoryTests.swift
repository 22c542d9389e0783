import Foundation
import XCTest

@testable import ShopKit
@testable import ShopStore

/// An order's history is its first state and every change after it. A new order's first state
/// is stored as "its state" (`first_status` ''), written down by its first change; an order
/// stored with its first state spelled out (every store before this) reads the same.
final class OrderHistoryTests: XCTestCase {
    func event(_ status: OrderStatus, _ at: String, _ refunded: Int64, recorded: String) throws -> OrderEvent {
        OrderEvent(
            status: status, at: try Instant.parseRFC3339(at), refunded: Money(fen: refunded), recordedAt: try Instant.parseRFC3339(recorded)
        )
    }

    func testTheFirstStateSurvivesEveryChange() throws {
        let f = try LedgerFixture(.yunji)
        try f.run("2026-09-02T08:00:00+08:00", [f.row("A1", fen: 10_000, paid: "2026-09-01T10:00:00+08:00")])
        let a1 = try XCTUnwrap(try f.store.orders.find("A1"))
        XCTAssertEqual(
            try f.store.orders.history(rowID: a1.rowID),
            [try event(.paid, "2026-09-01T10:00:00+08:00", 0, recorded: "2026-09-02T08:00:00+08:00")], "never changed: its state")
        XCTAssertEqual(try f.store.db.prepare("SELECT first_status FROM orders WHERE order_id = 'A1'").scalarText(), "")

        try f.run(
            "2026-09-05T08:00:00+08:00",
            [f.row("A1", fen: 10_000, paid: "2026-09-01T10:00:00+08:00", .shipped, at: "2026-09-04T09:00:00+08:00", refunded: 2_500)])
        try f.run(
            "2026-09-20T08:00:00+08:00",
            [f.row("A1", fen: 10_000, paid: "2026-09-01T10:00:00+08:00", .confirmed, at: "2026-09-19T09:00:00+08:00", refunded: 2_500)])
        XCTAssertEqual(
            try f.store.orders.history(rowID: a1.rowID),
            [
                try event(.paid, "2026-09-01T10:00:00+08:00", 0, recorded: "2026-09-02T08:00:00+08:00"),
                try event(.shipped, "2026-09-04T09:00:00+08:00", 2_500, recorded: "2026-09-05T08:00:00+08:00"),
                try event(.confirmed, "2026-09-19T09:00:00+08:00", 2_500, recorded: "2026-09-20T08:00:00+08:00"),
            ])
        XCTAssertEqual(
            try f.store.db.prepare(
                "SELECT first_status || '|' || first_status_at || '|' || first_refunded_fen FROM orders WHERE order_id = 'A1'"
            )
            .scalarText(), "paid|\(try Instant.parseRFC3339("2026-09-01T10:00:00+08:00").seconds)|0", "written down by the first change")
    }

    /// A first state that is not the order's state now (an order first stored shipped with a
    /// refund), and one spelled out as stores before this change wrote it.
    func testAFirstStateStoredEitherWayReadsTheSame() throws {
        let f = try LedgerFixture(.yunji)
        try f.run(
            "2026-09-06T08:00:00+08:00",
            [
                f.row("B1", fen: 10_000, paid: "2026-09-01T10:00:00+08:00", .shipped, at: "2026-09-03T09:00:00+08:00", refunded: 1_000),
                f.row("B2", fen: 10_000, paid: "2026-09-01T11:00:00+08:00", .shipped, at: "2026-09-03T09:00:00+08:00", refunded: 1_000),
            ])
        // B2 as a store of an earlier version holds it: its first state spelled out.
        try f.store.db.execute(
            "UPDATE orders SET first_status = status, first_status_at = status_at, first_refunded_fen = refunded_fen WHERE order_id = 'B2'")
        try f.run(
            "2026-09-21T08:00:00+08:00",
            [
                f.row("B1", fen: 10_000, paid: "2026-09-01T10:00:00+08:00", .refunded, at: "2026-09-20T09:00:00+08:00", refunded: 10_000),
                f.row("B2", fen: 10_000, paid: "2026-09-01T11:00:00+08:00", .refunded, at: "2026-09-20T09:00:00+08:00", refunded: 10_000),
            ])
        for id in ["B1", "B2"] {
            let s = try XCTUnwrap(try f.store.orders.find(id))
            XCTAssertEqual(
                try f.store.orders.history(rowID: s.rowID),
                [
                    try event(.shipped, "2026-09-03T09:00:00+08:00", 1_000, recorded: "2026-09-06T08:00:00+08:00"),
                    try event(.refunded, "2026-09-20T09:00:00+08:00", 10_000, recorded: "2026-09-21T08:00:00+08:00"),
                ], id)
        }
    }
}
