import Codecs
import ShopKit

/// `--csv` and `--excel` of every list (SPEC §9): one renderer from the command's JSON value,
/// which stays the source of truth — the columns are the JSON keys, in their order, with each
/// `X_fen` followed by `X_yuan`. No command keeps a second list of columns.
///
///     let csv = CSVFormat(args)                        // nil without --csv / --excel
///     return Output(json: json, human: table).csv(csv)
///
/// Cells (docs/cli.md "CSV"): strings as they are; numbers as JSON writes them; `true`/`false`;
/// null as an empty cell; `X_yuan` is `X_fen` ÷ 100 with exactly 2 decimals, written from the
/// digits (never through floating point), `-` before a negative amount, no `¥` nor thousands
/// separators. RFC 4180 quoting: a cell holding `,` `"` CR or LF (or starting or ending with a
/// space) is quoted, `"` doubled. `--csv` ends lines with LF; `--excel` starts with the UTF-8 BOM,
/// ends lines with CRLF, writes each identifier cell as `="…"` (so Excel keeps `00123` and
/// `2026-11` as text) and puts `'` before any other text cell that Excel would read as a formula
/// (`=` `+` `-` `@`, tab, CR first). An empty list prints nothing (with `--excel`, the BOM only):
/// its columns are not known without a row.
struct CSVFormat: Equatable {
    var excel: Bool

    static let options: [OptionSpec] = [
        .flag(
            "--csv", "CSV with a header: the JSON keys, each _fen column followed by _yuan (docs/cli.md)",
            "输出带表头的 CSV：列名即 JSON 键，每个 _fen 列后跟一个 _yuan 列（见 docs/cli.md）"),
        .flag(
            "--excel", "CSV for Excel: with a UTF-8 BOM, CRLF and ids kept as text (implies --csv)",
            "供 Excel 打开的 CSV：带 UTF-8 BOM、CRLF 换行，编号保持为文本（隐含 --csv）"),
    ]

    init(excel: Bool) { self.excel = excel }

    /// nil when the line has neither `--csv` nor `--excel`.
    init?(_ args: ParsedArgs) {
        guard args.flag("--csv") || args.flag("--excel") else { return nil }
        excel = args.flag("--excel")
    }

    /// The CSV of a JSON array of flat objects. Nested arrays and objects (no list has one) are
    /// written as their compact JSON text.
    func render(_ json: JSON) -> [UInt8] {
        var out: [UInt8] = excel ? [0xEF, 0xBB, 0xBF] : []
        guard case .array(let rows) = json else { preconditionFailure("a list is a JSON array") }
        let newline = excel ? "\r\n" : "\n"
        var header: [String]?
        for row in rows {
            guard case .object(let fields) = row else { preconditionFailure("a list's rows are JSON objects") }
            var names: [String] = []
            var cells: [String] = []
            for (key, value) in fields {
                names.append(key)
                cells.append(cell(value, key: key))
                if key.hasSuffix("_fen") {
                    names.append(String(key.dropLast(4)) + "_yuan")
                    cells.append(Self.yuan(value))
                }
            }
            if header == nil {
                header = names
                out += Array((names.map(Self.quoted).joined(separator: ",") + newline).utf8)
            }
            precondition(header == names, "every row of a list has the same keys")
            out += Array((cells.joined(separator: ",") + newline).utf8)
        }
        return out
    }

    /// Whether a column holds identifiers: `*_id`, the report's `key`, a share `token`, a `month`.
    static func isIdentifier(_ key: String) -> Bool {
        key.hasSuffix("_id") || key == "key" || key == "token" || key == "month"
    }

    private func cell(_ value: JSON, key: String) -> String {
        switch value {
        case .null: return ""
        case .bool(let b): return b ? "true" : "false"
        case .number(let n): return n
        case .string(let s):
            if excel && Self.isIdentifier(key) {
                return Self.quoted("=\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"")
            }
            if excel, let first = s.unicodeScalars.first, "=+-@\t\r".unicodeScalars.contains(first) { return Self.quoted("'" + s) }
            return Self.quoted(s)
        case .array, .object: return Self.quoted(value.serialized(pretty: false))
        }
    }

    /// RFC 4180: quoted when it must be, `"` doubled.
    static func quoted(_ s: String) -> String {
        let must =
            s.unicodeScalars.contains { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }
            || s.hasPrefix(" ") || s.hasSuffix(" ")
        return must ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
    }

    /// `12345` → `123.45`, `-5` → `-0.05`, null → empty; from the digits, exact for any Int64.
    static func yuan(_ fen: JSON) -> String {
        guard case .number(let n) = fen else { return "" }
        let negative = n.hasPrefix("-")
        var digits = String(negative ? n.dropFirst() : n[...])
        precondition(
            !digits.isEmpty && digits.unicodeScalars.allSatisfy({ (48...57).contains($0.value) }), "an amount in fen is an integer")
        if digits.count < 3 { digits = String(repeating: "0", count: 3 - digits.count) + digits }
        let cut = digits.index(digits.endIndex, offsetBy: -2)
        return (negative ? "-" : "") + digits[..<cut] + "." + digits[cut...]
    }
}

extension Output {
    /// This output as CSV when `format` asks for it (and `--json` does not: one JSON document
    /// wins, as SPEC §2 promises); the CSV is written verbatim, not escaped for the terminal.
    func csv(_ format: CSVFormat?) -> Output {
        guard let format else { return self }
        var o = self
        o.verbatim = format.render(json)
        return o
    }
}
