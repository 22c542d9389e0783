import Foundation
import XCTest

/// SPEC §2 "Files shopctl writes": `--qr-png`, `--poster`, `share-link daily --posters DIR`,
/// `backup` and the demo's files never replace the store or its files, replace an existing file
/// only with `--force`, are written whole with mode 0600 or not at all, and the demo writes only
/// into a folder it made.
final class OutputFileTests: XCTestCase {
    // MARK: - Helpers

    /// A shop with one picked product (P00001) in a sandbox.
    func shop() throws -> Sandbox {
        let s = try Sandbox()
        try Feeds.shop(s, products: 3)
        XCTAssertExit(s.run("pick-products", "add", "P00001", "P00002", "P00003"), 0)
        return s
    }

    /// The commands that write a file at `target`, each with `--json`.
    func writers(_ target: String) -> [[String]] {
        [
            ["share-link", "P00001", "--qr-png", target, "--json"],
            ["share-link", "P00001", "--poster", target, "--json"],
            ["share-link", "--storefront", "--poster", target, "--json"],
            ["share-link", "--storefront", "--qr-png", target, "--json"],
            ["backup", target, "--json"],
        ]
    }

    func mode(_ path: String) -> Int? {
        var st = stat()
        guard lstat(path, &st) == 0 else { return nil }
        return Int(st.st_mode & 0o7777)
    }

    func isSymlink(_ path: String) -> Bool {
        var st = stat()
        return lstat(path, &st) == 0 && (st.st_mode & S_IFMT) == S_IFLNK
    }

    func exists(_ path: String) -> Bool {
        var st = stat()
        return lstat(path, &st) == 0
    }

    func listing(_ dir: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []).filter { !$0.hasPrefix("stdout-") && !$0.hasPrefix("stderr-") }
            .sorted()
    }

    func shares(_ s: Sandbox) throws -> String { try s.sqlite("SELECT count(*) FROM shares") }

    /// A shopctl process started in `cwd` (for relative spellings of a path), through `/bin/sh`
    /// when `shell` is given (commands run before `exec`, e.g. `ulimit`).
    struct Running {
        let process: Process
        let exited: DispatchSemaphore
        let out: String
        let err: String
    }

    func start(_ s: Sandbox, _ args: [String], cwd: String? = nil, shell: String? = nil) -> Running {
        let p = Process()
        if let shell {
            p.executableURL = URL(fileURLWithPath: "/bin/sh")
            p.arguments = ["-c", shell + "; exec \"$0\" \"$@\"", Sandbox.binary.path] + args
        } else {
            p.executableURL = Sandbox.binary
            p.arguments = args
        }
        if let cwd { p.currentDirectoryURL = URL(fileURLWithPath: cwd) }
        p.environment = s.env
        let out = s.path("stdout-\(UUID().uuidString)")
        let err = s.path("stderr-\(UUID().uuidString)")
        FileManager.default.createFile(atPath: out, contents: nil)
        FileManager.default.createFile(atPath: err, contents: nil)
        p.standardOutput = FileHandle(forWritingAtPath: out)
        p.standardError = FileHandle(forWritingAtPath: err)
        p.standardInput = FileHandle.nullDevice
        let exited = Sandbox.exitSignal(p)
        do { try p.run() } catch { fatalError("cannot run shopctl: \(error)") }
        return Running(process: p, exited: exited, out: out, err: err)
    }

    func finish(_ s: Sandbox, _ r: Running) -> Sandbox.Result {
        r.exited.wait()
        defer {
            try? FileManager.default.removeItem(atPath: r.out)
            try? FileManager.default.removeItem(atPath: r.err)
        }
        return Sandbox.Result(
            status: r.process.terminationStatus, stdout: String(decoding: s.bytes(r.out) ?? Data(), as: UTF8.self),
            stderr: String(decoding: s.bytes(r.err) ?? Data(), as: UTF8.self))
    }

    func run(_ s: Sandbox, _ args: [String], cwd: String? = nil, shell: String? = nil) -> Sandbox.Result {
        finish(s, start(s, args, cwd: cwd, shell: shell))
    }

    /// The store is intact: same bytes, same rows, `check` and `orders list` still work.
    func assertIntact(_ s: Sandbox, _ bytes: Data?, _ dump: String, _ what: String, file: StaticString = #filePath, line: UInt = #line)
        throws
    {
        XCTAssertEqual(s.bytes(), bytes, "the store's bytes changed: \(what)", file: file, line: line)
        XCTAssertEqual(try s.dump(), dump, "the store's rows changed: \(what)", file: file, line: line)
    }

    // MARK: - The store and its files

    /// Every spelling of the store, its -wal, -shm and -lock: refused `file-exists`, with and
    /// without --force, the store not changed by a byte.
    func testTheStoreAndItsFilesAreRefusedEvenWithForce() throws {
        let s = try shop()
        let dirName = s.dir.lastPathComponent
        try FileManager.default.createDirectory(atPath: s.path("sub"), withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: s.path("link.db"), withDestinationPath: s.db)
        try FileManager.default.createSymbolicLink(atPath: s.path("rel-link.db"), withDestinationPath: "shop.db")
        try FileManager.default.createSymbolicLink(atPath: s.path("link-wal"), withDestinationPath: s.db + "-wal")
        XCTAssertEqual(link(s.db, s.path("hard.db")), 0)
        try FileManager.default.createSymbolicLink(atPath: s.path("linkdir"), withDestinationPath: s.dir.path)
        XCTAssertTrue(exists(s.db + "-lock"), "writers keep the lock file")
        let absolute = [
            s.db, s.db + "-wal", s.db + "-shm", s.db + "-lock", s.path("link.db"), s.path("rel-link.db"), s.path("link-wal"),
            s.path("hard.db"), s.dir.path + "/./shop.db", s.dir.path + "/sub/../shop.db", s.dir.path + "//shop.db",
            s.path("linkdir") + "/shop.db", s.path("linkdir") + "/shop.db-wal",
        ]
        let relative = ["shop.db", "./shop.db", "../\(dirName)/shop.db", "sub/../shop.db", "./shop.db-shm", "../\(dirName)/shop.db-lock"]
        let bytes = s.bytes()
        let dump = try s.dump()
        let logged = try shares(s)
        var trials = 0
        for force in [false, true] {
            for target in absolute {
                for args in writers(target) {
                    let r = s.run(args + (force ? ["--force"] : []))
                    XCTAssertExit(r, 2, "file-exists")
                    trials += 1
                }
            }
            for target in relative {
                for args in writers(target) {
                    // --db spelled relative too, from the sandbox and from its subfolder.
                    let r1 = run(s, args + ["--db", "shop.db"] + (force ? ["--force"] : []), cwd: s.dir.path)
                    XCTAssertExit(r1, 2, "file-exists")
                    let r2 = run(s, args + (force ? ["--force"] : []), cwd: s.dir.path)
                    XCTAssertExit(r2, 2, "file-exists")
                    trials += 2
                }
            }
            // The store reached through a symbolic link: SQLite keeps its -wal and -shm beside
            // the real file.
            for target in [s.db, s.db + "-wal", s.db + "-shm"] {
                for args in writers(target) {
                    let r = s.run(args + (force ? ["--force"] : []), env: ["SHOPCTL_DB": s.path("rel-link.db")])
                    XCTAssertExit(r, 2, "file-exists")
                    trials += 1
                }
            }
            // The store inside the posters folder, under a poster's name.
            let plan = s.path("plan")
            try? FileManager.default.createDirectory(atPath: plan, withIntermediateDirectories: true)
            if !exists(plan + "/08.svg") { XCTAssertEqual(link(s.db, plan + "/08.svg"), 0) }
            let r = s.run(["share-link", "daily", "--date", "2026-11-21", "--posters", plan, "--json"] + (force ? ["--force"] : []))
            XCTAssertExit(r, 2, "file-exists")
            let r2 = s.run(
                ["share-link", "daily", "--date", "2026-11-21", "--posters", plan, "--json"] + (force ? ["--force"] : []),
                env: ["SHOPCTL_DB": plan + "/08.svg"])
            XCTAssertExit(r2, 2, "file-exists")
            trials += 2
        }
        try assertIntact(s, bytes, dump, "after \(trials) refusals")
        XCTAssertEqual(try shares(s), logged, "no link recorded")
        XCTAssertEqual(listing(s.path("plan")), ["08.svg", "08.svg-lock"], "no poster written beside the store (its lock is its own)")
        XCTAssertExit(s.run("check"), 0)
        XCTAssertExit(s.run("orders", "list"), 0)
        XCTAssertFalse(listing(s.dir.path).contains { $0.contains(".shopctl-") }, "no temporary file left: \(listing(s.dir.path))")
    }

    // MARK: - Existing files, symbolic links, folders

    /// An unrelated existing file: refused without --force (bytes unchanged, no link recorded),
    /// replaced with --force (new content, mode 0600).
    func testAnExistingFileIsReplacedOnlyWithForce() throws {
        let s = try shop()
        let cases: [(args: (String) -> [String], magic: [UInt8])] = [
            ({ ["share-link", "P00001", "--qr-png", $0] }, [0x89, 0x50, 0x4E, 0x47]),
            ({ ["share-link", "P00001", "--poster", $0] }, Array("<?xml".utf8)),
            ({ ["share-link", "--storefront", "--poster", $0] }, Array("<?xml".utf8)),
            ({ ["backup", $0] }, Array("SQLite format 3".utf8)),
        ]
        for (i, c) in cases.enumerated() {
            let target = try s.write("precious\(i).txt", "my own notes, not shopctl's\n")
            chmod(target, 0o644)
            let before = s.bytes(target)
            let logged = try shares(s)
            XCTAssertExit(s.run(c.args(target) + ["--json"]), 2, "file-exists")
            XCTAssertEqual(s.bytes(target), before, "\(c.args(target))")
            XCTAssertEqual(mode(target), 0o644)
            XCTAssertEqual(try shares(s), logged, "a refused file records no link")
            let r = s.run(c.args(target) + ["--force", "--json"])
            XCTAssertExit(r, 0)
            let after = try XCTUnwrap(s.bytes(target))
            XCTAssertEqual(Array(after.prefix(c.magic.count)), c.magic, "\(c.args(target))")
            XCTAssertEqual(mode(target), 0o600)
        }
        XCTAssertExit(s.run("check", "--db", s.path("precious3.txt")), 0, nil)
        XCTAssertFalse(listing(s.dir.path).contains { $0.contains(".shopctl-") })
    }

    /// A symbolic link at the destination is replaced itself with --force; its target keeps its bytes.
    func testASymbolicLinkAtTheDestinationIsReplacedNotFollowed() throws {
        let s = try shop()
        for (i, args) in writers("X").enumerated() {
            let victim = try s.write("victim\(i).txt", "somebody else's file \(i)\n")
            let before = s.bytes(victim)
            let target = s.path("out\(i)")
            try FileManager.default.createSymbolicLink(atPath: target, withDestinationPath: victim)
            let a = args.map { $0 == "X" ? target : $0 }
            XCTAssertExit(s.run(a), 2, "file-exists")
            XCTAssertTrue(isSymlink(target))
            XCTAssertExit(s.run(a + ["--force"]), 0)
            XCTAssertFalse(isSymlink(target), "the link itself was replaced: \(a)")
            XCTAssertEqual(mode(target), 0o600)
            XCTAssertEqual(s.bytes(victim), before, "the link's target is untouched: \(a)")
            // A dangling link: refused without --force, replaced with it, its target never created.
            let dangling = s.path("dangling\(i)")
            let nowhere = s.path("nowhere\(i)")
            try FileManager.default.createSymbolicLink(atPath: dangling, withDestinationPath: nowhere)
            let d = args.map { $0 == "X" ? dangling : $0 }
            XCTAssertExit(s.run(d), 2, "file-exists")
            XCTAssertExit(s.run(d + ["--force"]), 0)
            XCTAssertFalse(isSymlink(dangling))
            XCTAssertFalse(exists(nowhere), "never written through the link: \(d)")
        }
    }

    /// A destination in a missing folder, or whose folder is a regular file, or that is a
    /// folder: refused with exit 2, nothing created, no link recorded.
    func testADestinationWithoutAFolderIsRefusedAndNothingIsCreated() throws {
        let s = try shop()
        let file = try s.write("afile", "a regular file\n")
        try FileManager.default.createDirectory(atPath: s.path("afolder"), withIntermediateDirectories: true)
        let before = listing(s.dir.path)
        let logged = try shares(s)
        let fileBytes = s.bytes(file)
        for target in [s.path("missing/qr.png"), s.path("missing/deeper/qr.png"), file + "/qr.png", s.path("afolder")] {
            for args in writers(target) {
                for force in [false, true] {
                    let r = s.run(args + (force ? ["--force"] : []))
                    XCTAssertExit(r, 2, "bad-argument")
                }
            }
        }
        XCTAssertEqual(listing(s.dir.path), before)
        XCTAssertEqual(listing(s.path("afolder")), [])
        XCTAssertEqual(s.bytes(file), fileBytes)
        XCTAssertEqual(try shares(s), logged)
        // --posters naming a regular file: refused, the file unchanged, no plan recorded.
        XCTAssertExit(s.run("share-link", "daily", "--posters", file, "--json"), 2, "bad-argument")
        XCTAssertExit(s.run("share-link", "daily", "--posters", file + "/sub", "--json"), 2, "bad-argument")
        XCTAssertEqual(s.bytes(file), fileBytes)
        XCTAssertEqual(try shares(s), logged)
    }

    /// `--qr-png` and `--poster` naming one file: refused before anything is written.
    func testQRCodeAndPosterCannotBeTheSameFile() throws {
        let s = try shop()
        let logged = try shares(s)
        for force in [false, true] {
            let r = s.run(
                ["share-link", "P00001", "--qr-png", s.path("x"), "--poster", s.dir.path + "/./x", "--json"] + (force ? ["--force"] : []))
            XCTAssertExit(r, 2, "bad-argument")
        }
        XCTAssertFalse(exists(s.path("x")))
        XCTAssertEqual(try shares(s), logged)
    }

    // MARK: - Failed writes

    /// A write that fails (the file size limit; a full disk) exits 5 `write-failed` and leaves
    /// nothing behind: no destination, no temporary file, no journal; no link recorded.
    func testAFailedWriteLeavesNothingBehind() throws {
        let s = try shop()
        let logged = try shares(s)
        let before = listing(s.dir.path)
        // 64 KB: enough for the store's shared memory, not for a copy of the store.
        let backup = run(s, ["backup", s.path("copy.db"), "--json"], shell: "trap '' XFSZ; ulimit -f 128")
        XCTAssertExit(backup, 5, "write-failed")
        XCTAssertEqual(listing(s.dir.path), before, "nothing left behind by the backup")
        // A full disk: a 4 KB tmpfs (root only).
        let full = s.path("full")
        try FileManager.default.createDirectory(atPath: full, withIntermediateDirectories: true)
        let mount = Process()
        mount.executableURL = URL(fileURLWithPath: "/bin/mount")
        mount.arguments = ["-t", "tmpfs", "-o", "size=4k,mode=0755", "tmpfs", full]
        mount.standardError = FileHandle.nullDevice
        guard (try? mount.run()) != nil else { throw XCTSkip("cannot run mount") }
        mount.waitUntilExit()
        guard mount.terminationStatus == 0 else { throw XCTSkip("cannot mount a tmpfs (not root?)") }
        defer {
            let u = Process()
            u.executableURL = URL(fileURLWithPath: "/bin/umount")
            u.arguments = [full]
            try? u.run()
            u.waitUntilExit()
        }
        let cases = [
            ["share-link", "P00001", "--qr-png", full + "/qr.png", "--json"],
            ["share-link", "P00001", "--poster", full + "/poster.svg", "--json"],
            ["share-link", "--storefront", "--poster", full + "/shop.svg", "--qr-png", s.path("fine.png"), "--json"],
            ["share-link", "daily", "--date", "2026-11-21", "--posters", full, "--json"],
            ["share-link", "daily", "--date", "2026-11-21", "--posters", full + "/plan", "--json"],
            ["backup", full + "/copy.db", "--json"],
        ]
        for args in cases {
            XCTAssertExit(s.run(args), 5, "write-failed")
            XCTAssertEqual(listing(full), [], "nothing left behind on the full disk: \(args)")
            XCTAssertEqual(try shares(s), logged, "no link recorded when its file could not be written: \(args)")
        }
        XCTAssertFalse(exists(s.path("fine.png")), "the other file of a failed share-link is not left either")
        XCTAssertEqual(listing(s.dir.path), (before + ["full"]).sorted())
        XCTAssertExit(s.run("check"), 0)
    }

    /// The files are put in place last inside the store's transaction; when the COMMIT itself
    /// fails (here the WAL cannot grow past 40 KB, while the 14 KB QR code and the 32 KB shared
    /// memory fit), the files already in place are removed again: no QR code or poster is left
    /// for a link that was not recorded.
    func testAFailedCommitRemovesTheFilesAlreadyInPlace() throws {
        let s = try shop()
        let logged = try shares(s)
        let before = listing(s.dir.path)
        let limit = "trap '' XFSZ; ulimit -f 80"
        let one = run(s, ["share-link", "P00001", "--qr-png", s.path("qr.png"), "--poster", s.path("p.svg"), "--json"], shell: limit)
        XCTAssertExit(one, 5)
        let daily = run(s, ["share-link", "daily", "--date", "2026-11-21", "--posters", s.path("plan/new"), "--json"], shell: limit)
        XCTAssertExit(daily, 5)
        XCTAssertEqual(listing(s.dir.path), before, "no file left, no folder left")
        XCTAssertEqual(try shares(s), logged)
        XCTAssertExit(s.run("check"), 0)
    }

    // MARK: - Modes

    /// Every file shopctl writes is mode 0600, even under `umask 000`.
    func testEveryFileWrittenIsPrivateUnderAnOpenUmask() throws {
        let s = try shop()
        let old = umask(0)
        defer { umask(old) }
        XCTAssertExit(s.run("share-link", "P00001", "--qr-png", s.path("qr.png"), "--poster", s.path("poster.svg")), 0)
        XCTAssertExit(s.run("share-link", "--storefront", "--poster", s.path("shop.svg"), "--qr-png", s.path("shop.png")), 0)
        XCTAssertExit(s.run("backup", s.path("copy.db")), 0)
        XCTAssertExit(s.run("share-link", "daily", "--date", "2026-11-21", "--posters", s.path("plan")), 0)
        for f in ["qr.png", "poster.svg", "shop.svg", "shop.png", "copy.db"] {
            XCTAssertEqual(mode(s.path(f)), 0o600, f)
        }
        XCTAssertFalse(exists(s.path("copy.db-journal")))
        XCTAssertFalse(exists(s.path("copy.db-wal")))
        let posters = listing(s.path("plan"))
        XCTAssertEqual(posters.count, 3, "one poster per planned slot: \(posters)")
        XCTAssertEqual(mode(s.path("plan")), 0o700, "the folder --posters created")
        for p in posters { XCTAssertEqual(mode(s.path("plan/" + p)), 0o600, p) }
        let demo = s.run("demo", "--db", s.path("demo/x.db"), "--json")
        XCTAssertExit(demo, 0)
        let folder = try XCTUnwrap(demo.object["folder"] as? String)
        let files = listing(folder)
        XCTAssertTrue(files.contains("orders.csv") && files.contains("poster.svg"), "\(files)")
        for f in files { XCTAssertEqual(mode(folder + "/" + f), 0o600, f) }
        XCTAssertEqual(mode(folder), 0o700)
        XCTAssertEqual(mode(s.path("demo/x.db")), 0o600)
    }

    // MARK: - share-link daily --posters

    /// A poster already in the folder is refused without --force (and the plan is not recorded),
    /// replaced with it.
    func testDailyPostersRefuseAnExistingPosterWithoutForce() throws {
        let s = try shop()
        let plan = s.path("plan")
        try FileManager.default.createDirectory(atPath: plan, withIntermediateDirectories: true)
        let mine = try s.write("plan/09.svg", "<svg>mine</svg>\n")
        let before = s.bytes(mine)
        let logged = try shares(s)
        XCTAssertExit(s.run("share-link", "daily", "--date", "2026-11-21", "--posters", plan, "--json"), 2, "file-exists")
        XCTAssertEqual(s.bytes(mine), before)
        XCTAssertEqual(listing(plan), ["09.svg"], "no other poster written")
        XCTAssertEqual(try shares(s), logged, "the plan is not recorded when its posters cannot be written")
        XCTAssertExit(s.run("share-link", "daily", "--date", "2026-11-21", "--posters", plan, "--force", "--json"), 0)
        XCTAssertEqual(listing(plan), ["08.svg", "09.svg", "10.svg"])
        XCTAssertNotEqual(s.bytes(mine), before)
        // Again without --force: the posters exist now.
        XCTAssertExit(s.run("share-link", "daily", "--date", "2026-11-21", "--posters", plan, "--json"), 2, "file-exists")
    }

    // MARK: - demo

    /// `demo --db DIR/x.db` leaves every file already in DIR as it was and writes its own files
    /// into a new folder it made.
    func testDemoWritesOnlyIntoAFolderItMade() throws {
        let s = try Sandbox()
        let dir = s.path("mine")
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let names = ["orders.csv", "poster.svg", "suppliers.csv", "products.csv", "qr.png", "shopctl-demo-AAAAAA"]
        var before: [String: Data] = [:]
        for n in names {
            let p = try s.write("mine/" + n, "my own \(n), keep it\n")
            before[p] = s.bytes(p)
        }
        let r = s.run("demo", "--db", dir + "/x.db", "--json")
        XCTAssertExit(r, 0)
        for (p, b) in before { XCTAssertEqual(s.bytes(p), b, p) }
        XCTAssertEqual(r.object["db"] as? String, dir + "/x.db")
        let folder = try XCTUnwrap(r.object["folder"] as? String)
        XCTAssertEqual((folder as NSString).deletingLastPathComponent, dir)
        XCTAssertTrue((folder as NSString).lastPathComponent.hasPrefix("shopctl-demo-"))
        XCTAssertFalse(before.keys.contains(folder))
        XCTAssertTrue(listing(folder).contains("orders.csv") && listing(folder).contains("poster.svg"))
        let added = Set(listing(dir)).subtracting(names)
        XCTAssertEqual(added, ["x.db", "x.db-lock", (folder as NSString).lastPathComponent], "nothing else beside the store")
        let human = s.run("demo", "--db", dir + "/y.db")
        XCTAssertExit(human, 0)
        XCTAssertTrue(human.stdout.contains(dir + "/shopctl-demo-"), "the folder is printed")
        for (p, b) in before { XCTAssertEqual(s.bytes(p), b, p) }
    }

    /// With the built-in catalog (a copy of the binary far from examples/catalog), its
    /// suppliers.csv and products.csv go into the demo's folder too, never over the user's.
    func testDemoWritesTheBuiltInCatalogIntoItsFolder() throws {
        let s = try Sandbox()
        let bin = s.path("bin")
        try FileManager.default.createDirectory(atPath: bin, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: Sandbox.binary.path, toPath: bin + "/shopctl")
        var before: [String: Data] = [:]
        for n in ["suppliers.csv", "products.csv", "orders.csv"] {
            let p = try s.write(n, "mine: \(n)\n")
            before[p] = s.bytes(p)
        }
        let old = umask(0)
        defer { umask(old) }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: bin + "/shopctl")
        p.arguments = ["demo", "--db", s.path("x.db"), "--json"]
        p.currentDirectoryURL = s.dir
        p.environment = s.env
        let out = Pipe()
        p.standardOutput = out
        p.standardError = FileHandle.nullDevice
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        XCTAssertEqual(p.terminationStatus, 0)
        let json = try XCTUnwrap(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let folder = try XCTUnwrap(json["folder"] as? String)
        XCTAssertEqual(
            listing(folder),
            [
                "images", "lianmeng-map.json", "logo.png", "orders-2026-08.csv", "orders-2026-09.csv", "orders-2026-10.csv", "orders.csv",
                "poster.svg", "products.csv", "statement-last-month.csv", "suppliers.csv",
            ])
        for f in listing(folder) { XCTAssertEqual(mode(folder + "/" + f), f == "images" ? 0o700 : 0o600, f) }
        XCTAssertEqual(listing(folder + "/images"), ["baby.png", "beauty.png", "food.png", "home.png", "sports.png"])
        for f in listing(folder + "/images") { XCTAssertEqual(mode(folder + "/images/" + f), 0o600, f) }
        for (path, bytes) in before { XCTAssertEqual(s.bytes(path), bytes, path) }
        XCTAssertEqual(try s.sqlite("SELECT count(*) FROM suppliers", db: s.path("x.db")), "6", "the built-in catalog was used")
    }

    /// A 0-byte file at --db counts as no store yet; an existing store is still refused.
    func testDemoTakesAnEmptyFileAsNoStore() throws {
        let s = try Sandbox()
        let db = try s.write("empty.db", "")
        XCTAssertExit(s.run("demo", "--db", db, "--json"), 0)
        XCTAssertEqual(try s.sqlite("SELECT count(*) FROM shops", db: db), "1")
        let bytes = s.bytes(db)
        let listed = listing(s.dir.path)
        XCTAssertExit(s.run("demo", "--db", db, "--json"), 1, "already-initialized")
        XCTAssertEqual(s.bytes(db), bytes)
        XCTAssertEqual(listing(s.dir.path), listed, "a refused demo makes no folder")
    }

    // MARK: - Concurrency

    /// Two backups to the same new file at once: exactly one succeeds, the other is
    /// `file-exists`, and the copy is a valid store.
    func testTwoConcurrentBackupsToOneFile() throws {
        let s = try shop()
        for round in 0..<5 {
            let copy = s.path("race\(round).db")
            let running = (0..<2).map { _ in start(s, ["backup", copy, "--json"]) }
            let results = running.map { finish(s, $0) }
            XCTAssertEqual(results.map(\.status).sorted(), [0, 2], "round \(round): \(results.map(\.stderr))")
            XCTAssertEqual(results.compactMap(\.errorCode), ["file-exists"])
            XCTAssertEqual(try s.sqlite("PRAGMA integrity_check", db: copy), "ok")
            XCTAssertExit(s.run("check", "--db", copy), 0)
            XCTAssertEqual(mode(copy), 0o600)
        }
        XCTAssertFalse(listing(s.dir.path).contains { $0.contains(".shopctl-") || $0.hasSuffix("-journal") }, "\(listing(s.dir.path))")
    }
}
