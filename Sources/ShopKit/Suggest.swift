/// The score that ranks products for `pick-products suggest` and the daily share plan.
///
///     SuggestScore.score(tags: [.highMargin, .lowTrialCost], commissionPerUnit: Money(fen: 3_000),
///                        categoryUnits: 30, shopUnits: 100)
///     // 25 + 25 (two tags) + 12 (¥30 ÷ ¥2.50) + 9 (30 % of the shop's units) = 71
///
/// Points, all integers (0–190):
/// - 25 for each of the four tags 三高一低 (high margin, high repurchase, high recognition,
///   low trial cost), and 20 more when a product has all four;
/// - one point per ¥2.50 of commission per unit, at most 40 (reached at ¥100);
/// - once the shop has orders: up to 30 for the product's category, in proportion to the
///   share of the shop's units sold in that category (integer division).
/// Ties: higher commission per unit first, then product id.
public enum SuggestScore {
    public static let pointsPerTag = 25
    public static let allTagsBonus = 20
    public static let fenPerCommissionPoint: Int64 = 250
    public static let maxCommissionPoints: Int64 = 40
    public static let maxCategoryPoints: Int64 = 30

    public static func score(tags: [ProductTag], commissionPerUnit: Money, categoryUnits: Int64, shopUnits: Int64) -> Int {
        let mask = ProductTag.mask(tags)
        var points = ProductTag.allCases.filter { mask & $0.bit != 0 }.count * pointsPerTag
        if mask == 15 { points += allTagsBonus }
        points += Int(min(maxCommissionPoints, max(0, commissionPerUnit.fen) / fenPerCommissionPoint))
        if shopUnits > 0 { points += Int(maxCategoryPoints * categoryUnits / shopUnits) }
        return points
    }
}
