import Foundation

/// The strings of `xl/sharedStrings.xml`, stored compactly: one byte buffer and the offsets
/// where each string starts (a million strings cost their bytes plus 4 bytes each).
public struct SharedStrings: Sendable {
    private var bytes: [UInt8] = []
    private var offsets: [Int32] = [0]

    public init() {}

    public var count: Int { offsets.count - 1 }

    /// The most text the shared strings may hold: 256 MiB (an export of a million orders holds
    /// a few tens of MiB); more is refused rather than held in memory.
    public static let maxBytes = 256 * 1024 * 1024

    mutating func append(_ string: [UInt8]) -> Bool {
        guard bytes.count + string.count <= SharedStrings.maxBytes else { return false }
        bytes.append(contentsOf: string)
        offsets.append(Int32(bytes.count))
        return true
    }

    public subscript(index: Int) -> String {
        String(decoding: bytes[Int(offsets[index])..<Int(offsets[index + 1])], as: UTF8.self)
    }
}

/// Reads the rows of one sheet of an `.xlsx` workbook (Office Open XML, ECMA-376), streaming.
///
///     var book = try XLSXReader(source: FileSource(path: "orders.xlsx")!, sheet: nil)
///     while let row = try book.next() { print(row.line, row.fields) }
///
/// Reads the workbook (sheet names in order, `date1904`), its relationships, the shared strings
/// (rich text runs joined, phonetic runs left out), the styles (which cell formats are dates:
/// built-in formats 14–22 and 45–47, and custom formats whose code has y, m, d, h or s outside
/// quotes and brackets), then the sheet row by row. A cell's text is what Excel shows for it:
/// - a shared or inline string, or a formula's string result, as written;
/// - a number as Excel's General format shows it: at most 15 significant digits
///   (`129.49999999999997` → `129.5`), in scientific notation (`1.23456789012346E+17`) from
///   10^15 up and below 10^-9;
/// - a number under a date style as `yyyy-MM-dd HH:mm:ss` (the 1900 date system, with its
///   fictitious 1900-02-29 at serial 60, or the 1904 one), to the nearest second;
/// - a boolean as `TRUE` / `FALSE`, an error cell as its text (`#N/A`).
/// Cells missing from a row (by their `r` reference) are empty fields; trailing empty fields
/// are trimmed. `line` is the row's number (`r` of `<row>`).
///
/// Errors are `CodecError(.invalidInput, …)`: `bad-zip` for the archive, `bad-xlsx` for its
/// content (a missing part, a shared string index that does not exist, a cell reference that
/// is out of order or past column XFD, a row past 1,048,576, a row of more than `maxColumns`
/// cells, a cell over `maxCellBytes`, XML it cannot read), naming the sheet, the row and the
/// column; `unknown-sheet` (kind `.usage`) for a `sheet` the workbook lacks, naming its sheets.
public struct XLSXReader {
    public static let maxColumns = 16_384
    public static let maxRows = 1_048_576
    /// The longest cell text read: 128 KiB (Excel's own limit is 32,767 characters).
    public static let defaultMaxCellBytes = 128 * 1024

    /// The sheets' names in workbook order.
    public let sheetNames: [String]
    /// The sheet being read.
    public let sheetName: String
    public let sheetPart: String
    public let date1904: Bool
    public let maxCellBytes: Int

    private let archive: ZipArchive
    private let strings: SharedStrings
    private let dateStyles: [Bool]
    private var xml: XMLTokenizer
    private var lastRow = 0
    private var done = false
    private var inSheetData = false

    public init(
        source: RandomAccessSource, sheet: String? = nil, maxCellBytes: Int = XLSXReader.defaultMaxCellBytes,
        maxEntryBytes: Int = ZipArchive.defaultMaxEntryBytes
    ) throws {
        archive = try ZipArchive(source: source, maxEntryBytes: maxEntryBytes)
        self.maxCellBytes = maxCellBytes
        // _rels/.rels names the workbook part.
        var workbookPart = "xl/workbook.xml"
        if let rels = archive.entry(named: "_rels/.rels") {
            for r in try XLSXReader.relationships(archive, rels, base: "") where r.type.hasSuffix("/officeDocument") {
                workbookPart = r.target
            }
        }
        guard let workbookEntry = archive.entry(named: workbookPart) else {
            throw XLSXReader.error(
                en: "the archive has no \(workbookPart): it is a zip file but not an .xlsx workbook",
                zh: "压缩包中没有 \(workbookPart)：这是 zip 文件，但不是 .xlsx 工作簿")
        }
        let base = workbookPart.split(separator: "/").dropLast().joined(separator: "/")
        var sheets: [(name: String, id: String)] = []
        var is1904 = false
        var book = XMLTokenizer(source: try archive.open(workbookEntry), part: workbookPart)
        while let event = try book.next() {
            guard event == .start else { continue }
            if book.nameIs("sheet") {
                sheets.append((try book.attributeText("name") ?? "", try book.attributeText("id") ?? ""))
                guard sheets.count <= 65_536 else {
                    throw XLSXReader.error(en: "\(workbookPart) lists more than 65,536 sheets", zh: "\(workbookPart) 列出的工作表超过 65,536 个")
                }
            } else if book.nameIs("workbookPr") {
                let v = try book.attributeText("date1904")
                is1904 = v == "1" || v == "true"
            }
        }
        date1904 = is1904
        sheetNames = sheets.map(\.name)
        var targets: [String: String] = [:]
        var stringsPart: String?
        var stylesPart: String?
        let relsPart =
            (base.isEmpty ? "" : base + "/") + "_rels/" + (workbookPart.split(separator: "/").last.map(String.init) ?? "")
            + ".rels"
        if let rels = archive.entry(named: relsPart) {
            for r in try XLSXReader.relationships(archive, rels, base: base) {
                targets[r.id] = r.target
                if r.type.hasSuffix("/sharedStrings") { stringsPart = r.target }
                if r.type.hasSuffix("/styles") { stylesPart = r.target }
            }
        }
        guard !sheets.isEmpty else {
            throw XLSXReader.error(en: "\(workbookPart) lists no sheet", zh: "\(workbookPart) 中没有工作表")
        }
        let chosen: (name: String, id: String)
        if let sheet {
            guard let found = sheets.first(where: { $0.name == sheet }) else {
                let list = sheets.map { "\"\($0.name)\"" }.joined(separator: ", ")
                let zhList = sheets.map { "“\($0.name)”" }.joined(separator: "、")
                throw CodecError(
                    .usage, "unknown-sheet", en: "the workbook has no sheet \"\(sheet)\"; its sheets are \(list)",
                    zh: "工作簿中没有名为 “\(sheet)” 的工作表；现有的工作表为 \(zhList)")
            }
            chosen = found
        } else {
            chosen = sheets[0]
        }
        sheetName = chosen.name
        let part = targets[chosen.id] ?? "\(base)/worksheets/sheet\(sheets.firstIndex { $0.id == chosen.id }! + 1).xml"
        guard let sheetEntry = archive.entry(named: part) else {
            throw XLSXReader.error(
                en: "the sheet \"\(chosen.name)\" (\(part)) is missing from the archive",
                zh: "压缩包中缺少工作表 “\(chosen.name)”（\(part)）")
        }
        sheetPart = part
        strings = try XLSXReader.sharedStrings(
            archive, archive.entry(named: stringsPart ?? "\(base)/sharedStrings.xml"), maxCellBytes: maxCellBytes)
        dateStyles = try XLSXReader.dateStyles(archive, archive.entry(named: stylesPart ?? "\(base)/styles.xml"))
        xml = XMLTokenizer(source: try archive.open(sheetEntry), part: part, maxTokenBytes: 4 * maxCellBytes + 1024)
    }

    // MARK: - Rows

    private var value: [UInt8] = []
    private var fields: [String] = []

    /// The next row that has a non-empty cell, or nil after the last.
    public mutating func next() throws -> CSVRecord? {
        if done { return nil }
        enum Capture { case none, value, text, phonetic }
        var capture = Capture.none
        var inCell = false
        var inInline = false
        var column = 0
        var cellType = CellType.number
        var cellStyle = 0
        var row = 0
        var rowHasText = false
        var phoneticDepth = 0
        fields.removeAll(keepingCapacity: true)
        while let event = try nextEvent(row: row) {
            switch event {
            case .text:
                if capture == .value || capture == .text {
                    // The usual cell has one run of text: taken over, not copied.
                    if value.isEmpty { xml.swapText(with: &value) } else { value.append(contentsOf: xml.text) }
                    if value.count > maxCellBytes {
                        throw cellError(
                            row, column, en: "the cell is longer than \(maxCellBytes) bytes", zh: "单元格超过 \(maxCellBytes) 字节")
                    }
                }
            case .start:
                if !inSheetData {
                    if xml.nameIs("sheetData") { inSheetData = !xml.selfClosing }
                    continue
                }
                if xml.nameIs("c") {
                    guard row > 0 else { throw rowError(lastRow, en: "a cell outside a row", zh: "单元格不在行内") }
                    let previous = column
                    column = try cellColumn(row: row, after: previous)
                    guard column > previous else {
                        throw cellError(
                            row, column, en: "the cell comes after column \(previous) of the same row: cells out of order",
                            zh: "该单元格位于同一行第 \(previous) 列之后：单元格顺序错乱")
                    }
                    guard column <= XLSXReader.maxColumns else {
                        throw cellError(
                            row, column,
                            en: "the row has a cell past column \(XLSXReader.maxColumns) (XFD), more than a sheet can hold",
                            zh: "该行有超出第 \(XLSXReader.maxColumns) 列（XFD）的单元格，超过了工作表的容量")
                    }
                    cellType = try xml.withRawAttribute("t") { CellType($0) }
                    cellStyle = try xml.withRawAttribute("s") { raw in
                        guard let raw else { return 0 }
                        guard let n = XLSXReader.integer(raw) else {
                            throw cellError(row, column, en: "the style index is not a number", zh: "样式编号不是数字")
                        }
                        return n
                    }
                    value.removeAll(keepingCapacity: true)
                    inCell = !xml.selfClosing
                    if xml.selfClosing { try place("", column: column) }
                } else if inCell && xml.nameIs("v") {
                    if !xml.selfClosing { capture = .value }
                } else if inCell && xml.nameIs("is") {
                    inInline = !xml.selfClosing
                } else if inInline && xml.nameIs("rPh") {
                    if !xml.selfClosing {
                        phoneticDepth += 1
                        capture = .phonetic
                    }
                } else if inInline && phoneticDepth == 0 && xml.nameIs("t") {
                    if !xml.selfClosing { capture = .text }
                } else if xml.nameIs("row") {
                    let r =
                        try xml.withRawAttribute("r") { raw -> Int? in
                            guard let raw else { return nil }
                            guard let n = XLSXReader.integer(raw) else {
                                throw rowError(lastRow + 1, en: "the row number is not a number", zh: "行号不是数字")
                            }
                            return n
                        } ?? (lastRow + 1)
                    guard r > lastRow else {
                        throw rowError(
                            r, en: "row \(r) comes after row \(lastRow): rows out of order", zh: "第 \(r) 行出现在第 \(lastRow) 行之后：行顺序错乱")
                    }
                    guard r <= XLSXReader.maxRows else {
                        throw rowError(
                            r, en: "a row past row \(XLSXReader.maxRows), more than a sheet can hold",
                            zh: "行号超过 \(XLSXReader.maxRows)，超过了工作表的容量")
                    }
                    row = r
                    lastRow = r
                    column = 0
                    rowHasText = false
                    fields.removeAll(keepingCapacity: true)
                    if xml.selfClosing { row = 0 }
                }
            case .end:
                guard inSheetData else { continue }
                if xml.nameIs("v") || xml.nameIs("t") {
                    if capture != .phonetic { capture = .none }
                } else if xml.nameIs("rPh") {
                    phoneticDepth = max(0, phoneticDepth - 1)
                    if phoneticDepth == 0 { capture = .none }
                } else if xml.nameIs("is") {
                    inInline = false
                } else if xml.nameIs("c") {
                    guard inCell else { continue }
                    inCell = false
                    let text = try cellText(cellType, style: cellStyle, row: row, column: column, inline: inInline)
                    if !text.isEmpty { rowHasText = true }
                    try place(text, column: column)
                } else if xml.nameIs("row") {
                    let number = row
                    row = 0
                    if rowHasText {
                        while fields.last?.isEmpty == true { fields.removeLast() }
                        return CSVRecord(line: number, fields: fields)
                    }
                } else if xml.nameIs("sheetData") {
                    // Read the part to its end, so that its size and CRC-32 are checked.
                    while try nextEvent(row: 0) != nil {}
                    done = true
                    return nil
                }
            }
        }
        done = true
        guard !inSheetData else {
            throw XLSXReader.error(en: "\(sheetPart) ends inside its rows (cut short?)", zh: "\(sheetPart) 在数据行中间结束（被截断？）")
        }
        return nil
    }

    /// The sheet's next event; an archive error met on the way (a zip bomb, a bad CRC-32, broken
    /// compressed data) names the row being read, or the last row read.
    private mutating func nextEvent(row: Int) throws -> XMLTokenizer.Event? {
        do {
            return try xml.next()
        } catch let e as CodecError where e.code != "bad-xlsx" {
            let at = row > 0 ? row : lastRow
            guard at > 0 else {
                throw CodecError(
                    e.kind, e.code, en: "sheet \"\(sheetName)\": \(e.message.en)", zh: "工作表 “\(sheetName)”：\(e.message.zh)")
            }
            throw CodecError(
                e.kind, e.code, en: "sheet \"\(sheetName)\", line \(at): \(e.message.en)",
                zh: "工作表 “\(sheetName)” 第 \(at) 行：\(e.message.zh)")
        }
    }

    /// The most text one row may hold: 16 MiB (the CSV reader's field limit).
    public static let maxRowBytes = 16 * 1024 * 1024
    private var rowBytes = 0

    private mutating func place(_ text: String, column: Int) throws {
        if fields.isEmpty { rowBytes = 0 }
        rowBytes += text.utf8.count
        guard rowBytes <= XLSXReader.maxRowBytes else {
            throw cellError(
                lastRow, column, en: "the row holds more than \(XLSXReader.maxRowBytes) bytes of text",
                zh: "该行的文本超过 \(XLSXReader.maxRowBytes) 字节")
        }
        while fields.count < column - 1 { fields.append("") }
        fields.append(text)
    }

    // MARK: - Cells

    private enum CellType {
        case number, shared, inline, string, boolean, error, date
        init(_ raw: UnsafeBufferPointer<UInt8>?) {
            guard let raw, !raw.isEmpty else {
                self = .number
                return
            }
            switch (raw.count, raw[0]) {
            case (1, UInt8(ascii: "s")): self = .shared
            case (1, UInt8(ascii: "b")): self = .boolean
            case (1, UInt8(ascii: "e")): self = .error
            case (1, UInt8(ascii: "d")): self = .date
            case (3, UInt8(ascii: "s")): self = .string
            case (9, UInt8(ascii: "i")): self = .inline
            default: self = .number
            }
        }
    }

    /// The cell's column from its `r` reference (`B7` → 2), or the one after `previous`.
    private func cellColumn(row: Int, after previous: Int) throws -> Int {
        try xml.withRawAttribute("r") { raw in
            guard let raw, !raw.isEmpty else { return previous + 1 }
            var column = 0
            var i = 0
            while i < raw.count, raw[i] >= UInt8(ascii: "A"), raw[i] <= UInt8(ascii: "Z") {
                column = column * 26 + Int(raw[i] - UInt8(ascii: "A") + 1)
                i += 1
                guard column <= XLSXReader.maxColumns else {
                    throw cellError(
                        row, previous + 1, en: "the cell reference goes past column XFD", zh: "单元格引用超出了 XFD 列")
                }
            }
            var number = 0
            let digitsFrom = i
            while i < raw.count, raw[i] >= UInt8(ascii: "0"), raw[i] <= UInt8(ascii: "9"), number <= XLSXReader.maxRows {
                number = number * 10 + Int(raw[i] - UInt8(ascii: "0"))
                i += 1
            }
            guard column > 0, i == raw.count, i > digitsFrom, number == row else {
                let shown = String(decoding: raw, as: UTF8.self)
                throw cellError(
                    row, previous + 1, en: "the cell reference \"\(shown)\" is not a cell of row \(row)",
                    zh: "单元格引用 “\(shown)” 不是第 \(row) 行的单元格")
            }
            return column
        }
    }

    private func cellText(_ type: CellType, style: Int, row: Int, column: Int, inline: Bool) throws -> String {
        switch type {
        case .shared:
            guard let index = value.withUnsafeBufferPointer({ XLSXReader.integer($0) }) else {
                throw cellError(row, column, en: "the shared string index is not a number", zh: "共享字符串编号不是数字")
            }
            guard index < strings.count else {
                throw cellError(
                    row, column,
                    en: "the cell refers to shared string \(index), but the workbook has \(strings.count)",
                    zh: "单元格引用了第 \(index) 个共享字符串，但工作簿只有 \(strings.count) 个")
            }
            return strings[index]
        case .inline, .string, .error, .date:
            return String(decoding: value, as: UTF8.self)
        case .boolean:
            switch value {
            case [UInt8(ascii: "1")]: return "TRUE"
            case [UInt8(ascii: "0")]: return "FALSE"
            default: return String(decoding: value, as: UTF8.self)
            }
        case .number:
            if inline { return String(decoding: value, as: UTF8.self) }
            if value.isEmpty { return "" }
            if style < dateStyles.count && dateStyles[style], let text = dateText() { return text }
            guard let text = XLSXReader.general(value) else {
                throw cellError(
                    row, column, en: "the number \"\(String(decoding: value, as: UTF8.self))\" cannot be read",
                    zh: "无法读取数字 “\(String(decoding: value, as: UTF8.self))”")
            }
            return text
        }
    }

    /// A date serial as `yyyy-MM-dd HH:mm:ss`, nil when it is not a date Excel can show.
    private func dateText() -> String? {
        guard let serial = XLSXReader.double(value), serial >= 0, serial < 2_958_466 else { return nil }
        var days = Int(serial.rounded(.down))
        var seconds = Int(((serial - Double(days)) * 86_400).rounded())
        if seconds >= 86_400 {
            days += 1
            seconds -= 86_400
        }
        let (y, m, d): (Int, Int, Int)
        if date1904 {
            (y, m, d) = CivilDays.date(fromDay: days - 24_107)
        } else if days == 60 {
            (y, m, d) = (1900, 2, 29)
        } else {
            (y, m, d) = CivilDays.date(fromDay: days - (days < 60 ? 25_568 : 25_569))
        }
        // The serial's range keeps the year within 1899…9999: four digits.
        return String(unsafeUninitializedCapacity: 19) { out in
            func put(_ n: Int, _ at: Int, _ width: Int) {
                var n = n
                for k in stride(from: at + width - 1, through: at, by: -1) {
                    out[k] = UInt8(ascii: "0") + UInt8(n % 10)
                    n /= 10
                }
            }
            put(y, 0, 4)
            out[4] = UInt8(ascii: "-")
            put(m, 5, 2)
            out[7] = UInt8(ascii: "-")
            put(d, 8, 2)
            out[10] = UInt8(ascii: " ")
            put(seconds / 3600, 11, 2)
            out[13] = UInt8(ascii: ":")
            put(seconds / 60 % 60, 14, 2)
            out[16] = UInt8(ascii: ":")
            put(seconds % 60, 17, 2)
            return 19
        }
    }

    /// `bytes` as a `Double`, as `Double(String)` reads them; plain decimals (digits with at most
    /// one point, the way a workbook writes a date serial) are read by `strtod` straight from the
    /// bytes, without making a `String`.
    static func double(_ bytes: [UInt8]) -> Double? {
        guard !bytes.isEmpty, bytes.count < 64 else { return Double(String(decoding: bytes, as: UTF8.self)) }
        var dots = 0
        var digits = 0
        for c in bytes {
            if c == UInt8(ascii: ".") {
                dots += 1
            } else if c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9") {
                digits += 1
            } else {
                return Double(String(decoding: bytes, as: UTF8.self))
            }
        }
        guard dots <= 1, digits > 0 else { return Double(String(decoding: bytes, as: UTF8.self)) }
        return withUnsafeTemporaryAllocation(of: CChar.self, capacity: 64) { buffer in
            for (k, c) in bytes.enumerated() { buffer[k] = CChar(bitPattern: c) }
            buffer[bytes.count] = 0
            return strtod(buffer.baseAddress!, nil)
        }
    }

    /// A number as Excel's General format shows it (15 significant digits), nil when it is not one.
    public static func general(_ bytes: [UInt8]) -> String? {
        // Plain decimals of at most 15 significant digits are shown as written.
        var significant = 0
        var seenNonZero = false
        var dots = 0
        var plain = !bytes.isEmpty && bytes.count <= 17
        for (i, c) in bytes.enumerated() where plain {
            switch c {
            case UInt8(ascii: "0"):
                if seenNonZero { significant += 1 }
            case UInt8(ascii: "1")...UInt8(ascii: "9"):
                seenNonZero = true
                significant += 1
            case UInt8(ascii: "."):
                dots += 1
            case UInt8(ascii: "-") where i == 0:
                break
            default:
                plain = false
            }
        }
        if plain && dots <= 1 && significant <= 15 && bytes.last != UInt8(ascii: ".") && bytes.first != UInt8(ascii: ".")
            && bytes != [UInt8(ascii: "-")]
        {
            if dots == 1 && bytes.last == UInt8(ascii: "0") { return trimmedFraction(String(decoding: bytes, as: UTF8.self)) }
            return String(decoding: bytes, as: UTF8.self)
        }
        guard let x = Double(String(decoding: bytes, as: UTF8.self)), x.isFinite else { return nil }
        if x == 0 { return "0" }
        // d.dddddddddddddde±XX: 15 significant digits, rounded by the C library.
        let formatted = withVaList([x]) { args -> String in
            var buffer = [CChar](repeating: 0, count: 64)
            _ = vsnprintf(&buffer, 64, "%.14e", args)
            return String(cString: buffer)
        }
        let negative = formatted.hasPrefix("-")
        let body = negative ? String(formatted.dropFirst()) : formatted
        let parts = body.split(separator: "e")
        guard parts.count == 2, let exponent = Int(parts[1]) else { return nil }
        var digits = Array(parts[0].replacingOccurrences(of: ".", with: ""))
        while digits.count > 1 && digits.last == "0" { digits.removeLast() }
        let sign = negative ? "-" : ""
        if exponent >= 15 || exponent < -9 {
            let mantissa = digits.count == 1 ? String(digits) : "\(digits[0]).\(String(digits[1...]))"
            return "\(sign)\(mantissa)E\(exponent < 0 ? "-" : "+")\(abs(exponent) < 10 ? "0" : "")\(abs(exponent))"
        }
        if exponent < 0 {
            return sign + "0." + String(repeating: "0", count: -exponent - 1) + String(digits)
        }
        if digits.count <= exponent + 1 {
            return sign + String(digits) + String(repeating: "0", count: exponent + 1 - digits.count)
        }
        return sign + String(digits[0...exponent]) + "." + String(digits[(exponent + 1)...])
    }

    private static func trimmedFraction(_ s: String) -> String {
        var t = s
        while t.hasSuffix("0") { t.removeLast() }
        if t.hasSuffix(".") { t.removeLast() }
        return t == "-0" ? "0" : t
    }

    static func integer(_ raw: UnsafeBufferPointer<UInt8>) -> Int? {
        guard !raw.isEmpty, raw.count <= 10 else { return nil }
        var n = 0
        for c in raw {
            guard c >= UInt8(ascii: "0"), c <= UInt8(ascii: "9") else { return nil }
            n = n * 10 + Int(c - UInt8(ascii: "0"))
        }
        return n
    }

    // MARK: - Errors

    private func cellError(_ row: Int, _ column: Int, en: String, zh: String) -> CodecError {
        CodecError(
            .invalidInput, "bad-xlsx",
            en: "sheet \"\(sheetName)\", line \(row), column \(column) (\(XLSXReader.reference(row, column))): \(en)",
            zh: "工作表 “\(sheetName)” 第 \(row) 行第 \(column) 列（\(XLSXReader.reference(row, column))）：\(zh)")
    }

    private func rowError(_ row: Int, en: String, zh: String) -> CodecError {
        CodecError(
            .invalidInput, "bad-xlsx", en: "sheet \"\(sheetName)\", line \(row): \(en)",
            zh: "工作表 “\(sheetName)” 第 \(row) 行：\(zh)")
    }

    /// `(7, 2)` → `B7`.
    static func reference(_ row: Int, _ column: Int) -> String {
        var letters = ""
        var c = column
        while c > 0 {
            let r = (c - 1) % 26
            letters = String(UnicodeScalar(UInt8(65 + r))) + letters
            c = (c - 1) / 26
        }
        return letters + String(row)
    }

    static func error(en: String, zh: String) -> CodecError {
        CodecError(.invalidInput, "bad-xlsx", en: "not a readable .xlsx workbook: \(en)", zh: "无法读取的 .xlsx 工作簿：\(zh)")
    }

    // MARK: - Parts

    private struct Relationship {
        let id: String
        let type: String
        let target: String
    }

    private static func relationships(_ archive: ZipArchive, _ entry: ZipEntry, base: String) throws -> [Relationship] {
        var xml = XMLTokenizer(source: try archive.open(entry), part: entry.name)
        var out: [Relationship] = []
        while let event = try xml.next() {
            guard event == .start, xml.nameIs("Relationship") else { continue }
            var target = try xml.attributeText("Target") ?? ""
            if target.hasPrefix("/") {
                target.removeFirst()
            } else {
                var parts = base.split(separator: "/").map(String.init)
                for piece in target.split(separator: "/") {
                    if piece == ".." {
                        _ = parts.popLast()
                    } else if piece != "." {
                        parts.append(String(piece))
                    }
                }
                target = parts.joined(separator: "/")
            }
            guard out.count < 200_000 else {
                throw XLSXReader.error(en: "\(entry.name) lists too many relationships", zh: "\(entry.name) 中的关系过多")
            }
            out.append(
                Relationship(id: try xml.attributeText("Id") ?? "", type: try xml.attributeText("Type") ?? "", target: target))
        }
        return out
    }

    private static func sharedStrings(_ archive: ZipArchive, _ entry: ZipEntry?, maxCellBytes: Int) throws -> SharedStrings {
        var strings = SharedStrings()
        guard let entry else { return strings }
        var xml = XMLTokenizer(source: try archive.open(entry), part: entry.name, maxTokenBytes: 4 * maxCellBytes + 1024)
        var current: [UInt8] = []
        var inItem = false
        var inText = false
        var phonetic = 0
        while let event = try xml.next() {
            switch event {
            case .start:
                if xml.nameIs("si") {
                    current.removeAll(keepingCapacity: true)
                    inItem = true
                    if xml.selfClosing {
                        _ = strings.append([])
                        inItem = false
                    }
                } else if xml.nameIs("rPh") {
                    if !xml.selfClosing { phonetic += 1 }
                } else if inItem && phonetic == 0 && xml.nameIs("t") {
                    inText = !xml.selfClosing
                }
            case .text:
                if inText {
                    current.append(contentsOf: xml.text)
                    guard current.count <= maxCellBytes else {
                        throw xml.error(
                            at: 0, en: "shared string \(strings.count) is longer than \(maxCellBytes) bytes",
                            zh: "第 \(strings.count) 个共享字符串超过 \(maxCellBytes) 字节")
                    }
                }
            case .end:
                if xml.nameIs("t") {
                    inText = false
                } else if xml.nameIs("rPh") {
                    phonetic = max(0, phonetic - 1)
                } else if xml.nameIs("si") {
                    guard strings.append(current) else {
                        throw xml.error(
                            at: 0, en: "the shared strings hold more than \(SharedStrings.maxBytes) bytes of text",
                            zh: "共享字符串的文本超过 \(SharedStrings.maxBytes) 字节")
                    }
                    inItem = false
                }
            }
        }
        return strings
    }

    /// For each cell format (`cellXfs`), whether it shows a date.
    private static func dateStyles(_ archive: ZipArchive, _ entry: ZipEntry?) throws -> [Bool] {
        guard let entry else { return [] }
        var xml = XMLTokenizer(source: try archive.open(entry), part: entry.name)
        var customDates: [Int: Bool] = [:]
        var styles: [Bool] = []
        var inCellXfs = false
        while let event = try xml.next() {
            switch event {
            case .start:
                if xml.nameIs("numFmt") {
                    if let id = try xml.attributeText("numFmtId").flatMap({ Int($0) }) {
                        customDates[id] = isDateFormat(try xml.attributeText("formatCode") ?? "")
                    }
                } else if xml.nameIs("cellXfs") {
                    inCellXfs = !xml.selfClosing
                } else if inCellXfs && xml.nameIs("xf") {
                    let id = try xml.attributeText("numFmtId").flatMap { Int($0) } ?? 0
                    styles.append(customDates[id] ?? ((14...22).contains(id) || (45...47).contains(id)))
                    guard styles.count <= 1_000_000 else {
                        throw xml.error(at: 0, en: "more than 1,000,000 cell formats", zh: "单元格格式超过 1,000,000 个")
                    }
                }
            case .end:
                if xml.nameIs("cellXfs") { inCellXfs = false }
            case .text:
                break
            }
        }
        return styles
    }

    /// Whether a number format code shows a date or time: y, m, d, h or s outside quotes,
    /// brackets (`[Red]`, `[$-409]`) and escapes.
    public static func isDateFormat(_ code: String) -> Bool {
        var inQuote = false
        var inBracket = false
        var escaped = false
        for c in code.unicodeScalars {
            if escaped {
                escaped = false
                continue
            }
            if inQuote {
                if c == "\"" { inQuote = false }
                continue
            }
            if inBracket {
                if c == "]" { inBracket = false }
                continue
            }
            switch c {
            case "\"": inQuote = true
            case "[": inBracket = true
            case "\\", "_", "*": escaped = true
            case "y", "Y", "m", "M", "d", "D", "h", "H", "s", "S": return true
            case ";": return false  // only the first section decides
            default: break
            }
        }
        return false
    }
}
