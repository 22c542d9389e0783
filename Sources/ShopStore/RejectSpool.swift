import Foundation
import ShopKit

/// An import's rejected rows on disk instead of in memory (SPEC §2 "Memory": peak memory does
/// not grow with the number of rejected rows).
///
///     let spool = try RejectSpool(chinese: false, sections: [.csv(header: reader.columns!)])
///     var report = ImportReport(sink: spool)
///     …                                           // the import rejects rows into the report
///     try spool.finish()
///     try spool.writeJSON(accepted: report.accepted) { Terminal.write($0) }
///     try spool.writeCSV(section: 0) { try rejectsFile.write($0) }
///
/// Each rejected row is written, as it comes, to a temporary file that is unlinked at once (in
/// `$TMPDIR`, else the system's temporary folder): its element of the `--json` report, already
/// serialized in the run's language, and, when its section has a rejects file, its CSV record.
/// Memory keeps the count, the counts by code and the first `ImportReport.shownRejections` rows.
///
/// Sections are the feeds of one import, in report order (a catalog import: suppliers, then
/// products); rows come out by section, then by line. Rows may come in out of line order (an
/// import's batches report some rows when the batch is stored): each stretch in order is a
/// run, and reading merges the runs. Runs are merged on disk as they pile up, `fanIn` of one
/// size at a time (so a file crafted to make a run of every other row still reads back with a
/// few dozen runs, each row rewritten a handful of times).
public final class RejectSpool: RejectSink, @unchecked Sendable {
    /// How a section's rejected rows become CSV records in its rejects file.
    public enum Columns: Sendable, Equatable {
        /// A CSV feed: its header as read; the rows' fields as read.
        case csv(header: [String])
        /// A JSON Lines feed: these keys, in this order (a missing key or `null` is empty).
        case jsonl([String])
    }

    /// The columns a rejects file adds after the row's own.
    public static let addedColumns = ["line", "code", "message"]

    /// The temporary file, made when the first bytes are written (-1 until then: an import
    /// that rejects nothing, or only counts, never touches the temporary folder).
    private var file: ScratchFile?
    private let chinese: Bool
    private let sections: [Columns?]
    /// Whether the rows' `--json` elements are kept (else nothing is written for a section
    /// without a rejects file).
    private let keepsJSON: Bool
    /// Per section, the field indexes of a CSV header left out of its rejects file (columns
    /// named like the added ones: a rejects file imported again gets a rejects file alike).
    private let dropped: [Set<Int>]
    private var section = 0

    private var buffer: [UInt8] = []
    private var written: Int64 = 0
    /// Runs that are complete, in arrival order, and where the run being written starts.
    private var closed: [Run] = []
    private var openStart: Int64 = 0
    private var lastKey: (Int, Int)?
    /// How many runs of one level are merged into one of the next.
    static let fanIn = 8
    private var failure: ShopError?

    public private(set) var count = 0
    private var codes: [String: Int] = [:]
    private var shown: [(key: (Int, Int), rejection: RowRejection)] = []

    /// Opens the spool. `sections`: per feed, the columns of its rejects file, or nil for none;
    /// `json`: whether `writeJSON` will be wanted.
    public init(chinese: Bool, sections: [Columns?], json: Bool = true, directory: String? = nil) throws {
        precondition(!sections.isEmpty, "a spool has at least one section")
        self.chinese = chinese
        self.sections = sections
        self.keepsJSON = json
        dropped = sections.map { columns in
            guard case .csv(let header)? = columns else { return [] }
            return Set(header.indices.filter { RejectSpool.addedColumns.contains(header[$0]) })
        }
        self.directory = ScratchFile.folder(directory)
        buffer.reserveCapacity(1 << 16)
    }

    private let directory: String

    /// Makes the spool's `ScratchFile` (on the first bytes to write).
    private func open() -> Bool {
        do {
            file = try ScratchFile(prefix: "rejects", folder: directory)
            return true
        } catch {
            failure = RejectSpool.failure(directory, error.errno)
            return false
        }
    }

    /// Rows from now on belong to section `index`.
    public func select(section index: Int) {
        precondition(sections.indices.contains(index), "no section \(index)")
        section = index
    }

    public var keepsRows: Bool { sections.contains { $0 != nil } }

    public var first: [RowRejection] { shown.map(\.rejection) }

    public var countsByCode: [(code: String, count: Int)] { ImportReport.ordered(codes) }

    // MARK: - Writing

    public func add(_ rejection: RowRejection, row: ImportRow?) {
        count += 1
        codes[rejection.code, default: 0] += 1
        let key = (section, rejection.line)
        if shown.count < ImportReport.shownRejections || Self.less(key, shown[shown.count - 1].key) {
            let at = shown.firstIndex { Self.less(key, $0.key) } ?? shown.count
            shown.insert((key, rejection), at: at)
            if shown.count > ImportReport.shownRejections { shown.removeLast() }
        }
        guard failure == nil, keepsJSON || sections[section] != nil else { return }
        if let last = lastKey, Self.less(key, last) { startRun() }
        lastKey = key
        let json = keepsJSON ? Array(rejection.prettyJSON(chinese: chinese, indent: 2).utf8) : []
        let csv = sections[section].map { Array(csvRecord(rejection, row: row, columns: $0).utf8) } ?? []
        put(section: section, line: rejection.line, json: json, csv: csv)
    }

    private func put(section: Int, line: Int, json: [UInt8], csv: [UInt8]) {
        append(UInt32(section))
        append(UInt64(line))
        append(UInt32(json.count))
        append(UInt32(csv.count))
        buffer += json
        buffer += csv
        if buffer.count >= 1 << 16 { flush() }
    }

    /// Closes the run being written and starts another; merges runs that piled up.
    private func startRun() {
        flush()
        closed.append(Run(start: openStart, end: written, level: 0))
        while failure == nil, closed.count >= Self.fanIn {
            let group = Array(closed.suffix(Self.fanIn))
            guard group.allSatisfy({ $0.level == group[0].level }) else { break }
            let start = written
            do {
                try merge(group) { r in self.put(section: r.section, line: r.line, json: r.json, csv: r.csv) }
            } catch {
                failure = (error as? ShopError) ?? RejectSpool.failure(directory, EIO)
            }
            flush()
            closed.removeLast(Self.fanIn)
            closed.append(Run(start: start, end: written, level: group[0].level + 1))
        }
        openStart = written
    }

    /// Writes what is buffered; throws the first write error of the spool, if any.
    public func finish() throws {
        flush()
        if let failure { throw failure }
    }

    private func append<T: FixedWidthInteger>(_ value: T) {
        withUnsafeBytes(of: value.littleEndian) { buffer.append(contentsOf: $0) }
    }

    private func flush() {
        guard !buffer.isEmpty, failure == nil else { return }
        guard let file = file ?? (open() ? file : nil) else { return }
        if let e = file.write(buffer, at: written) { failure = RejectSpool.failure(directory, e) }
        written += Int64(buffer.count)
        buffer.removeAll(keepingCapacity: true)
    }

    static func less(_ a: (Int, Int), _ b: (Int, Int)) -> Bool { a.0 != b.0 ? a.0 < b.0 : a.1 < b.1 }

    // MARK: - CSV

    /// The header of section `index`'s rejects file.
    public func csvHeader(section index: Int) -> [String] {
        switch sections[index] {
        case .csv(let header)?: return header.indices.filter { !dropped[index].contains($0) }.map { header[$0] } + Self.addedColumns
        case .jsonl(let keys)?: return keys + Self.addedColumns
        case nil: return Self.addedColumns
        }
    }

    private func csvRecord(_ r: RowRejection, row: ImportRow?, columns: Columns) -> String {
        var fields: [String]
        switch columns {
        case .csv:
            let read = row?.csvFields ?? []
            let drop = dropped[section]
            fields = drop.isEmpty ? read : read.indices.filter { !drop.contains($0) }.map { read[$0] }
        case .jsonl(let keys): fields = keys.map { row?.value($0) ?? "" }
        }
        // The line is its own column: the message's own "line N: " lead is left out.
        let message = r.message.text(chinese: chinese)
        let lead = chinese ? "第 \(r.line) 行：" : "line \(r.line): "
        fields += [String(r.line), r.code, message.hasPrefix(lead) ? String(message.dropFirst(lead.count)) : message]
        return Self.csvLine(fields)
    }

    /// One RFC 4180 record, CRLF-terminated: a field with a comma, a quote, CR or LF is quoted,
    /// its quotes doubled; every other field is written as it is.
    public static func csvLine(_ fields: [String]) -> String {
        var out = ""
        for (i, f) in fields.enumerated() {
            if i > 0 { out += "," }
            if f.utf8.contains(where: { $0 == 44 || $0 == 34 || $0 == 10 || $0 == 13 }) {
                out += "\"" + f.replacingOccurrences(of: "\"", with: "\"\"") + "\""
            } else {
                out += f
            }
        }
        return out + "\r\n"
    }

    // MARK: - Reading

    /// One spooled row: its section, line, JSON element and CSV record (empty without a file).
    public struct Record {
        public let section: Int
        public let line: Int
        public let json: [UInt8]
        public let csv: [UInt8]
    }

    /// Every row in report order (by section, then line; rows of one key in arrival order).
    /// Memory: a small buffer per run.
    public func forEach(_ body: (Record) throws -> Void) throws {
        try finish()
        try merge(closed + [Run(start: openStart, end: written, level: 0)], body)
    }

    /// The records of `runs` merged in report order (ties: the earlier run first).
    private func merge(_ runs: [Run], _ body: (Record) throws -> Void) throws {
        var cursors = runs.map { RunCursor(file: file, start: $0.start, end: $0.end) }
        var heads: [Record?] = try cursors.indices.map { try cursors[$0].next() }
        while true {
            var best = -1
            for i in heads.indices {
                guard let h = heads[i] else { continue }
                if best < 0 || Self.less((h.section, h.line), (heads[best]!.section, heads[best]!.line)) { best = i }
            }
            if best < 0 { return }
            try body(heads[best]!)
            heads[best] = try cursors[best].next()
        }
    }

    /// Streams the `--json` report `{"accepted":N,"rejected":[…]}`, pretty as the command line
    /// prints every document (byte for byte `ImportReport.json(…).serialized(pretty: true)`),
    /// in chunks of about 64 KiB, without a final newline.
    public func writeJSON(accepted: Int, dryRun: Bool = false, _ chunk: ([UInt8]) throws -> Void) throws {
        precondition(keepsJSON, "a spool opened without json")
        var out: [UInt8] = []
        out.reserveCapacity(1 << 16 + 4096)
        out += Array("{\n\(dryRun ? "  \"dry_run\": true,\n" : "")  \"accepted\": \(accepted),\n  \"rejected\": [".utf8)
        var first = true
        try forEach { r in
            out += Array((first ? "\n    " : ",\n    ").utf8)
            first = false
            out += r.json
            if out.count >= 1 << 16 {
                try chunk(out)
                out.removeAll(keepingCapacity: true)
            }
        }
        out += Array((first ? "]\n}" : "\n  ]\n}").utf8)
        try chunk(out)
    }

    /// Streams section `index`'s rejects file: its header, then one record per rejected row.
    public func writeCSV(section index: Int, _ chunk: ([UInt8]) throws -> Void) throws {
        var out = Array(Self.csvLine(csvHeader(section: index)).utf8)
        try forEach { r in
            guard r.section == index else { return }
            out += r.csv
            if out.count >= 1 << 16 {
                try chunk(out)
                out.removeAll(keepingCapacity: true)
            }
        }
        try chunk(out)
    }

    static func failure(_ dir: String, _ code: Int32) -> ShopError {
        let reason = String(cString: strerror(code))
        return ShopError.store(
            "write-failed", en: "cannot write the rejected rows to a temporary file in \(dir): \(reason); set TMPDIR to another folder",
            zh: "无法把被拒绝的行写入 \(dir) 中的临时文件：\(reason)；请把 TMPDIR 设为其他目录")
    }
}

/// A stretch of a spool whose records are in report order; `level`: how many merges made it.
private struct Run {
    let start: Int64
    let end: Int64
    let level: Int
}

/// Reads one run of a spool, a chunk at a time (at most 16 KiB, or the record, held).
private struct RunCursor {
    let file: ScratchFile?
    var offset: Int64
    let end: Int64
    var buffer: [UInt8] = []
    var pos = 0

    init(file: ScratchFile?, start: Int64, end: Int64) {
        self.file = file
        self.offset = start
        self.end = end
    }

    /// Makes `n` bytes available from `pos`.
    private mutating func ensure(_ n: Int) throws {
        if buffer.count - pos >= n { return }
        buffer.removeFirst(pos)
        pos = 0
        let want = max(n - buffer.count, 1 << 14)
        let take = Int(min(Int64(want), end - offset))
        guard take > 0, buffer.count + take >= n else { throw RejectSpool.failure("the spool", EIO) }
        let old = buffer.count
        buffer += [UInt8](repeating: 0, count: take)
        guard let file else { throw RejectSpool.failure("the spool", EIO) }
        let e = buffer.withUnsafeMutableBytes { file.read(into: $0, at: old, count: take, offset: offset) }
        if let e { throw RejectSpool.failure("the spool", e) }
        offset += Int64(take)
    }

    private mutating func read<T: FixedWidthInteger>(_: T.Type) -> T {
        var v: T = 0
        withUnsafeMutableBytes(of: &v) { dst in
            for i in 0..<MemoryLayout<T>.size { dst[i] = buffer[pos + i] }
        }
        pos += MemoryLayout<T>.size
        return T(littleEndian: v)
    }

    mutating func next() throws -> RejectSpool.Record? {
        if buffer.count - pos == 0 && offset >= end { return nil }
        try ensure(20)
        let section = Int(read(UInt32.self))
        let line = Int(read(UInt64.self))
        let j = Int(read(UInt32.self))
        let c = Int(read(UInt32.self))
        try ensure(j + c)
        let record = RejectSpool.Record(
            section: section, line: line, json: Array(buffer[pos..<pos + j]), csv: Array(buffer[pos + j..<pos + j + c]))
        pos += j + c
        return record
    }
}
