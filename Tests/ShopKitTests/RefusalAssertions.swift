import XCTest

@testable import ShopKit

/// The code `body` is refused with (a `RowProblem`'s or a `ShopError`'s), nil when it is not
/// refused, "other" for any other error.
func refusalCode(_ body: () throws -> Void) -> String? {
    do {
        try body()
        return nil
    } catch let p as RowProblem {
        return p.code
    } catch let e as ShopError {
        return e.code
    } catch {
        return "other"
    }
}
