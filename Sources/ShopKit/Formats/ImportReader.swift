import Codecs
import Foundation

/// Reads import rows from CSV or JSON Lines alike, one row at a time.
///
///     let format = try ImportFormat.from(path: path, explicit: formatFlag)
///     var reader = try ImportReader(format: format, fileHandle: handle,
///                                   requiredColumns: ["sku", "price"], fileName: path)
///     while let row = try reader.next() {
///         if let problem = row.rowError { rejected.append(problem.error); continue }
///         let price = row.nonEmpty("price")
///     }
///
/// The records come from a `RecordReader` (Codecs); this reader makes them rows and its
/// errors `ShopError`s of kind `.invalidInput` (`ShopError(_:)`: the same code and message).
///
/// CSV: the first record is the header. Creating the reader reads it and
/// throws when it lacks a required column (`missing-column`, naming them
/// all), names a column twice (`duplicate-column`), or the file is empty
/// (`bad-csv`). Columns not asked for are allowed and passed through in
/// `values`; columns with an empty header name are ignored. A record with
/// the wrong number of fields comes back with `rowError` `.fieldCount`.
///
/// JSON Lines: each non-blank line should be an object. A line that is not
/// JSON at all is a file-level `bad-json` error thrown by `next()`; a valid
/// line that is not an object, has an array or object value, or lacks a
/// required key comes back with a `rowError` for the caller to reject.
/// `null` counts as present but empty, like an empty CSV field.
///
/// All other file-level errors are those of `CSVReader` and `JSONLReader`.
public struct ImportReader {
    public var format: ImportFormat { records.format }
    public var requiredColumns: [String] { records.requiredColumns }
    /// The CSV header's column names as written (nil for JSON Lines).
    public var columns: [String]? { records.columns }

    private var records: RecordReader
    private let columnMap: ColumnMap?
    /// How values are read (the store's zone, a map's time format and status words); may be set
    /// after creating the reader, for the rows read after.
    public var rules: ReadingRules?

    // MARK: - Creating

    /// Reads `format` from `source`, a provider of byte chunks.
    /// `maxFieldBytes` limits a CSV field or a JSON Lines line.
    public init(
        format: ImportFormat, source: @escaping ByteChunkSource, requiredColumns: [String] = [],
        maxFieldBytes: Int = CSVReader.defaultMaxFieldBytes, fileName: String? = nil, map: ImportMap? = nil
    ) throws {
        do {
            let m = map ?? ImportMap()
            records = try RecordReader(
                format: format, source: source, requiredColumns: requiredColumns, maxFieldBytes: maxFieldBytes,
                fileName: fileName, skipRecords: m.skipRows, renameHeader: { m.renames($0) ? m.rename($0) : $0 })
        } catch let e as CodecError {
            throw ShopError(e)
        }
        columnMap = records.columns.map(ColumnMap.init)
    }

    /// Reads the rows of a workbook's sheet (the first row, after the map's `skip_rows`, is the header).
    public init(
        workbook: XLSXReader, requiredColumns: [String] = [], map: ImportMap? = nil
    ) throws {
        do {
            let m = map ?? ImportMap()
            records = try RecordReader(
                workbook: workbook, requiredColumns: requiredColumns, skipRecords: m.skipRows,
                renameHeader: { m.renames($0) ? m.rename($0) : $0 })
        } catch let e as CodecError {
            throw ShopError(e)
        }
        columnMap = records.columns.map(ColumnMap.init)
    }

    /// Reads a file (or standard input) `chunkSize` bytes at a time.
    public init(
        format: ImportFormat, fileHandle: FileHandle, chunkSize: Int = ByteChunks.defaultChunkSize,
        requiredColumns: [String] = [], maxFieldBytes: Int = CSVReader.defaultMaxFieldBytes,
        fileName: String? = nil, map: ImportMap? = nil
    ) throws {
        try self.init(
            format: format, source: ByteChunks.fileHandle(fileHandle, chunkSize: chunkSize),
            requiredColumns: requiredColumns, maxFieldBytes: maxFieldBytes, fileName: fileName, map: map)
    }

    /// Reads bytes already in memory, handed over `chunkSize` at a time.
    public init(
        format: ImportFormat, bytes: [UInt8], chunkSize: Int = ByteChunks.defaultChunkSize,
        requiredColumns: [String] = [], maxFieldBytes: Int = CSVReader.defaultMaxFieldBytes,
        fileName: String? = nil, map: ImportMap? = nil
    ) throws {
        try self.init(
            format: format, source: ByteChunks.bytes(bytes, chunkSize: chunkSize),
            requiredColumns: requiredColumns, maxFieldBytes: maxFieldBytes, fileName: fileName, map: map)
    }

    /// Reads the UTF-8 bytes of `string`.
    public init(
        format: ImportFormat, string: String, requiredColumns: [String] = [],
        fileName: String? = nil, map: ImportMap? = nil
    ) throws {
        try self.init(
            format: format, bytes: Array(string.utf8),
            requiredColumns: requiredColumns, fileName: fileName, map: map)
    }

    // MARK: - Reading

    /// The next data row, or nil at the end of the file.
    public mutating func next() throws -> ImportRow? {
        let record: Record?
        do { record = try records.next() } catch let e as CodecError { throw ShopError(e) }
        switch record {
        case nil: return nil
        case .csv(let r): return ImportReader.row(from: r, columnCount: columns!.count, map: columnMap!, rules: rules)
        case .jsonl(let r): return ImportReader.row(from: r, requiredColumns: requiredColumns, rules: rules)
        }
    }

    // MARK: - CSV

    private static func row(from record: CSVRecord, columnCount: Int, map: ColumnMap, rules: ReadingRules?) -> ImportRow {
        let count = record.fields.count
        let problem =
            count == columnCount
            ? nil
            : RowError(line: record.line, reason: .fieldCount(expected: columnCount, found: count))
        return ImportRow(line: record.line, columns: map, fields: record.fields, rowError: problem, rules: rules)
    }

    // MARK: - JSON Lines

    private static func row(from record: JSONLRecord, requiredColumns: [String], rules: ReadingRules?) -> ImportRow {
        guard let members = record.value.objectValue else {
            return ImportRow(
                line: record.line, values: [:],
                rowError: RowError(line: record.line, reason: .notAnObject), rules: rules)
        }
        var values: [String: String?] = [:]
        var nested: String?
        for (key, value) in members {
            switch value {
            case .string(let text): values.updateValue(text, forKey: key)
            case .number(let lexeme): values.updateValue(lexeme, forKey: key)
            case .bool(let flag): values.updateValue(flag ? "true" : "false", forKey: key)
            case .null: values.updateValue(nil, forKey: key)
            case .array, .object: nested = nested ?? key
            }
        }
        var problem: RowError?
        if let nested {
            problem = RowError(line: record.line, reason: .nestedValue(column: nested))
        } else {
            let missing = requiredColumns.filter { values[$0] == nil }
            if !missing.isEmpty { problem = RowError(line: record.line, reason: .missingColumns(missing)) }
        }
        return ImportRow(line: record.line, values: values, rowError: problem, rules: rules)
    }
}
