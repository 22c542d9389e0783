import Foundation

/// The text formats a `RecordReader` reads.
public enum RecordFormat: String, Sendable, CaseIterable {
    case csv
    /// JSON Lines, also called NDJSON.
    case jsonl
    /// An Office Open XML workbook: one sheet's rows, read like CSV records.
    case xlsx
}

/// One record of a CSV or JSON Lines file: a CSV record's fields or a JSON Lines line's value.
public enum Record: Sendable, Equatable {
    case csv(CSVRecord)
    case jsonl(JSONLRecord)

    /// 1-based physical line the record starts on.
    public var line: Int {
        switch self {
        case .csv(let record): return record.line
        case .jsonl(let record): return record.line
        }
    }
}

/// Reads records from CSV or JSON Lines alike, one record at a time.
///
///     var reader = try RecordReader(format: .csv, fileHandle: handle,
///                                   requiredColumns: ["sku", "price"], fileName: path)
///     while let record = try reader.next() {
///         guard case .csv(let r) = record, r.fields.count == reader.columns!.count else { continue }
///     }
///
/// CSV: the first record is the header (`columns`). Creating the reader reads it and
/// throws when it lacks a required column (`missing-column`, naming them
/// all), names a column twice (`duplicate-column`), or the file is empty
/// (`bad-csv`). Columns not asked for are allowed; columns with an empty header name may
/// repeat. Records are returned as read: whether a record has as many fields as the header
/// has columns is the caller's business.
///
/// JSON Lines: each non-blank line is one JSON value, returned whatever it is (a line that
/// is not JSON at all is a file-level `bad-json` error thrown by `next()`); what a line must
/// hold, `requiredColumns` included, is the caller's business.
///
/// Errors are `CodecError(.invalidInput, …)`: the header's, and those of `CSVReader` and
/// `JSONLReader`.
public struct RecordReader {
    public let format: RecordFormat
    public let requiredColumns: [String]
    /// The CSV header's column names as written (nil for JSON Lines).
    public let columns: [String]?

    private var csv: CSVReader?
    private var jsonl: JSONLReader?
    private var workbook: XLSXReader?

    // MARK: - Creating

    /// Reads `format` from `source`, a provider of byte chunks.
    /// `maxFieldBytes` limits a CSV field or a JSON Lines line.
    public init(
        format: RecordFormat, source: @escaping ByteChunkSource, requiredColumns: [String] = [],
        maxFieldBytes: Int = CSVReader.defaultMaxFieldBytes, fileName: String? = nil,
        skipRecords: Int = 0, renameHeader: (([String]) -> [String])? = nil
    ) throws {
        self.format = format
        self.requiredColumns = requiredColumns
        switch format {
        case .csv:
            var reader = CSVReader(source: source, maxFieldBytes: maxFieldBytes, fileName: fileName)
            // Records before the header (an export's title lines): skipped as read, so line
            // numbers stay the file's own.
            var skipped = 0
            while skipped < skipRecords, try reader.next() != nil { skipped += 1 }
            var header = try reader.readHeader()
            if let renameHeader { header = CSVRecord(line: header.line, fields: renameHeader(header.fields)) }
            try RecordReader.check(header: header, requiredColumns: requiredColumns)
            columns = header.fields
            csv = reader
        case .jsonl:
            columns = nil
            jsonl = JSONLReader(source: source, maxLineBytes: maxFieldBytes, fileName: fileName)
        case .xlsx:
            throw CodecError(
                .usage, "format", en: "an .xlsx workbook is read from a file, not from a stream",
                zh: ".xlsx 工作簿只能从文件读取，不能从数据流读取")
        }
    }

    /// Reads a sheet of a workbook like CSV: its first non-empty row (after `skipRecords` of them)
    /// is the header; each record has its trailing empty cells trimmed, and a record shorter than
    /// the header is padded with empty fields (Excel writes no cell for an empty one); rows with
    /// no text at all are skipped.
    public init(
        workbook: XLSXReader, requiredColumns: [String] = [], skipRecords: Int = 0,
        renameHeader: (([String]) -> [String])? = nil
    ) throws {
        format = .xlsx
        self.requiredColumns = requiredColumns
        var workbook = workbook
        var skipped = 0
        while skipped < skipRecords, try workbook.next() != nil { skipped += 1 }
        guard var header = try workbook.next() else {
            throw CodecError(
                .invalidInput, "bad-xlsx",
                en: "the sheet \"\(workbook.sheetName)\" has no header row (it is empty)",
                zh: "工作表 “\(workbook.sheetName)” 没有表头行（它是空的）")
        }
        if let renameHeader { header = CSVRecord(line: header.line, fields: renameHeader(header.fields)) }
        try RecordReader.check(header: header, requiredColumns: requiredColumns)
        columns = header.fields
        self.workbook = workbook
    }

    /// Reads a file (or standard input) `chunkSize` bytes at a time.
    public init(
        format: RecordFormat, fileHandle: FileHandle, chunkSize: Int = ByteChunks.defaultChunkSize,
        requiredColumns: [String] = [], maxFieldBytes: Int = CSVReader.defaultMaxFieldBytes,
        fileName: String? = nil
    ) throws {
        try self.init(
            format: format, source: ByteChunks.fileHandle(fileHandle, chunkSize: chunkSize),
            requiredColumns: requiredColumns, maxFieldBytes: maxFieldBytes, fileName: fileName)
    }

    /// Reads bytes already in memory, handed over `chunkSize` at a time.
    public init(
        format: RecordFormat, bytes: [UInt8], chunkSize: Int = ByteChunks.defaultChunkSize,
        requiredColumns: [String] = [], maxFieldBytes: Int = CSVReader.defaultMaxFieldBytes,
        fileName: String? = nil
    ) throws {
        try self.init(
            format: format, source: ByteChunks.bytes(bytes, chunkSize: chunkSize),
            requiredColumns: requiredColumns, maxFieldBytes: maxFieldBytes, fileName: fileName)
    }

    /// Reads the UTF-8 bytes of `string`.
    public init(
        format: RecordFormat, string: String, requiredColumns: [String] = [],
        fileName: String? = nil
    ) throws {
        try self.init(
            format: format, bytes: Array(string.utf8),
            requiredColumns: requiredColumns, fileName: fileName)
    }

    // MARK: - Reading

    /// The next record (after the header, for CSV), or nil at the end of the file.
    public mutating func next() throws -> Record? {
        if csv != nil { return try csv!.next().map(Record.csv) }
        if workbook != nil {
            guard let record = try workbook!.next() else { return nil }
            let width = columns!.count
            guard record.fields.count < width else { return .csv(record) }
            return .csv(
                CSVRecord(
                    line: record.line,
                    fields: record.fields + [String](repeating: "", count: width - record.fields.count)))
        }
        return try jsonl!.next().map(Record.jsonl)
    }

    // MARK: - CSV

    private static func check(header: CSVRecord, requiredColumns: [String]) throws {
        var firstColumn: [String: Int] = [:]
        for (index, name) in header.fields.enumerated() where !name.isEmpty {
            if let first = firstColumn[name] {
                throw CodecError(
                    .invalidInput, "duplicate-column",
                    en: "the header (line \(header.line)) has the column \"\(name)\" twice "
                        + "(columns \(first) and \(index + 1))",
                    zh: "表头（第 \(header.line) 行）中的列 “\(name)” 出现了两次（第 \(first) 列和第 \(index + 1) 列）")
            }
            firstColumn[name] = index + 1
        }
        let missing = requiredColumns.filter { firstColumn[$0] == nil }
        guard missing.isEmpty else {
            let present = header.fields.filter { !$0.isEmpty }
            throw CodecError(
                .invalidInput, "missing-column",
                en: "the header (line \(header.line)) lacks the required column(s) "
                    + missing.map { "\"\($0)\"" }.joined(separator: ", ")
                    + "; its columns are " + present.map { "\"\($0)\"" }.joined(separator: ", "),
                zh: "表头（第 \(header.line) 行）缺少必需的列 "
                    + missing.map { "“\($0)”" }.joined(separator: "、")
                    + "；现有的列为 " + present.map { "“\($0)”" }.joined(separator: "、"))
        }
    }
}
