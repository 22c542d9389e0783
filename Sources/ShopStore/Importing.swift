import ShopKit

/// Runs an import: every row through `handle`, all in the caller's transaction.
///
///     var report = ImportReport()
///     try ImportLoop.run(&reader, idColumn: "supplier_id", report: &report, progress: p) { row in
///         try importer.supplier(row)   // throws RowProblem to reject the row
///     }
///
/// A `RowProblem` rejects one row and the loop goes on; any other error (a file
/// that cannot be read as a whole, a store error) ends the import, and the
/// caller's transaction rolls everything back.
public enum ImportLoop {
    public static func run(
        _ reader: inout ImportReader, idColumn: String, report: inout ImportReport, rowsBefore: Int = 0,
        progress: ((Int) -> Void)?, handle: (ImportRow) throws -> RowOutcome
    ) throws {
        var n = rowsBefore
        while let row = try reader.next() {
            n += 1
            if let p = progress, n % 1000 == 0 { p(n) }
            if let e = row.rowError {
                report.reject(
                    RowRejection(line: row.line, id: CatalogFeed.rowID(row, idColumn), code: "bad-value", message: e.message), row: row)
                continue
            }
            do {
                report.count(try handle(row))
            } catch let problem as RowProblem {
                report.reject(rejection(problem, line: row.line, id: CatalogFeed.rowID(row, idColumn)), row: row)
            }
        }
    }
}

public enum RowOutcome: Sendable { case accepted, unchanged }

extension ImportReport {
    /// Counts a stored row: accepted, and unchanged when it changed nothing.
    public mutating func count(_ outcome: RowOutcome) {
        accepted += 1
        if outcome == .unchanged { unchanged += 1 }
    }
}

/// Thrown out of an import's transaction under `--strict` when any row was rejected:
/// the transaction rolls back and the report says why.
public struct StrictImportRefused: Error {
    public let report: ImportReport
    public init(report: ImportReport) { self.report = report }
}

/// The catalog feeds (SPEC §4 catalog import): suppliers, then products.
public final class CatalogImporter {
    let catalog: CatalogRepository
    let rules: CatalogRules
    /// Supplier id → admitted, read once per supplier per import.
    private var suppliers: [String: Bool] = [:]

    public init(store: Store) {
        self.catalog = store.catalog
        self.rules = CatalogRules(store.rules)
    }

    /// Suppliers looked up in the store one by one so far; past `supplierBulkAfter`, all of them are read
    /// at once (a products file of many suppliers: one scan instead of a query per supplier,
    /// 10,000 of them in the benchmark's file).
    private var lookups = 0
    /// Set once every supplier of the store is in `suppliers`: an id not there is unknown.
    private var allSuppliersRead = false
    var supplierBulkAfter = 64
    /// At most this many suppliers are read at once, so memory stays bounded (smaller in tests).
    var supplierBulkLimit = 100_000

    private func supplierStatus(_ id: String) throws -> (known: Bool, admitted: Bool) {
        if let a = suppliers[id] { return (true, a) }
        if allSuppliersRead { return (false, false) }
        lookups += 1
        if lookups > supplierBulkAfter {
            allSuppliersRead = try catalog.suppliers(limit: supplierBulkLimit) { id, admitted in
                if suppliers[id] == nil { suppliers[id] = admitted }
            }
            if let a = suppliers[id] { return (true, a) }
            if allSuppliersRead { return (false, false) }
            lookups = Int.min
        }
        let s = try catalog.supplierStatus(id)
        if s.known { suppliers[id] = s.admitted }
        return s
    }

    public func supplier(_ row: ImportRow) throws -> RowOutcome {
        let s = try CatalogFeed.supplier(row)
        do {
            try rules.admit(s)
        } catch {
            // Stored as not admitted, so its products are refused `supplier-admission`.
            try catalog.upsert(s, admitted: false)
            suppliers[s.supplierID] = false
            throw error
        }
        suppliers[s.supplierID] = true
        return try catalog.upsert(s, admitted: true) == .unchanged ? .unchanged : .accepted
    }

    /// One parsed product row, stored at once: the store's rules, then insert or update.
    public func apply(_ p: Product) throws -> RowOutcome {
        try check(p)
        return try catalog.upsert(p) == .unchanged ? .unchanged : .accepted
    }

    /// The store's rules for a product row (its supplier known and admitted, …).
    private func check(_ p: Product) throws {
        let status = try supplierStatus(p.supplierID)
        try rules.check(p, supplierKnown: status.known, supplierAdmitted: status.admitted)
    }

    // MARK: - Batches

    /// Products waiting to be stored with one statement, and their places in the file.
    private var pending: [PreparedProduct] = []
    private var pendingPlaces: [ImportLoop.RowPlace] = []
    /// Set when most of the last batch were known products (a re-import): rows are then stored
    /// one by one until a new product comes.
    private var expectKnown = false
    /// Products stored per statement (smaller in tests, to cross batch boundaries often).
    var batchSize = 2048
    /// Where stored batches go to be released (on the reading thread of a pipelined import).
    var releaseBin: ReleaseBin?

    /// Imports the product rows of `reader` on two threads (`ImportLoop.runPipelined`), `parse`
    /// on a reading thread (pure: the feed's rules and `ProductPreparer.prepare`), storing on
    /// this one; `meanwhile` runs here while the first rows are read (the suppliers' feed).
    /// Compiled here for product rows, as `OrderImporter.importRows` is for orders.
    public func importProducts(
        _ reader: inout ImportReader, report: inout ImportReport, progress: ((Int) -> Void)?,
        parse: @escaping @Sendable (ImportRow) throws(RowProblem) -> PreparedProduct,
        meanwhile: ((inout ImportReport) throws -> Void)? = nil
    ) throws {
        let bin = ReleaseBin()
        releaseBin = bin
        defer { releaseBin = nil }
        try ImportLoop.runPipelined(
            &reader, idColumn: "product_id", report: &report, progress: progress, parse: parse, meanwhile: meanwhile, bin: bin,
            apply: apply, flush: flush)
    }

    /// One parsed product row of an import: the store's rules now; the row is stored now (a
    /// known product) or with its batch (`flush`), and its outcome goes to `report`.
    public func apply(_ prepared: PreparedProduct, place: ImportLoop.RowPlace, report: inout ImportReport) throws {
        let p = prepared.product
        try check(p)
        // A product the batch holds already joins it too: the insert stores the first of them
        // and skips the others as known, which `flush` then updates in file order
        // (`Database.insert`), as the orders importer does. While `expectKnown` holds, no product
        // waits in the batch (the first one not known ends it).
        if expectKnown {
            if let change = try catalog.updateIfKnown(p) {
                report.count(change == .unchanged ? .unchanged : .accepted)
                return
            }
            expectKnown = false
        }
        pending.append(prepared)
        pendingPlaces.append(place)
        if pending.count >= batchSize { try flush(report: &report) }
    }

    /// Stores the waiting products with one statement; those whose id turned out to be known
    /// are updated, in their file order.
    public func flush(report: inout ImportReport) throws {
        guard !pending.isEmpty else { return }
        let batch = pending
        let places = pendingPlaces
        pending.removeAll(keepingCapacity: true)
        pendingPlaces.removeAll(keepingCapacity: true)
        let inserted = try writer().insert(batch)
        var known = 0
        for (i, p) in batch.enumerated() {
            if inserted[i] {
                report.accepted += 1
                continue
            }
            known += 1
            do {
                report.count(try catalog.upsert(p.product) == .unchanged ? .unchanged : .accepted)
            } catch let problem as RowProblem {
                report.reject(ImportLoop.rejection(problem, line: places[i].line, id: places[i].id), row: places[i].row)
            }
        }
        expectKnown = known * 2 > batch.count
        releaseBin?.put(batch)
        releaseBin?.put(places)
    }

    private var writerStatements: CatalogRepository.Writer?

    /// Ends the import: stores the last batch and writes what is written once for all rows
    /// (the new products' search rows).
    public func finish(report: inout ImportReport) throws {
        try flush(report: &report)
        try writerStatements?.finish()
    }

    private func writer() throws -> CatalogRepository.Writer {
        if let w = writerStatements { return w }
        let w = try catalog.writer()
        writerStatements = w
        return w
    }
}

/// A product row as the reading thread of an import prepares it: parsed, with its row for the
/// batch insert. A class: the writing thread passes it on without copying its fields.
public final class PreparedProduct: Sendable {
    public let product: Product
    let feedRow: FeedRow

    init(product: Product, feedRow: FeedRow) {
        self.product = product
        self.feedRow = feedRow
    }
}

/// Makes `PreparedProduct`s; used by one thread at a time (the reading thread of an import).
public final class ProductPreparer: @unchecked Sendable {
    private var encoder = FeedRowEncoder(columns: CatalogRepository.Writer.feedColumns.count)

    public init() {}

    public func prepare(_ p: Product) -> PreparedProduct {
        PreparedProduct(product: p, feedRow: CatalogRepository.Writer.encode(p, &encoder))
    }
}
