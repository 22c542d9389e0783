import Codecs

/// One row of `earnings withdrawals` (SPEC §9): `{"withdrawn_at","amount_fen","fee_fen","payout_fen"}`.
public struct WithdrawalRow: Sendable, Equatable {
    public var at: Instant
    public var withdrawal: Withdrawal

    public init(at: Instant, withdrawal: Withdrawal) {
        self.at = at
        self.withdrawal = withdrawal
    }

    /// `withdrawn_at` in RFC 3339 in the store's zone.
    public func json(zone: Zone) -> JSON {
        .object([
            ("withdrawn_at", .string(at.rfc3339(in: zone))), ("amount_fen", .int(withdrawal.amount.fen)),
            ("fee_fen", .int(withdrawal.fee.fen)), ("payout_fen", .int(withdrawal.payout.fen)),
        ])
    }
}

/// One row of `earnings months` (SPEC §9): a month's facts as they stand.
/// `{"month","orders","gmv_fen","level","level_provisional","bonus_fen","reward_fen"}`.
public struct MonthFactsRow: Sendable, Equatable {
    /// `2026-11`.
    public var month: String
    /// Orders paid in the month that count (as `earnings report`).
    public var orders: Int64
    public var gmv: Money
    /// The month's own level (decided by the month before's GMV, SPEC §6).
    public var level: String
    public var levelProvisional: Bool
    /// What the month's orders earn from its level's bonus.
    public var bonus: Money
    /// The month's volume reward: the fixed one once its close has passed, else what its GMV so
    /// far earns (provisional, not yet released: `rewardProvisional`).
    public var reward: Money
    /// Not part of the JSON (SPEC §9 lists its keys): shown by the table.
    public var rewardProvisional: Bool

    public init(
        month: String, orders: Int64, gmv: Money, level: String, levelProvisional: Bool, bonus: Money, reward: Money,
        rewardProvisional: Bool
    ) {
        self.month = month
        self.orders = orders
        self.gmv = gmv
        self.level = level
        self.levelProvisional = levelProvisional
        self.bonus = bonus
        self.reward = reward
        self.rewardProvisional = rewardProvisional
    }

    public var json: JSON {
        .object([
            ("month", .string(month)), ("orders", .int(orders)), ("gmv_fen", .int(gmv.fen)), ("level", .string(level)),
            ("level_provisional", .bool(levelProvisional)), ("bonus_fen", .int(bonus.fen)), ("reward_fen", .int(reward.fen)),
        ])
    }
}
