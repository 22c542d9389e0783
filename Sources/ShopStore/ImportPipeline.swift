import Foundation
import ShopKit

/// What the reading thread hands to the writing thread, in file order.
enum PipelineItem<Parsed: Sendable>: Sendable {
    case parsed(ImportLoop.RowPlace, Parsed)
    /// A rejected row, with the row as read when a rejects file wants it.
    case rejected(RowRejection, ImportRow?)
}

/// A bounded queue of batches between one reading thread and one writing thread.
/// At most `capacity` batches wait, so memory stays flat whatever the file size.
final class PipelineQueue<Parsed: Sendable>: @unchecked Sendable {
    private let condition = NSCondition()
    private var batches: [[PipelineItem<Parsed>]] = []
    private var finished = false
    private var failure: Error?
    private var cancelled = false
    private var readerDone = false
    private let capacity: Int

    init(capacity: Int) { self.capacity = capacity }

    /// Reader side: false when the writer gave up (stop reading).
    func push(_ batch: [PipelineItem<Parsed>]) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while batches.count >= capacity && !cancelled { condition.wait() }
        if cancelled { return false }
        batches.append(batch)
        condition.broadcast()
        return true
    }

    /// Reader side: the end of the file, or the error that ended reading.
    func finish(_ error: Error?) {
        condition.lock()
        finished = true
        failure = error
        readerDone = true
        condition.broadcast()
        condition.unlock()
    }

    /// Writer side: the next batch; nil at the end; throws the reader's error when reached.
    func pop() throws -> [PipelineItem<Parsed>]? {
        condition.lock()
        defer { condition.unlock() }
        while batches.isEmpty && !finished { condition.wait() }
        if !batches.isEmpty {
            let b = batches.removeFirst()
            condition.broadcast()
            return b
        }
        if let failure { throw failure }
        return nil
    }

    /// Writer side: stop the reader and wait until it has let go of the file.
    func cancelAndWait() {
        condition.lock()
        cancelled = true
        condition.broadcast()
        while !readerDone { condition.wait() }
        condition.unlock()
    }

    /// Writer side: wait until the reader has ended (after `pop` returned nil or threw).
    func waitForReader() {
        condition.lock()
        while !readerDone { condition.wait() }
        condition.unlock()
    }
}

/// What the writing thread of an import is done with (batches of parsed rows), released on the
/// reading thread: freeing every row's strings was a twentieth of the writing thread's time,
/// and the reading thread has time to spare.
///
///     let bin = ReleaseBin()
///     bin.put(batch)      // writing thread: the bin holds the last reference
///     bin.drain()         // reading thread: released here
public final class ReleaseBin: @unchecked Sendable {
    private let lock = NSLock()
    private var items: [Any] = []

    public init() {}

    public func put(_ item: Any) {
        lock.lock()
        items.append(item)
        lock.unlock()
    }

    /// Releases what was put so far, on the calling thread.
    func drain() {
        var taken: [Any] = []
        lock.lock()
        swap(&taken, &items)
        lock.unlock()
        _ = taken
    }
}

/// Carries the reader to the reading thread and back.
final class ReaderBox: @unchecked Sendable {
    var reader: ImportReader
    init(_ reader: ImportReader) { self.reader = reader }
}

extension ImportLoop {
    /// Where a row is in its file, for a rejection reported later.
    public struct RowPlace: Sendable {
        public let line: Int
        /// The id as reports give it: derived from the id column's text when asked (a row
        /// rejected), not for every row read (`CatalogFeed.rowID(text:)`).
        public var id: String? { derived ? CatalogFeed.rowID(text: idText) : idText }
        private let idText: String?
        private let derived: Bool
        /// The row as read, kept only when the report's rejections want it (a rejects file);
        /// boxed, so a place stays small for the rows of an import without one.
        var kept: KeptRow? = nil
        public var row: ImportRow? { kept?.row }

        init(line: Int, id: String?, kept: KeptRow? = nil) {
            self.line = line
            self.idText = id
            self.derived = false
            self.kept = kept
        }

        /// The place of `row`, its id read from `idColumn` when it is asked for.
        init(_ row: ImportRow, idColumn: String, kept: KeptRow?) {
            self.line = row.line
            self.idText = row.value(idColumn)
            self.derived = true
            self.kept = kept
        }
    }

    /// A row as read, carried beside its parsed form until its outcome is known.
    final class KeptRow: Sendable {
        let row: ImportRow
        init(_ row: ImportRow) { self.row = row }
    }

    /// Like `run`, but rows are read and parsed (`parse`, pure) on a second thread while this one
    /// stores them: on two cores the file's parsing hides behind SQLite's work. Rows reach
    /// `apply` in file order; `apply` records each row's outcome in the report, now or at a later
    /// `flush` (a writer that stores rows in batches; a `RowProblem` it throws rejects the row at
    /// once); `flush` runs at the end. Rejections are reported in line order whatever the order
    /// they were found in. `meanwhile` runs on this thread while the first rows are read (another
    /// feed of the same import, say); its rows count before these. With a `bin`, the batches
    /// this thread is done with (and whatever `apply` and `flush` put in it) are released on
    /// the reading thread.
    ///
    ///     try ImportLoop.runPipelined(
    ///         &reader, idColumn: "order_id", report: &report, progress: nil,
    ///         parse: { try preparer.prepare(try OrderFeed.parse($0, now: now)) },
    ///         apply: importer.apply, flush: importer.flush)
    public static func runPipelined<Parsed: Sendable>(
        _ reader: inout ImportReader, idColumn: String, report: inout ImportReport, rowsBefore: Int = 0,
        progress: ((Int) -> Void)?, parse: @escaping @Sendable (ImportRow) throws(RowProblem) -> Parsed,
        meanwhile: ((inout ImportReport) throws -> Void)? = nil, bin: ReleaseBin? = nil,
        apply: (Parsed, RowPlace, inout ImportReport) throws -> Void, flush: (inout ImportReport) throws -> Void
    ) throws {
        let queue = PipelineQueue<Parsed>(capacity: 8)
        let box = ReaderBox(reader)
        let keepRows = report.keepsRows
        let thread = Thread {
            var batch: [PipelineItem<Parsed>] = []
            batch.reserveCapacity(512)
            do {
                while let row = try box.reader.next() {
                    batch.append(item(row, idColumn: idColumn, keepRow: keepRows, parse: parse))
                    if batch.count == 512 {
                        bin?.drain()
                        guard queue.push(batch) else { break }
                        batch.removeAll(keepingCapacity: true)
                    }
                }
                if !batch.isEmpty { _ = queue.push(batch) }
                queue.finish(nil)
            } catch {
                // The rows read before the error are applied first, as by `run`.
                if !batch.isEmpty { _ = queue.push(batch) }
                queue.finish(error)
            }
        }
        thread.stackSize = 1 << 22
        thread.start()
        var n = rowsBefore
        var firstRejection = report.rejected.count
        do {
            if let meanwhile {
                let before = report.accepted + report.rejectedCount
                try meanwhile(&report)
                n += report.accepted + report.rejectedCount - before
                firstRejection = report.rejected.count
            }
            while let batch = try queue.pop() {
                for entry in batch {
                    n += 1
                    if let p = progress, n % 1000 == 0 { p(n) }
                    switch entry {
                    case .rejected(let r, let row): report.reject(r, row: row)
                    case .parsed(let place, let parsed):
                        do {
                            try apply(parsed, place, &report)
                        } catch let problem as RowProblem {
                            report.reject(rejection(problem, line: place.line, id: place.id), row: place.row)
                        }
                    }
                }
                bin?.put(batch)
            }
            try flush(&report)
        } catch {
            queue.cancelAndWait()
            reader = box.reader
            throw error
        }
        queue.waitForReader()
        reader = box.reader
        // Kept in memory, they are sorted here; a sink puts its rows in order itself.
        report.rejected[firstRejection...].sort { $0.line < $1.line }
    }

    private static func item<Parsed: Sendable>(
        _ row: ImportRow, idColumn: String, keepRow: Bool, parse: (ImportRow) throws(RowProblem) -> Parsed
    ) -> PipelineItem<Parsed> {
        let kept = keepRow ? row : nil
        if let e = row.rowError {
            return .rejected(
                RowRejection(line: row.line, id: CatalogFeed.rowID(row, idColumn), code: "bad-value", message: e.message), kept)
        }
        do {
            return .parsed(
                RowPlace(row, idColumn: idColumn, kept: keepRow ? KeptRow(row) : nil), try parse(row))
        } catch {
            return .rejected(rejection(error, line: row.line, id: CatalogFeed.rowID(row, idColumn)), kept)
        }
    }

    static func rejection(_ problem: RowProblem, line: Int, id: String?) -> RowRejection {
        RowRejection(
            line: line, id: id, code: problem.code,
            message: Message(en: "line \(line): " + problem.message.en, zh: "第 \(line) 行：" + problem.message.zh))
    }
}
