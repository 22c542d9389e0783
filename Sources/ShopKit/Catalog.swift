import Codecs

/// A supplier of the platform catalog.
///
///     let s = Supplier(supplierID: "SP001", name: "杭州茶园", registeredCapital: Money(fen: 500_000_000),
///                      generalTaxpayer: true, deposit: Money(fen: 2_000_000), authChainLevels: 1)
///     try CatalogRules(rules).admit(s)     // throws supplier-admission when it fails
public struct Supplier: Sendable, Equatable {
    public var supplierID: String
    public var name: String
    public var registeredCapital: Money
    public var generalTaxpayer: Bool
    public var deposit: Money
    public var authChainLevels: Int

    public init(
        supplierID: String, name: String, registeredCapital: Money, generalTaxpayer: Bool, deposit: Money, authChainLevels: Int
    ) {
        self.supplierID = supplierID
        self.name = name
        self.registeredCapital = registeredCapital
        self.generalTaxpayer = generalTaxpayer
        self.deposit = deposit
        self.authChainLevels = authChainLevels
    }
}

/// The four selection tags, 三高一低: high margin, high repurchase, high recognition, low trial cost.
public enum ProductTag: String, Sendable, CaseIterable {
    case highMargin = "high-margin"
    case highRepurchase = "high-repurchase"
    case highRecognition = "high-recognition"
    case lowTrialCost = "low-trial-cost"

    /// Bit in the stored tag mask.
    public var bit: Int {
        switch self {
        case .highMargin: return 1
        case .highRepurchase: return 2
        case .highRecognition: return 4
        case .lowTrialCost: return 8
        }
    }

    public static func mask(_ tags: [ProductTag]) -> Int { tags.reduce(0) { $0 | $1.bit } }
    public static func from(mask: Int) -> [ProductTag] { allCases.filter { mask & $0.bit != 0 } }
}

/// A product of the catalog. Shopkeepers never change these fields; they only pick
/// products and add their own recommendation reason.
public struct Product: Sendable, Equatable {
    public enum Status: String, Sendable { case on, off }

    public var productID: String
    public var supplierID: String
    public var title: String
    public var brand: String
    public var category: String
    public var price: Money
    public var commissionRate: Rate
    public var stock: Int64
    public var status: Status
    public var marketCommissionRate: Rate?
    public var otherPlatformPrice: Money?
    public var tags: [ProductTag]
    public var saleStart: Instant?
    public var saleEnd: Instant?
    public var description: String

    public init(
        productID: String, supplierID: String, title: String, brand: String, category: String, price: Money,
        commissionRate: Rate, stock: Int64, status: Status, marketCommissionRate: Rate? = nil,
        otherPlatformPrice: Money? = nil, tags: [ProductTag] = [], saleStart: Instant? = nil, saleEnd: Instant? = nil,
        description: String = ""
    ) {
        self.productID = productID
        self.supplierID = supplierID
        self.title = title
        self.brand = brand
        self.category = category
        self.price = price
        self.commissionRate = commissionRate
        self.stock = stock
        self.status = status
        self.marketCommissionRate = marketCommissionRate
        self.otherPlatformPrice = otherPlatformPrice
        self.tags = tags
        self.saleStart = saleStart
        self.saleEnd = saleEnd
        self.description = description
    }

    /// Commission on one unit at the product's rate, before any level bonus.
    public var commissionPerUnit: Money {
        (try? price.applying(commissionRate)) ?? .zero
    }

    /// `on`, in stock, and `now` inside the sale window (start inclusive, end exclusive).
    public func isAvailable(at now: Instant) -> Bool {
        Availability.isAvailable(
            status: status, stock: stock, saleStart: saleStart, saleEnd: saleEnd, now: now)
    }
}

public enum Availability {
    public static func isAvailable(status: Product.Status, stock: Int64, saleStart: Instant?, saleEnd: Instant?, now: Instant) -> Bool {
        guard status == .on, stock > 0 else { return false }
        if let s = saleStart, now < s { return false }
        if let e = saleEnd, now >= e { return false }
        return true
    }
}

/// One rejected row of an import: SPEC §2 `{"line","id","code","message"}`.
public struct RowRejection: Sendable, Equatable {
    public var line: Int
    public var id: String?
    public var code: String
    public var message: Message

    public init(line: Int, id: String?, code: String, message: Message) {
        self.line = line
        self.id = id
        self.code = code
        self.message = message
    }

    public func json(chinese: Bool) -> JSON {
        .object([
            ("line", .int(Int64(line))), ("id", id.map { .string($0) } ?? .null), ("code", .string(code)),
            ("message", .string(message.text(chinese: chinese))),
        ])
    }
}

/// What an import did: SPEC §2 `{"accepted":N,"rejected":[…]}`.
public struct ImportReport: Sendable, Equatable {
    public var accepted = 0
    public var rejected: [RowRejection] = []
    /// Rows that changed nothing (a re-import of the same data); counted in `accepted`.
    public var unchanged = 0

    public init() {}

    public func json(chinese: Bool) -> JSON {
        .object([("accepted", .int(Int64(accepted))), ("rejected", .array(rejected.map { $0.json(chinese: chinese) }))])
    }
}

/// A row-level refusal thrown while parsing or checking one row.
public struct RowProblem: Error, Sendable, Equatable {
    public var code: String
    public var message: Message
    public init(_ code: String, en: String, zh: String) {
        self.code = code
        self.message = Message(en: en, zh: zh)
    }

    public static func badValue(_ column: String, _ value: String, en: String, zh: String) -> RowProblem {
        let shown = value.count > 40 ? String(value.prefix(40)) + "…" : value
        return RowProblem(
            "bad-value", en: "column \(column): '\(shown)' \(en)", zh: "列 \(column)：'\(shown)' \(zh)")
    }
}

/// The catalog rules of a platform (SPEC §4 catalog), as pure functions.
///
///     let c = CatalogRules(Rules.preset(.taoxiaopu))
///     try c.admit(supplier)                        // supplier-admission
///     try c.check(product, supplierAdmitted: true) // category, commission-below-market, price-parity
public struct CatalogRules: Sendable {
    public let rules: Rules
    public init(_ rules: Rules) { self.rules = rules }

    /// `supplier-admission`: every condition of `supplier_admission`, boundaries inclusive.
    public func admit(_ s: Supplier) throws(RowProblem) {
        guard let a = rules.supplierAdmission else { return }
        var failures: [(String, String)] = []
        if s.registeredCapital < a.minRegisteredCapital {
            failures.append(
                (
                    "registered capital \(s.registeredCapital.formatted) < \(a.minRegisteredCapital.formatted)",
                    "注册资本 \(s.registeredCapital.formatted) 低于 \(a.minRegisteredCapital.formatted)"
                ))
        }
        if a.generalTaxpayerRequired && !s.generalTaxpayer {
            failures.append(("not a general taxpayer", "不是一般纳税人"))
        }
        if s.deposit < a.minDeposit {
            failures.append(
                (
                    "deposit \(s.deposit.formatted) < \(a.minDeposit.formatted)", "保证金 \(s.deposit.formatted) 低于 \(a.minDeposit.formatted)"
                ))
        }
        if s.authChainLevels > a.maxAuthChainLevels {
            failures.append(
                (
                    "\(s.authChainLevels) authorisation levels > \(a.maxAuthChainLevels)",
                    "授权链 \(s.authChainLevels) 级，超过 \(a.maxAuthChainLevels) 级"
                ))
        }
        if !failures.isEmpty {
            throw RowProblem(
                "supplier-admission",
                en: "supplier \(s.supplierID) fails \(rules.displayName) admission: " + failures.map(\.0).joined(separator: "; "),
                zh: "供应商 \(s.supplierID) 不符合\(rules.displayName)准入要求：" + failures.map(\.1).joined(separator: "；"))
        }
    }

    /// Rules of one product row once it has parsed, in the order the codes are documented.
    public func check(_ p: Product, supplierKnown: Bool, supplierAdmitted: Bool) throws(RowProblem) {
        if !supplierKnown {
            throw RowProblem(
                "unknown-supplier", en: "supplier \(p.supplierID) is not in the catalog", zh: "供应商 \(p.supplierID) 不在目录中")
        }
        if !supplierAdmitted {
            throw RowProblem(
                "supplier-admission", en: "supplier \(p.supplierID) has not passed \(rules.displayName) admission",
                zh: "供应商 \(p.supplierID) 未通过\(rules.displayName)准入")
        }
        if !rules.categories.contains(p.category) {
            throw RowProblem(
                "category", en: "category '\(p.category)' is not one of \(rules.categories.joined(separator: ", "))",
                zh: "类目「\(p.category)」不在 \(rules.categories.joined(separator: "、")) 之中")
        }
        if rules.commissionFloorMarket, let market = p.marketCommissionRate, p.commissionRate < market {
            throw RowProblem(
                "commission-below-market",
                en: "commission rate \(p.commissionRate.percentText) is below the market rate \(market.percentText)",
                zh: "佣金比例 \(p.commissionRate.percentText) 低于市场佣金 \(market.percentText)")
        }
        if rules.priceParity, let other = p.otherPlatformPrice, p.price > other {
            throw RowProblem(
                "price-parity", en: "price \(p.price.formatted) is above the other platforms' \(other.formatted)",
                zh: "售价 \(p.price.formatted) 高于其他平台的 \(other.formatted)")
        }
    }
}
