import Codecs

/// How an import reads a file that is not in shopctl's own shape (SPEC §7): the column map
/// of `--map FILE.json` and the built-in Chinese column names and status words.
///
///     let map = try ImportMap.parse(bytes, feed: .orders, file: "map.json")
///     map.rename(["订单编号", "商品ID"])     // ["order_id", "product_id"]
///
/// A map file: `{"columns":{"订单编号":"order_id",…},"values":{"status":{"订单付款":"paid",…}},
/// "time_format":"yyyy-MM-dd HH:mm:ss","skip_rows":N,"attribution":"shop"}`; every key is optional. An unknown key,
/// an unknown target column or an unknown target value is a usage error (exit 2) naming it.
public struct ImportMap: Sendable, Equatable {
    /// The feed a map is for: it decides which target columns and status values exist.
    public enum Feed: Sendable {
        case orders, catalog, statement

        var columns: [String] {
            switch self {
            case .orders: return OrderFeed.columns + OrderFeed.optionalColumns
            case .catalog:
                return CatalogFeed.supplierColumns + CatalogFeed.productColumns + CatalogFeed.productOptionalColumns
            case .statement: return StatementFeed.columns + StatementFeed.optionalColumns
            }
        }

        var statusValues: [String] {
            switch self {
            case .orders: return OrderStatus.allCases.map(\.rawValue)
            case .catalog: return ["on", "off"]
            case .statement: return StatementFeed.statusValues
            }
        }
    }

    /// Header name as written → column.
    public var columns: [String: String] = [:]
    /// Column → (value as written → value).
    public var values: [String: [String: String]] = [:]
    public var timeFormat: TimeFormat?
    /// Records before the header (a title, a date range, blank-looking rows of commas).
    public var skipRows = 0
    /// Whose orders the rows are (SPEC §7 "a shop's own export"): by each row's share token, or
    /// all the selected shop's, through its storefront link.
    public var attribution: Attribution = .token

    /// The map's `"attribution"`: `"token"` (the default) or `"shop"`.
    public enum Attribution: String, Sendable, Equatable, CaseIterable {
        /// Each row is attributed by its `share_token` (required).
        case token
        /// A shop's own export: every row is the selected shop's, through its storefront link; no
        /// `share_token` column is needed (one present is ignored).
        case shop
    }

    /// The feed whose built-in names apply: a statement's (`reconcile`) are its own, the orders'
    /// and the catalog's are one table (nil).
    public var feed: Feed?

    public init(feed: Feed? = nil) { self.feed = feed == .statement ? .statement : nil }

    // MARK: - Built-in names

    /// Chinese header → column, used when a header is neither in the map nor a column's own
    /// name. Each entry: (header, column, where it comes from). The full table is in docs/formats.md.
    public static let builtinColumns: [(header: String, column: String, source: String)] = [
        ("订单号", "order_id", "SPEC §7"), ("订单编号", "order_id", "SPEC §7; 淘宝联盟 order report"),
        ("商品ID", "product_id", "SPEC §7; 淘宝联盟 order report"), ("商品编号", "product_id", "SPEC §7"),
        ("数量", "quantity", "SPEC §7"), ("商品数", "quantity", "SPEC §7; 淘宝联盟 order report"),
        ("单价", "unit_price", "SPEC §7"), ("商品单价", "unit_price", "SPEC §7; 淘宝联盟 order report"),
        ("付款时间", "paid_at", "SPEC §7"), ("订单状态", "status", "SPEC §7; 淘宝联盟 order report"),
        ("推广码", "share_token", "SPEC §7"), ("口令", "share_token", "SPEC §7"), ("分享链接", "share_token", "SPEC §7"),
        ("退款金额", "refunded", "SPEC §7"), ("结算时间", "status_at", "淘宝联盟 order report"),
        ("商品名称", "title", "SPEC §7"), ("品牌", "brand", "SPEC §7"), ("类目", "category", "SPEC §7"),
        ("价格", "price", "SPEC §7"), ("佣金比例", "commission_rate", "SPEC §7"), ("库存", "stock", "SPEC §7"),
        ("状态", "status", "SPEC §7"), ("供应商ID", "supplier_id", "shopctl"), ("供应商编号", "supplier_id", "shopctl"),
        ("佣金比率", "commission_rate", "SPEC §7; 淘宝联盟 order report"),
    ]

    /// Status words → status, for orders and for the catalog's products.
    public static let builtinOrderStatuses: [(word: String, status: String, source: String)] = [
        ("已付款", "paid", "SPEC §7"), ("待发货", "paid", "SPEC §7"), ("已发货", "shipped", "SPEC §7"),
        ("已收货", "confirmed", "SPEC §7"), ("交易成功", "confirmed", "SPEC §7"), ("已完成", "confirmed", "SPEC §7"),
        ("已退款", "refunded", "SPEC §7"), ("交易关闭", "refunded", "SPEC §7"),
    ]
    public static let builtinProductStatuses: [(word: String, status: String, source: String)] = [
        ("上架", "on", "shopctl (the catalog's on/off)"), ("下架", "off", "shopctl (the catalog's on/off)"),
    ]

    static let builtinOrderStatusIndex: [String: String] = Dictionary(
        builtinOrderStatuses.map { ($0.word, $0.status) }, uniquingKeysWith: { a, _ in a })
    static let builtinProductStatusIndex: [String: String] = Dictionary(
        builtinProductStatuses.map { ($0.word, $0.status) }, uniquingKeysWith: { a, _ in a })

    static let builtinColumnIndex: [String: String] = Dictionary(
        builtinColumns.map { ($0.header, $0.column) }, uniquingKeysWith: { a, _ in a })

    /// A statement's Chinese headers (`reconcile`, SPEC §8), in order of preference: when a file
    /// has several headers for one column, the earliest in this table wins (docs/reconcile.md).
    public static let builtinStatementColumns: [(header: String, column: String, source: String)] = [
        ("订单编号", "order_id", "SPEC §7; 淘宝联盟 order report"), ("订单号", "order_id", "SPEC §7"),
        ("子订单编号", "order_id", "淘宝联盟 order report (淘宝子订单编号)"), ("淘宝子订单编号", "order_id", "淘宝联盟 order report"),
        ("佣金", "commission", "SPEC §7"), ("佣金金额", "commission", "淘宝联盟 order report"),
        ("结算预估收入", "commission", "淘宝联盟 order report"), ("预估收入", "commission", "SPEC §7; 淘宝联盟 order report"),
        ("结算金额", "commission", "SPEC §7"), ("效果预估", "commission", "淘宝联盟 order report"),
        ("订单状态", "status", "SPEC §7; 淘宝联盟 order report"), ("状态", "status", "shopctl"),
        ("结算时间", "settled_at", "淘宝联盟 order report"),
    ]
    /// A statement's status words → settled, pending or invalid.
    public static let builtinStatementStatuses: [(word: String, status: String, source: String)] = [
        ("订单结算", "settled", "淘宝联盟"), ("已结算", "settled", "shopctl"), ("订单成功", "settled", "淘宝联盟 (buyer confirmed)"),
        ("交易成功", "settled", "SPEC §7"), ("已收货", "settled", "SPEC §7"), ("已完成", "settled", "SPEC §7"),
        ("订单付款", "pending", "淘宝联盟"), ("待结算", "pending", "shopctl"), ("已付款", "pending", "SPEC §7"),
        ("待发货", "pending", "SPEC §7"), ("已发货", "pending", "SPEC §7"),
        ("订单失效", "invalid", "淘宝联盟"), ("已失效", "invalid", "shopctl"), ("已退款", "invalid", "SPEC §7"),
        ("交易关闭", "invalid", "SPEC §7"),
    ]
    static let builtinStatementIndex: [String: String] = Dictionary(
        builtinStatementColumns.map { ($0.header, $0.column) }, uniquingKeysWith: { a, _ in a })
    public static let builtinStatementStatusIndex: [String: String] = Dictionary(
        builtinStatementStatuses.map { ($0.word, $0.status) }, uniquingKeysWith: { a, _ in a })
    static let builtinStatementRank: [String: Int] = Dictionary(
        builtinStatementColumns.enumerated().map { ($1.header, $0) }, uniquingKeysWith: { a, _ in a })

    private var builtinIndex: [String: String] { feed == .statement ? Self.builtinStatementIndex : Self.builtinColumnIndex }

    /// The header with each name replaced by its column: the map's name first, then a built-in
    /// name whose column the header does not already hold (the first such header wins).
    public func rename(_ header: [String]) -> [String] {
        if feed == .statement { return renameStatement(header) }
        let present = Set(header)
        var taken = Set<String>()
        var out: [String] = []
        out.reserveCapacity(header.count)
        for name in header {
            let key = name.trimmingSpaces()
            if let target = columns[key] ?? columns[name] {
                out.append(target)
            } else if let target = Self.builtinColumnIndex[key], !present.contains(target), !taken.contains(target),
                !columns.values.contains(target)
            {
                out.append(target)
            } else {
                out.append(name)
            }
            taken.insert(out[out.count - 1])
        }
        return out
    }

    /// A statement's header: the map's names first, then for each column the built-in header of
    /// highest preference (`builtinStatementColumns`) when the header lacks the column itself.
    private func renameStatement(_ header: [String]) -> [String] {
        let present = Set(header)
        var best: [String: (rank: Int, index: Int)] = [:]
        for (i, name) in header.enumerated() where columns[name.trimmingSpaces()] == nil && columns[name] == nil {
            let key = name.trimmingSpaces()
            guard let target = Self.builtinStatementIndex[key], !present.contains(target), !columns.values.contains(target),
                let rank = Self.builtinStatementRank[key]
            else { continue }
            if best[target].map({ rank < $0.rank }) ?? true { best[target] = (rank, i) }
        }
        var chosen: [Int: String] = [:]
        for (target, b) in best { chosen[b.index] = target }
        return header.enumerated().map { i, name in
            columns[name.trimmingSpaces()] ?? columns[name] ?? chosen[i] ?? name
        }
    }

    /// Whether reading the header needs `rename` (a plain header of shopctl's names does not).
    public func renames(_ header: [String]) -> Bool {
        !columns.isEmpty || header.contains { builtinIndex[$0.trimmingSpaces()] != nil }
    }

    /// The rules rows are read by: this map's status values before the built-in words.
    public func rules(feed: Feed, zone: Zone?) -> ReadingRules {
        var words: [String: String] = [:]
        let builtin =
            feed == .statement
            ? Self.builtinStatementStatuses : feed == .orders ? Self.builtinOrderStatuses : Self.builtinProductStatuses
        for w in builtin { words[w.word] = w.status }
        for (k, v) in values["status"] ?? [:] { words[k] = v }
        return ReadingRules(zone: zone, timeFormat: timeFormat, statusWords: words)
    }

    // MARK: - Parsing a map file

    public static let keys = ["columns", "values", "time_format", "skip_rows", "attribution"]

    /// Parses a map file's bytes (JSON, UTF-8). Failures are `ShopError(.usage, "bad-map", …)`.
    public static func parse(_ bytes: [UInt8], feed: Feed, file: String) throws -> ImportMap {
        func fail(_ en: String, _ zh: String) -> ShopError {
            ShopError.usage("bad-map", en: "\(file): \(en)", zh: "\(file)：\(zh)")
        }
        let json: JSON
        do { json = try JSON.parse(bytes: bytes) } catch {
            let m = (error as? CodecError).map { ShopError($0).message }
            throw fail(
                "is not valid JSON" + (m.map { ": \($0.en)" } ?? ""), "不是有效的 JSON" + (m.map { "：\($0.zh)" } ?? ""))
        }
        guard let members = json.objectValue else {
            throw fail("must be a JSON object {…}", "必须是 JSON 对象 {…}")
        }
        var map = ImportMap(feed: feed)
        let targets = Set(feed.columns)
        for (key, value) in members {
            switch key {
            case "columns":
                guard let pairs = value.objectValue else {
                    throw fail("\"columns\" must be an object of header → column", "“columns” 必须是“表头 → 列”的对象")
                }
                for (header, target) in pairs {
                    guard case .string(let column) = target else {
                        throw fail("\"columns\".\"\(header)\" must be a column name (a string)", "“columns”.“\(header)” 必须是列名（字符串）")
                    }
                    guard targets.contains(column) else {
                        throw fail(
                            "unknown target column \"\(column)\" (for \"\(header)\"); columns are "
                                + feed.columns.joined(separator: ", "),
                            "未知的目标列 “\(column)”（“\(header)”）；可用的列为 " + feed.columns.joined(separator: "、"))
                    }
                    map.columns[header] = column
                }
            case "values":
                guard let perColumn = value.objectValue else {
                    throw fail("\"values\" must be an object of column → {value → value}", "“values” 必须是“列 → {值 → 值}”的对象")
                }
                for (column, words) in perColumn {
                    guard column == "status" else {
                        throw fail(
                            "\"values\": unknown column \"\(column)\"; only \"status\" takes values",
                            "“values”：未知的列 “\(column)”；只有 “status” 可以映射取值")
                    }
                    guard let pairs = words.objectValue else {
                        throw fail("\"values\".\"status\" must be an object of word → status", "“values”.“status” 必须是“词 → 状态”的对象")
                    }
                    for (word, target) in pairs {
                        guard case .string(let status) = target, feed.statusValues.contains(status) else {
                            throw fail(
                                "\"values\".\"status\".\"\(word)\": unknown status; use "
                                    + feed.statusValues.joined(separator: ", "),
                                "“values”.“status”.“\(word)”：未知的状态；请使用 " + feed.statusValues.joined(separator: "、"))
                        }
                        map.values["status", default: [:]][word] = status
                    }
                }
            case "time_format":
                guard case .string(let pattern) = value else {
                    throw fail("\"time_format\" must be a string like yyyy-MM-dd HH:mm:ss", "“time_format” 必须是字符串，如 yyyy-MM-dd HH:mm:ss")
                }
                guard let format = TimeFormat(pattern) else {
                    throw fail(
                        "\"time_format\" \"\(pattern)\" is not supported: use yyyy, MM, M, dd, d, HH, H, mm, ss and "
                            + "separators (it needs yyyy, a month, a day, an hour and mm)",
                        "不支持的 “time_format” “\(pattern)”：请使用 yyyy、MM、M、dd、d、HH、H、mm、ss 与分隔符（必须含年、月、日、时和分）")
                }
                map.timeFormat = format
            case "skip_rows":
                guard case .number(let lexeme) = value, let n = Int(lexeme), (0...1000).contains(n) else {
                    throw fail("\"skip_rows\" must be a whole number from 0 to 1000", "“skip_rows” 必须是 0 到 1000 之间的整数")
                }
                map.skipRows = n
            case "attribution":
                let choices = Attribution.allCases.map(\.rawValue)
                guard feed == .orders else {
                    throw fail(
                        "\"attribution\" is a key of an orders map only (whose orders the rows are)",
                        "“attribution” 只用于订单的映射文件（这些行属于谁的订单）")
                }
                guard case .string(let word) = value, let a = Attribution(rawValue: word) else {
                    throw fail(
                        "\"attribution\" must be " + choices.map { "\"\($0)\"" }.joined(separator: " or ")
                            + " (\"shop\": a shop's own export, every row the selected shop's)",
                        "“attribution” 必须是 " + choices.map { "“\($0)”" }.joined(separator: " 或 ")
                            + "（“shop”：店铺自己的导出，每一行都属于所选店铺）")
                }
                map.attribution = a
            default:
                throw fail(
                    "unknown key \"\(key)\"; the keys are " + keys.joined(separator: ", "),
                    "未知的键 “\(key)”；可用的键为 " + keys.joined(separator: "、"))
            }
        }
        return map
    }

    public static func == (a: ImportMap, b: ImportMap) -> Bool {
        a.columns == b.columns && a.values == b.values && a.timeFormat == b.timeFormat && a.skipRows == b.skipRows
            && a.attribution == b.attribution
            && a.feed == b.feed
    }
}

/// What reading a row's values needs beyond the row: the store's zone for times without an
/// offset, a map's time format, and the status words.
public final class ReadingRules: Sendable {
    public let zone: Zone?
    public let timeFormat: TimeFormat?
    public let statusWords: [String: String]

    public init(zone: Zone?, timeFormat: TimeFormat? = nil, statusWords: [String: String] = [:]) {
        self.zone = zone
        self.timeFormat = timeFormat
        self.statusWords = statusWords
    }
}
