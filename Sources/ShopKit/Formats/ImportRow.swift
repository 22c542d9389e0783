import Codecs

/// The file formats `shopctl` imports from, chosen by extension or `--format`.
///
///     try ImportFormat.from(path: "goods.csv", explicit: nil)        // .csv
///     try ImportFormat.from(path: "orders.ndjson", explicit: nil)    // .jsonl
///     try ImportFormat.from(path: "-", explicit: "jsonl")            // .jsonl
///     try ImportFormat.from(path: "订单.xlsx", explicit: nil)         // .xlsx
///     try ImportFormat.from(path: "-", explicit: nil)                // ShopError usage "format"
public typealias ImportFormat = RecordFormat

extension RecordFormat {
    /// The format for `path`. `explicit` (the `--format` value: `csv`, `jsonl`, `ndjson` or
    /// `xlsx`, any case) wins over the extension (`.csv`, `.jsonl`, `.ndjson`, `.xlsx`, any
    /// case). Standard input (`-`) has no extension, so it needs `explicit`. Failures are
    /// `ShopError(.usage, "format", …)`, and `xls-not-supported` (exit 4) for `.xls`.
    public static func from(path: String, explicit: String?) throws -> ImportFormat {
        if let explicit {
            guard let format = named(explicit) else {
                throw ShopError.usage(
                    "format",
                    en: "unknown format \"\(explicit)\"; use --format csv, --format jsonl or --format xlsx",
                    zh: "未知的格式 “\(explicit)”；请使用 --format csv、--format jsonl 或 --format xlsx")
            }
            return format
        }
        if fileExtension(of: path).lowercased() == "xls" { throw legacyWorkbook(path) }
        if path == "-" {
            throw ShopError.usage(
                "format",
                en: "reading standard input (-) needs --format csv or --format jsonl",
                zh: "从标准输入（-）读取时必须指定 --format csv 或 --format jsonl")
        }
        guard let format = named(fileExtension(of: path)) else {
            throw ShopError.usage(
                "format",
                en: "cannot tell the format of \(path) from its name; use a .csv, .jsonl, .ndjson or .xlsx file, "
                    + "or pass --format csv, --format jsonl or --format xlsx",
                zh: "无法从文件名判断 \(path) 的格式；请使用 .csv、.jsonl、.ndjson 或 .xlsx 文件，"
                    + "或指定 --format csv、--format jsonl 或 --format xlsx")
        }
        return format
    }

    private static func named(_ name: String) -> ImportFormat? {
        switch name.lowercased() {
        case "csv": return .csv
        case "jsonl", "ndjson": return .jsonl
        case "xlsx": return .xlsx
        default: return nil
        }
    }

    /// An Excel 97–2003 workbook (`.xls`, or any OLE compound document: a password-protected
    /// `.xlsx` is one too): exit 4 with the way out.
    public static func legacyWorkbook(_ path: String) -> ShopError {
        ShopError(
            .invalidInput, "xls-not-supported",
            en: "\(path) is an Excel 97–2003 workbook (.xls) or a password-protected one, which shopctl cannot read; "
                + "open it in Excel or WPS and save it as .xlsx (Excel Workbook) or CSV UTF-8, without a password",
            zh: "\(path) 是 Excel 97–2003 工作簿（.xls）或加了密码的工作簿，shopctl 无法读取；"
                + "请用 Excel 或 WPS 打开，另存为 .xlsx（Excel 工作簿）或 CSV UTF-8，且不设密码")
    }

    /// `data/goods.CSV` → `CSV`; `.hidden` and `noext` → empty.
    private static func fileExtension(of path: String) -> String {
        let name = path.split(separator: "/", omittingEmptySubsequences: false).last ?? ""
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return "" }
        return String(name[name.index(after: dot)...])
    }
}

// MARK: - Rows

/// One data row of an import, whatever the file format.
///
///     let row = try reader.next()!            // line 2 of goods.csv
///     if let problem = row.rowError { reject(problem.error); return }
///     let price = row.nonEmpty("price")       // "129.50", or nil when absent, null or ""
///
/// `values` maps column (CSV header name or JSON key) to text: the field as
/// written for CSV (`""` for an empty field); for JSON Lines a string as is,
/// a number as its lexeme, `true`/`false`, and nil for `null`. A key that
/// is missing from a JSON object is absent from `values`.
public struct ImportRow: Sendable, Equatable {
    /// 1-based physical line the row starts on.
    public let line: Int
    /// Why this row cannot be imported, if it cannot; the file itself is fine.
    public let rowError: RowError?
    /// The store's zone, a map's time format and status words (nil: shopctl's own forms only).
    public let rules: ReadingRules?
    /// CSV rows share one header map (`columns`) and keep their fields in an array, so reading
    /// a row allocates no dictionary; JSON Lines rows keep their keys (`keyed`). Stored apart,
    /// not as an enum, so reading a field copies nothing but the field.
    private let columns: ColumnMap?
    private let fields: [String]
    private let keyed: [String: String?]

    public init(line: Int, values: [String: String?], rowError: RowError? = nil, rules: ReadingRules? = nil) {
        self.line = line
        self.rules = rules
        self.columns = nil
        self.fields = []
        self.keyed = values
        self.rowError = rowError
    }

    init(line: Int, columns: ColumnMap, fields: [String], rowError: RowError?, rules: ReadingRules?) {
        self.line = line
        self.rules = rules
        self.columns = columns
        self.fields = fields
        self.keyed = [:]
        self.rowError = rowError
    }

    /// Column (CSV header name or JSON key) → text, as described above.
    public var values: [String: String?] {
        guard let columns else { return keyed }
        var v: [String: String?] = [:]
        for (name, index) in columns.index where index < fields.count { v[name] = fields[index] }
        return v
    }

    /// A CSV row's fields as read, in file order (nil for a JSON Lines row).
    public var csvFields: [String]? { columns == nil ? nil : fields }

    /// Whether `column` is present (even if empty or null).
    public func has(_ column: String) -> Bool {
        guard let columns else { return keyed[column] != nil }
        return columns.position(of: column).map { $0 < fields.count } ?? false
    }

    /// The text of `column`; nil when it is absent or null.
    public func value(_ column: String) -> String? {
        guard let columns else { return keyed[column] ?? nil }
        guard let i = columns.position(of: column), i < fields.count else { return nil }
        return fields[i]
    }

    /// The text of `column`; nil when it is absent, null or empty.
    public func nonEmpty(_ column: String) -> String? {
        guard let text = value(column), !text.isEmpty else { return nil }
        return text
    }

    public static func == (a: ImportRow, b: ImportRow) -> Bool {
        a.line == b.line && a.rowError == b.rowError && a.values == b.values
    }
}

/// A CSV header: column name → field index (the first of a name; empty names left out).
final class ColumnMap: Sendable {
    let index: [String: Int]
    private let names: [String]
    private let positions: [Int]
    /// The names' lengths in bytes: most names are told apart without comparing their text.
    private let lengths: [Int]

    init(_ columns: [String]) {
        var m: [String: Int] = [:]
        var names: [String] = []
        var positions: [Int] = []
        for (i, name) in columns.enumerated() where !name.isEmpty && m[name] == nil {
            m[name] = i
            names.append(name)
            positions.append(i)
        }
        index = m
        self.names = names
        self.positions = positions
        lengths = names.map(\.utf8.count)
    }

    /// The field index of `column`. Headers are short: a walk over the names of the same length
    /// is cheaper than hashing the name for every field of every row.
    @inline(__always)
    func position(of column: String) -> Int? {
        if names.count > 32 { return index[column] }
        let length = column.utf8.count
        for i in lengths.indices where lengths[i] == length && names[i] == column { return positions[i] }
        return nil
    }
}

/// Why one row cannot be imported (the rest of the file can).
///
///     RowError(line: 7, reason: .missingColumns(["price"])).error
///     // ShopError(.invalidInput, "bad-value", en: "line 7: missing the required key \"price\"", …)
public struct RowError: Sendable, Equatable {
    public enum Reason: Sendable, Equatable {
        /// A CSV record with another number of fields than the header has columns.
        case fieldCount(expected: Int, found: Int)
        /// JSON Lines: required keys absent from this object.
        case missingColumns([String])
        /// JSON Lines: the value of `column` is an array or an object.
        case nestedValue(column: String)
        /// JSON Lines: the line holds a JSON value that is not an object.
        case notAnObject
    }

    public let line: Int
    public let reason: Reason

    public init(line: Int, reason: Reason) {
        self.line = line
        self.reason = reason
    }

    /// `field-count` for a CSV field count mismatch, else `bad-value`.
    public var code: String {
        if case .fieldCount = reason { return "field-count" }
        return "bad-value"
    }

    /// The column at fault, when there is one.
    public var column: String? {
        switch reason {
        case .nestedValue(let column): return column
        case .missingColumns(let columns): return columns.first
        case .fieldCount, .notAnObject: return nil
        }
    }

    public var message: Message {
        switch reason {
        case let .fieldCount(expected, found):
            return Message(
                en: "line \(line): the row has \(found) field(s) but the header has \(expected) column(s)",
                zh: "第 \(line) 行：该行有 \(found) 个字段，但表头有 \(expected) 列")
        case .missingColumns(let columns):
            let en = columns.map { "\"\($0)\"" }.joined(separator: ", ")
            let zh = columns.map { "“\($0)”" }.joined(separator: "、")
            return Message(
                en: "line \(line): missing the required key(s) \(en)",
                zh: "第 \(line) 行：缺少必需的键 \(zh)")
        case .nestedValue(let column):
            return Message(
                en: "line \(line): the value of \"\(column)\" is an array or object; "
                    + "only strings, numbers, true, false and null are allowed",
                zh: "第 \(line) 行：“\(column)” 的值是数组或对象；只允许字符串、数字、true、false 和 null")
        case .notAnObject:
            return Message(
                en: "line \(line): the line is not a JSON object ({…})",
                zh: "第 \(line) 行：这一行不是 JSON 对象（{…}）")
        }
    }

    /// The row's rejection as a user-facing error.
    public var error: ShopError { ShopError(.invalidInput, code, message) }
}
