import ShopKit

extension Ledger {
    /// The shop's withdrawals, oldest first (SPEC §9 `earnings withdrawals`).
    public func withdrawalRows(shopID: String) throws -> [WithdrawalRow] {
        try withdrawals(shopID: shopID).map { WithdrawalRow(at: $0.1, withdrawal: $0.0) }
    }

    /// Each month from the shop's first (its opening or first order) to the month of `now`,
    /// oldest first (SPEC §9 `earnings months`). Levels and rewards come from the one place that
    /// decides them (`level(of:month:now:rows:)`, `reward(of:month:now:rows:)`); read it inside
    /// `withFixedMonths`, so that what is due is fixed first.
    public func monthFacts(shop: Shop, now: Instant) throws -> [MonthFactsRow] {
        let rows = try monthRows(shopID: shop.shopID)
        let sums = try db.prepare(
            """
            SELECT COALESCE(sum(orders), 0), COALESCE(sum(gmv_fen), 0), COALESCE(sum(bonus_fen), 0) FROM shop_days
            WHERE shop_id = ? AND day >= ? AND day < ?
            """)
        return try months(of: shop, now: now).map { m in
            let first = m.firstDay
            let (orders, gmv, bonus) =
                try sums.first([shop.shopID, Int64(first.daysSinceEpoch), Int64(m.next.firstDay.daysSinceEpoch)]) {
                    ($0.int(0), $0.int(1), $0.int(2))
                } ?? (0, 0, 0)
            let level = try level(of: shop, month: m, now: now, rows: rows)
            let (reward, state) =
                rules.volumeRewards.isEmpty
                ? (Money.zero, MonthRules.FactState.fixed) : try reward(of: shop, month: m, now: now, rows: rows)
            return MonthFactsRow(
                month: first.monthKey, orders: orders, gmv: Money(fen: gmv), level: level.level.name, levelProvisional: level.provisional,
                bonus: Money(fen: bonus), reward: reward, rewardProvisional: state == .provisional)
        }
    }
}
