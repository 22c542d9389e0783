import Foundation
import XCTest

@testable import ShopKit
@testable import ShopStore

/// `OutputFile` on its own: what is left on disk after each way a write can end.
final class OutputFileUnitTests: XCTestCase {
    var dir: String!

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("outputfile-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    }

    override func tearDown() { try? FileManager.default.removeItem(atPath: dir) }

    func listing(_ d: String? = nil) -> [String] { ((try? FileManager.default.contentsOfDirectory(atPath: d ?? dir)) ?? []).sorted() }

    func code(_ body: () throws -> Void) -> String? {
        do {
            try body()
            return nil
        } catch let e as ShopError {
            return e.code
        } catch {
            return "\(error)"
        }
    }

    func testCommitPutsTheBytesInPlaceWithModeSixHundred() throws {
        let old = umask(0)
        defer { umask(old) }
        let path = dir + "/a.txt"
        let out = try OutputFile(path: path, force: false, storePath: nil)
        XCTAssertTrue(out.temporaryPath.hasPrefix(dir + "/.a.txt.shopctl-"))
        try out.write("hello ")
        try out.write(Array("world".utf8))
        XCTAssertFalse(FileManager.default.fileExists(atPath: path), "nothing at the destination before commit")
        try out.commit()
        XCTAssertEqual(FileManager.default.contents(atPath: path), Data("hello world".utf8))
        XCTAssertEqual((try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? NSNumber)?.intValue, 0o600)
        XCTAssertEqual(listing(), ["a.txt"])
    }

    func testADiscardedOrDroppedWriteLeavesNothing() throws {
        let a = try OutputFile(path: dir + "/a", force: false, storePath: nil)
        try a.write("x")
        a.discard()
        do {
            let b = try OutputFile(path: dir + "/b", force: false, storePath: nil)
            try b.write("y")
        }
        XCTAssertEqual(listing(), [])
    }

    /// A name of up to 255 bytes can be written (the temporary name is shortened, not the file's).
    func testALongNameCanBeWritten() throws {
        for name in [String(repeating: "a", count: 255), String(repeating: "长", count: 85)] {
            let path = dir + "/" + name
            try OutputFile.write(Array("x".utf8), to: path, force: false, storePath: nil)
            XCTAssertEqual(FileManager.default.contents(atPath: path), Data("x".utf8))
            try OutputFile.write(Array("y".utf8), to: path, force: true, storePath: nil)
            XCTAssertEqual(FileManager.default.contents(atPath: path), Data("y".utf8))
        }
        XCTAssertEqual(listing().count, 2)
    }

    /// With force, the store is checked again just before the rename: a store moved to the
    /// destination meanwhile is not replaced.
    func testTheStoreIsCheckedAgainAtCommit() throws {
        let store = dir + "/shop.db"
        let path = dir + "/out.png"
        let out = try OutputFile(path: path, force: true, storePath: store)
        try out.write("png")
        FileManager.default.createFile(atPath: store, contents: Data("store".utf8))
        XCTAssertEqual(link(store, path), 0)
        XCTAssertEqual(code { try out.commit() }, "file-exists")
        XCTAssertEqual(FileManager.default.contents(atPath: path), Data("store".utf8))
        XCTAssertEqual(listing(), ["out.png", "shop.db"])
    }

    /// The folder removed between opening and commit: `write-failed`, nothing created anywhere.
    func testTheFolderRemovedBeforeCommit() throws {
        let sub = dir + "/sub"
        try FileManager.default.createDirectory(atPath: sub, withIntermediateDirectories: true)
        let out = try OutputFile(path: sub + "/a.png", force: false, storePath: nil)
        try out.write("png")
        try FileManager.default.removeItem(atPath: sub)
        XCTAssertEqual(code { try out.commit() }, "write-failed")
        XCTAssertEqual(listing(), [])
    }

    /// A file that appears at the destination while writing, without force: `file-exists`,
    /// the newcomer untouched, no temporary file left.
    func testAFileAppearingBeforeCommitIsKept() throws {
        let path = dir + "/a"
        let out = try OutputFile(path: path, force: false, storePath: nil)
        try out.write("ours")
        try Data("theirs".utf8).write(to: URL(fileURLWithPath: path))
        XCTAssertEqual(code { try out.commit() }, "file-exists")
        XCTAssertEqual(FileManager.default.contents(atPath: path), Data("theirs".utf8))
        XCTAssertEqual(listing(), ["a"])
    }

    /// A write beyond the file size limit (as on a full disk): `write-failed`, no temporary file.
    func testAWriteBeyondTheFileSizeLimit() throws {
        let path = dir + "/big"
        let out = try OutputFile(path: path, force: false, storePath: nil)
        let previous = signal(SIGXFSZ, SIG_IGN)
        var saved = rlimit()
        getrlimit(__rlimit_resource_t(RLIMIT_FSIZE.rawValue), &saved)
        var small = saved
        small.rlim_cur = 64 * 1024
        setrlimit(__rlimit_resource_t(RLIMIT_FSIZE.rawValue), &small)
        let failure = code { try out.write([UInt8](repeating: 0x41, count: 200_000)) }
        setrlimit(__rlimit_resource_t(RLIMIT_FSIZE.rawValue), &saved)
        signal(SIGXFSZ, previous)
        XCTAssertEqual(failure, "write-failed")
        XCTAssertEqual(listing(), [])
    }

    /// A store reached through a symbolic link: the -wal and -shm SQLite keeps beside its real
    /// path are the store's files too.
    func testTheFilesBesideTheRealStoreOfALinkedStore() throws {
        let real = dir + "/real.db"
        FileManager.default.createFile(atPath: real, contents: Data("store".utf8))
        try FileManager.default.createSymbolicLink(atPath: dir + "/alias.db", withDestinationPath: "real.db")
        for suffix in ["", "-wal", "-shm", "-journal"] {
            XCTAssertTrue(OutputFile.isStoreFile(real + suffix, storePath: dir + "/alias.db"), suffix)
            XCTAssertTrue(OutputFile.isStoreFile(dir + "/alias.db" + suffix, storePath: dir + "/alias.db"), suffix)
        }
        XCTAssertFalse(OutputFile.isStoreFile(dir + "/real.db.png", storePath: dir + "/alias.db"))
    }

    /// The store and its files by every spelling, existing or not.
    func testTheStoreIsRecognisedByEverySpelling() throws {
        let store = dir + "/shop.db"
        FileManager.default.createFile(atPath: store, contents: Data("store".utf8))
        FileManager.default.createFile(atPath: store + "-lock", contents: Data())
        try FileManager.default.createDirectory(atPath: dir + "/sub", withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: dir + "/ln", withDestinationPath: store)
        try FileManager.default.createSymbolicLink(atPath: dir + "/dirlink", withDestinationPath: dir)
        XCTAssertEqual(link(store, dir + "/hard"), 0)
        let d: String = dir
        let suffixed: [String] = ["", "-wal", "-shm", "-lock", "-journal"].map { store + $0 }
        let others: [String] = [
            "/./shop.db", "/sub/../shop.db", "//shop.db-wal", "/ln", "/hard", "/dirlink/shop.db", "/dirlink/shop.db-shm",
        ]
        let spellings: [String] = suffixed + others.map { d + $0 }
        for p in spellings {
            XCTAssertTrue(OutputFile.isStoreFile(p, storePath: store), p)
            XCTAssertEqual(code { try OutputFile.checkDestination(p, force: true, storePath: store) }, "file-exists", p)
            XCTAssertEqual(code { try OutputFile.write(Array("x".utf8), to: p, force: true, storePath: store) }, "file-exists", p)
        }
        for p in [dir + "/shop.db.bak", dir + "/sub/shop.db", dir + "/shop.db-wal2"] {
            XCTAssertFalse(OutputFile.isStoreFile(p, storePath: store), p)
        }
        XCTAssertEqual(FileManager.default.contents(atPath: store), Data("store".utf8))
    }
}
