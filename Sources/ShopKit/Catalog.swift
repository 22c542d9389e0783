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
    /// The product's picture for posters (optional column `image`): once imported, the absolute
    /// path of a PNG or JPEG file that was checked (`ProductImage` in the command line).
    public var image: String?

    public init(
        productID: String, supplierID: String, title: String, brand: String, category: String, price: Money,
        commissionRate: Rate, stock: Int64, status: Status, marketCommissionRate: Rate? = nil,
        otherPlatformPrice: Money? = nil, tags: [ProductTag] = [], saleStart: Instant? = nil, saleEnd: Instant? = nil,
        description: String = "", image: String? = nil
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
        self.image = image
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

    /// `json(chinese:)` serialized pretty as it appears `indent` levels deep in a document, byte
    /// for byte, written directly (an import's spool writes one per rejected row).
    public func prettyJSON(chinese: Bool, indent: Int) -> String {
        let pad = "\n" + String(repeating: "  ", count: indent + 1)
        var out = "{" + pad + "\"line\": " + String(line) + "," + pad + "\"id\": "
        if let id { JSON.writeString(id, to: &out) } else { out += "null" }
        out += "," + pad + "\"code\": "
        JSON.writeString(code, to: &out)
        out += "," + pad + "\"message\": "
        JSON.writeString(message.text(chinese: chinese), to: &out)
        return out + "\n" + String(repeating: "  ", count: indent) + "}"
    }
}

/// Where an import's rejected rows go when they are not kept in memory (`ImportReport.sink`):
/// a spool on disk, so memory does not grow with their number (SPEC §2 "Memory").
public protocol RejectSink: AnyObject, Sendable {
    /// Takes one rejected row; `row` is the row as read, when known and `keepsRows`.
    func add(_ rejection: RowRejection, row: ImportRow?)
    /// Rows taken so far.
    var count: Int { get }
    /// The first rejections in report order (at most `ImportReport.shownRejections`).
    var first: [RowRejection] { get }
    /// Rows taken per code, most frequent first (ties by code).
    var countsByCode: [(code: String, count: Int)] { get }
    /// Whether the rows as read are wanted (a `--rejects` file is written).
    var keepsRows: Bool { get }
}

/// What an import did: SPEC §2 `{"accepted":N,"rejected":[…]}`.
///
/// Rejected rows are kept in `rejected` unless a `sink` takes them (the command line's
/// spool); read them through `rejectedCount`, `firstRejected` and `rejectedByCode`, which
/// work either way.
public struct ImportReport: Sendable, Equatable {
    public var accepted = 0
    /// The rejected rows, when no `sink` takes them.
    public var rejected: [RowRejection] = []
    /// Rows that changed nothing (a re-import of the same data); counted in `accepted`.
    public var unchanged = 0
    /// Takes the rejected rows instead of `rejected`.
    public var sink: (any RejectSink)?

    /// How many rejected rows the human form of a report lists.
    public static let shownRejections = 20

    public init(sink: (any RejectSink)? = nil) { self.sink = sink }

    /// Records a rejected row (`row`: the row as read, for a rejects file).
    public mutating func reject(_ rejection: RowRejection, row: ImportRow? = nil) {
        if let sink { sink.add(rejection, row: row) } else { rejected.append(rejection) }
    }

    public var rejectedCount: Int { rejected.count + (sink?.count ?? 0) }

    /// Whether rejections want the rows as read (see `RejectSink.keepsRows`).
    public var keepsRows: Bool { sink?.keepsRows ?? false }

    /// The first rejected rows in report order, at most `shownRejections`.
    public var firstRejected: [RowRejection] {
        if let sink { return sink.first }
        return Array(rejected.prefix(Self.shownRejections))
    }

    /// Rejected rows per code, most frequent first (ties by code).
    public var rejectedByCode: [(code: String, count: Int)] {
        if let sink { return sink.countsByCode }
        var counts: [String: Int] = [:]
        for r in rejected { counts[r.code, default: 0] += 1 }
        return Self.ordered(counts)
    }

    /// `counts` most frequent first, ties by code.
    public static func ordered(_ counts: [String: Int]) -> [(code: String, count: Int)] {
        counts.map { (code: $0.key, count: $0.value) }.sorted { $0.count != $1.count ? $0.count > $1.count : $0.code < $1.code }
    }

    /// The whole report; with a `sink`, only the rows it shows (print the sink's spool instead).
    public func json(chinese: Bool) -> JSON {
        let rows = sink == nil ? rejected : firstRejected
        return .object([("accepted", .int(Int64(accepted))), ("rejected", .array(rows.map { $0.json(chinese: chinese) }))])
    }

    public static func == (a: ImportReport, b: ImportReport) -> Bool {
        a.accepted == b.accepted && a.rejected == b.rejected && a.unchanged == b.unchanged && a.sink === b.sink
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
    /// The categories' UTF-8 bytes, for the byte comparison `isCategory` tries first.
    private let categoryBytes: [[UInt8]]

    public init(_ rules: Rules) {
        self.rules = rules
        self.categoryBytes = rules.categories.map { Array($0.utf8) }
    }

    /// Whether `category` is one of the rules' categories (Unicode canonical equivalence, as
    /// `String` compares). The same bytes as one of them answer at once; only a category that
    /// matches none byte for byte is compared as text (a Chinese `String` comparison walks
    /// normalization data: a few percent of a catalog import's writing thread).
    public func isCategory(_ category: String) -> Bool {
        var c = category
        let sameBytes = c.withUTF8 { b in
            categoryBytes.contains { $0.count == b.count && $0.withUnsafeBufferPointer { $0.elementsEqual(b) } }
        }
        return sameBytes || rules.categories.contains(category)
    }

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
        if !isCategory(p.category) {
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
