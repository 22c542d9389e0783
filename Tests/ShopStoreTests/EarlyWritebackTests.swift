import Foundation
import XCTest

@testable import ShopKit
@testable import ShopStore

/// `EarlyWriteback` only ever reads a regular file it finds at its path: it creates nothing,
/// never follows a symlink, never waits on a FIFO, and closes its descriptor when stopped.
final class EarlyWritebackTests: XCTestCase {
    func dir() throws -> URL {
        let d = FileManager.default.temporaryDirectory.appendingPathComponent("writeback-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: d, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: d) }
        return d
    }

    /// The files this process has open.
    func openFiles() throws -> Set<String> {
        Set(
            try FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd").compactMap {
                try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/fd/" + $0)
            })
    }

    /// Runs a writeback of `path` while `during` runs, then stops it; returns whether it stopped
    /// within 5 s (a thread stuck in `open` would not).
    func run(_ path: String, during: () throws -> Void = {}) rethrows -> Bool {
        let w = EarlyWriteback(path: path)
        w.start()
        w.start()  // a second start is a no-op
        try during()
        Thread.sleep(forTimeInterval: 3 * EarlyWriteback.tick)
        let stopped = expectation(description: "stopped")
        DispatchQueue.global().async {
            w.stop()
            stopped.fulfill()
        }
        return XCTWaiter().wait(for: [stopped], timeout: 5) == .completed
    }

    func testAGrowingFileIsReadAndItsDescriptorClosedWhenStopped() throws {
        let d = try dir()
        let path = d.appendingPathComponent("shop.db-wal").path
        XCTAssertTrue(
            try run(path) {
                // The file appears after the start, and grows past a step.
                XCTAssertTrue(FileManager.default.createFile(atPath: path, contents: nil))
                let h = try XCTUnwrap(FileHandle(forWritingAtPath: path))
                for _ in 0..<(Int(EarlyWriteback.step) / (1 << 20) + 1) { h.write(Data(count: 1 << 20)) }
                try h.close()
            })
        XCTAssertEqual(try openFiles().filter { $0.hasPrefix(d.path) }, [], "the descriptor is closed")
        XCTAssertEqual(try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int, Int(EarlyWriteback.step) + (1 << 20))
    }

    /// A store reached through a symbolic link has its WAL beside the file itself (the store is
    /// opened by its resolved path, `StoreFile.resolve`, as SQLite keeps its files): an import's
    /// writeback reads that one, never a `-wal` beside the link — maybe a file of the user's.
    func testTheWALOfALinkedStoreIsTheFilesOwn() throws {
        let d = try dir()
        try FileManager.default.createDirectory(at: d.appendingPathComponent("real"), withIntermediateDirectories: true)
        let link = d.appendingPathComponent("shop.db").path
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: "real/shop.db")
        let store = try Store.open(
            path: link,
            creation: .init(
                platform: .yunji, rules: Rules.preset(.yunji), now: Instant(seconds: 1_795_224_600),
                secret: [UInt8](repeating: 1, count: 32)))
        let usersFile = link + "-wal"
        XCTAssertTrue(FileManager.default.createFile(atPath: usersFile, contents: Data("mine".utf8)))
        try store.prepareForBulkWrite()
        try store.write {
            try store.db.execute("CREATE TABLE t(x); INSERT INTO t VALUES (1)")
        }
        Thread.sleep(forTimeInterval: 3 * EarlyWriteback.tick)
        let open = try openFiles()
        XCTAssertFalse(open.contains(usersFile), "the -wal beside the link is not opened")
        XCTAssertTrue(open.contains(d.appendingPathComponent("real").path + "/shop.db-wal"), "the store's own WAL is")
        XCTAssertEqual(try String(contentsOfFile: usersFile, encoding: .utf8), "mine")
    }

    func testAMissingFileIsNotCreated() throws {
        let path = try dir().appendingPathComponent("shop.db-wal").path
        XCTAssertTrue(try run(path))
        XCTAssertFalse(FileManager.default.fileExists(atPath: path))
    }

    func testAFIFOASymlinkAndAFolderAreLeftAlone() throws {
        let d = try dir()
        let fifo = d.appendingPathComponent("fifo-wal").path
        XCTAssertEqual(mkfifo(fifo, 0o600), 0)
        let target = d.appendingPathComponent("other.txt").path
        XCTAssertTrue(FileManager.default.createFile(atPath: target, contents: Data("x".utf8)))
        let link = d.appendingPathComponent("link-wal").path
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: target)
        let folder = d.appendingPathComponent("folder-wal").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: false)
        for (path, opened) in [(fifo, fifo), (link, target), (folder, folder)] {
            XCTAssertTrue(
                try run(path) {
                    Thread.sleep(forTimeInterval: 3 * EarlyWriteback.tick)
                    XCTAssertFalse(try openFiles().contains(opened), "\(path) is not held open")
                }, "\(path): stopped (not stuck opening it)")
        }
        XCTAssertEqual(try openFiles().filter { $0.hasPrefix(d.path) }, [])
        XCTAssertEqual(try String(contentsOfFile: target, encoding: .utf8), "x")
    }
    /// The store file's descriptor is closed only once no connection of this process has the
    /// file open (closing it earlier would drop SQLite's POSIX locks on it), and never opened
    /// when the file at the path is not the one the key names.
    func testTheStoreDescriptorOutlivesEveryConnectionToTheStore() throws {
        func descriptors(_ path: String) throws -> Int {
            try FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd").filter {
                (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/fd/" + $0)) == path
            }.count
        }
        let d = try dir()
        let path = d.appendingPathComponent("shop.db").path
        var a: Database? = try Database(path: path)
        try a?.execute("PRAGMA journal_mode = WAL")
        try a?.execute("CREATE TABLE t(x)")
        let key = try XCTUnwrap(Database.fileKey(path))
        var b: Database? = try Database(path: path)
        let w = EarlyWriteback(path: path + "-wal", store: (path, key))
        w.start()
        try a?.execute("INSERT INTO t VALUES (1)")
        Thread.sleep(forTimeInterval: 3 * EarlyWriteback.tick)
        XCTAssertEqual(try descriptors(path), 3, "a's, b's and the writeback's")
        w.stop()
        XCTAssertEqual(try descriptors(path), 3, "ours still open while connections are")
        a = nil
        XCTAssertEqual(try descriptors(path), 2, "a's closed, ours kept for b")
        _ = b
        b = nil
        XCTAssertEqual(try descriptors(path), 0, "closed with the last connection")

        let other = d.appendingPathComponent("other.db").path
        XCTAssertTrue(FileManager.default.createFile(atPath: other, contents: Data(count: 10)))
        let w2 = EarlyWriteback(path: other + "-wal", store: (other, key))  // the key of shop.db, not of other.db
        w2.start()
        Thread.sleep(forTimeInterval: 3 * EarlyWriteback.tick)
        XCTAssertEqual(try openFiles().filter { $0 == other }, [], "a file that is not the store is not kept open")
        w2.stop()
    }
}
