import Foundation

/// Reads import rows from CSV or JSON Lines alike, one row at a time.
///
///     let format = try ImportFormat.from(path: path, explicit: formatFlag)
///     var reader = try RecordReader(format: format, fileHandle: handle,
///                                   requiredColumns: ["sku", "price"], fileName: path)
///     while let row = try reader.next() {
///         if let problem = row.rowError { rejected.append(problem.error); continue }
///         let price = row.nonEmpty("price")
///     }
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
public struct RecordReader {
    public let format: ImportFormat
    public let requiredColumns: [String]
    /// The CSV header's column names as written (nil for JSON Lines).
    public let columns: [String]?

    private var csv: CSVReader?
    private var columnMap: ColumnMap?
    private var jsonl: JSONLReader?

    // MARK: - Creating

    /// Reads `format` from `source`, a provider of byte chunks.
    /// `maxFieldBytes` limits a CSV field or a JSON Lines line.
    public init(
        format: ImportFormat, source: @escaping ByteChunkSource, requiredColumns: [String] = [],
        maxFieldBytes: Int = CSVReader.defaultMaxFieldBytes, fileName: String? = nil
    ) throws {
        self.format = format
        self.requiredColumns = requiredColumns
        switch format {
        case .csv:
            var reader = CSVReader(source: source, maxFieldBytes: maxFieldBytes, fileName: fileName)
            let header = try reader.readHeader()
            try RecordReader.check(header: header, requiredColumns: requiredColumns)
            columns = header.fields
            columnMap = ColumnMap(header.fields)
            csv = reader
        case .jsonl:
            columns = nil
            jsonl = JSONLReader(source: source, maxLineBytes: maxFieldBytes, fileName: fileName)
        }
    }

    /// Reads a file (or standard input) `chunkSize` bytes at a time.
    public init(
        format: ImportFormat, fileHandle: FileHandle, chunkSize: Int = ByteChunks.defaultChunkSize,
        requiredColumns: [String] = [], maxFieldBytes: Int = CSVReader.defaultMaxFieldBytes,
        fileName: String? = nil
    ) throws {
        try self.init(
            format: format, source: ByteChunks.fileHandle(fileHandle, chunkSize: chunkSize),
            requiredColumns: requiredColumns, maxFieldBytes: maxFieldBytes, fileName: fileName)
    }

    /// Reads bytes already in memory, handed over `chunkSize` at a time.
    public init(
        format: ImportFormat, bytes: [UInt8], chunkSize: Int = ByteChunks.defaultChunkSize,
        requiredColumns: [String] = [], maxFieldBytes: Int = CSVReader.defaultMaxFieldBytes,
        fileName: String? = nil
    ) throws {
        try self.init(
            format: format, source: ByteChunks.bytes(bytes, chunkSize: chunkSize),
            requiredColumns: requiredColumns, maxFieldBytes: maxFieldBytes, fileName: fileName)
    }

    /// Reads the UTF-8 bytes of `string`.
    public init(
        format: ImportFormat, string: String, requiredColumns: [String] = [],
        fileName: String? = nil
    ) throws {
        try self.init(
            format: format, bytes: Array(string.utf8),
            requiredColumns: requiredColumns, fileName: fileName)
    }

    // MARK: - Reading

    /// The next data row, or nil at the end of the file.
    public mutating func next() throws -> ImportRow? {
        if csv != nil {
            guard let record = try csv!.next(), let columns else { return nil }
            return RecordReader.row(from: record, columns: columns, map: columnMap!)
        }
        guard let record = try jsonl!.next() else { return nil }
        return RecordReader.row(from: record, requiredColumns: requiredColumns)
    }

    // MARK: - CSV

    private static func check(header: CSVRecord, requiredColumns: [String]) throws {
        var firstColumn: [String: Int] = [:]
        for (index, name) in header.fields.enumerated() where !name.isEmpty {
            if let first = firstColumn[name] {
                throw ShopError(
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
            throw ShopError(
                .invalidInput, "missing-column",
                en: "the header (line \(header.line)) lacks the required column(s) "
                    + missing.map { "\"\($0)\"" }.joined(separator: ", ")
                    + "; its columns are " + present.map { "\"\($0)\"" }.joined(separator: ", "),
                zh: "表头（第 \(header.line) 行）缺少必需的列 "
                    + missing.map { "“\($0)”" }.joined(separator: "、")
                    + "；现有的列为 " + present.map { "“\($0)”" }.joined(separator: "、"))
        }
    }

    private static func row(from record: CSVRecord, columns: [String], map: ColumnMap) -> ImportRow {
        let count = record.fields.count
        let problem =
            count == columns.count
            ? nil
            : RowError(line: record.line, reason: .fieldCount(expected: columns.count, found: count))
        return ImportRow(line: record.line, columns: map, fields: record.fields, rowError: problem)
    }

    // MARK: - JSON Lines

    private static func row(from record: JSONLRecord, requiredColumns: [String]) -> ImportRow {
        guard let members = record.value.objectValue else {
            return ImportRow(
                line: record.line, values: [:],
                rowError: RowError(line: record.line, reason: .notAnObject))
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
        return ImportRow(line: record.line, values: values, rowError: problem)
    }
}
