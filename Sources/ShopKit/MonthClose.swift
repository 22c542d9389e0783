/// Closing a month (SPEC §6): month M closes at 00:00 on day `1 + month_close_days` of M+1, in
/// the store's zone. Until then the level for M+1 and the reward for M are provisional; the
/// first computation on or after the close fixes them, for good.
///
///     MonthRules.closeTime(of: october, rules: rules)        // 2026-11-08T00:00:00+08:00 (7 days)
///     MonthRules.levelState(of: november, opened: may, fixed: false, now: now, rules: rules)
extension MonthRules {
    /// The largest `month_close_days` a rules file may ask for.
    public static let maxCloseDays = 28

    /// When month `m` closes: orders of `m` that arrive before this instant still count.
    public static func closeTime(of m: MonthIndex, rules: Rules) -> Instant {
        rules.zone.instant(of: m.next.firstDay.adding(days: rules.monthCloseDays))
    }

    /// Whether month `m` has closed at `now`.
    public static func isClosed(_ m: MonthIndex, at now: Instant, rules: Rules) -> Bool {
        now >= closeTime(of: m, rules: rules)
    }

    /// Where one of a month's facts stands.
    public enum FactState: Sendable, Equatable {
        /// Fixed before: it never changes.
        case fixed
        /// Not fixed, and due: the command computing it now fixes it.
        case due
        /// Not fixed and not due: computed from the orders known, applied, shown as provisional.
        case provisional
    }

    /// The level of month `m`: fixed once fixed; a shop's first month (and any before it) is due at
    /// once (never provisional); any other month is due once the month before has closed.
    public static func levelState(of m: MonthIndex, opened: MonthIndex, fixed: Bool, now: Instant, rules: Rules) -> FactState {
        if fixed { return .fixed }
        if m <= opened || isClosed(m.previous, at: now, rules: rules) { return .due }
        return .provisional
    }

    /// The volume reward for month `m`: due with the level of the month after, at the close of `m`.
    public static func rewardState(of m: MonthIndex, fixed: Bool, now: Instant, rules: Rules) -> FactState {
        if fixed { return .fixed }
        return isClosed(m, at: now, rules: rules) ? .due : .provisional
    }
}
