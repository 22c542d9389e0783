import CSQLite
import Foundation
import ShopKit

/// How a file is recognised as a shopctl store before anything may write to it or checkpoint it
/// (SPEC §2 "Store identity and safety").
///
///     switch try StoreFile.identify("/home/me/shop.db") {
///     case .none: …                                  // no file, or 0 bytes: no store yet
///     case .store(let version, let marked): …        // ours (marked: carries our application_id)
///     }                                              // anything else throws `not-a-store`
///
/// The first 100 bytes are read with plain `read(2)`: the SQLite magic, `application_id` (offset
/// 68) and `user_version` (offset 60). A store of this version carries `applicationID`; one made
/// before version 6 carries 0 and is recognised by its tables instead — exactly those its
/// `user_version`'s migrations made, and a `meta` table holding `platform` and `secret`. Reading
/// the tables (and, when a `-wal` holds pages, the true header) goes through a read-only SQLite
/// connection that never checkpoints: `immutable=1` when no WAL holds pages (nothing is created
/// beside the file), else `mode=ro`, after which a `-wal` or `-shm` it had to create is removed
/// again when no other connection has the database open.
public enum StoreFile {
    /// `PRAGMA application_id` of every store: "shct" in ASCII (0x73686374 = 1936221044).
    public static let applicationID: Int32 = 0x7368_6374
    /// The first schema version that carries `applicationID` (migration 6 sets it).
    public static let firstMarkedVersion = 6

    public enum Kind: Equatable, Sendable {
        /// No file, or a file of 0 bytes: no store yet.
        case none
        /// A shopctl store at schema `version`; `marked` when it carries `applicationID` (older
        /// stores are adopted, marked, when first opened for writing).
        case store(version: Int, marked: Bool)
    }

    /// What `path` holds. Throws `not-a-store` for any file that is not a shopctl store,
    /// `store-newer` for a store of a newer schema, `store-open` for a folder or an unreadable file.
    /// Changes nothing (see the type's description).
    public static func identify(_ path: String) throws -> Kind {
        // Another process's last connection may remove the -wal and -shm between our look at them
        // and SQLite's opening them (`readonly_shm` cannot make a missing -shm: SQLITE_CANTOPEN):
        // then look again, a few times.
        for attempt in 1... {
            do {
                return try identifyOnce(path)
            } catch let e as ShopError where e.code == "store-open" && attempt < 20 && exists(path) {
                usleep(useconds_t(1000 * attempt))
            }
        }
        fatalError("unreachable")
    }

    private static func identifyOnce(_ path: String) throws -> Kind {
        var st = stat()
        if stat(path, &st) != 0 {
            let e = errno
            if e == ENOENT { return .none }
            throw cannotOpen(path, e)
        }
        let type = st.st_mode & S_IFMT
        if type == S_IFDIR {
            throw ShopError.store("store-open", en: "\(path) is a directory, not a store", zh: "\(path) 是目录，不是数据库文件")
        }
        guard type == S_IFREG else {
            throw notAStore(path, en: "not a regular file", zh: "不是普通文件")
        }
        let file = resolve(path)
        // A descriptor of this process on a file its SQLite connections use must not be closed
        // (that drops their POSIX locks): with one open, only SQLite reads the file.
        if let key = Database.fileKey(file), Database.openConnections(to: key) > 0 {
            return try inspect(path, file: file, walPending: true, ours: true)
        }
        let walPending = (size(of: file + "-wal") ?? 0) > 0
        if st.st_size == 0 {
            return walPending ? try inspect(path, file: file, walPending: true) : .none
        }
        let header = try readHeader(path)
        guard header.count == 100, header.starts(with: magic) else {
            throw notAStore(path, en: "not an SQLite database", zh: "不是 SQLite 数据库")
        }
        let appID = Int32(bitPattern: be32(header, 68))
        let version = Int(Int32(bitPattern: be32(header, 60)))
        if appID != 0 && appID != applicationID {
            throw notAStore(
                path, en: "another program's SQLite database, application_id \(appID)", zh: "其他程序的 SQLite 数据库，application_id \(appID)")
        }
        if appID == applicationID && !walPending {
            return try classify(path, appID: appID, version: version, tables: [], metaOK: false)
        }
        return try inspect(path, file: file, walPending: walPending, ours: appID == applicationID)
    }

    // MARK: - Errors

    public static func notAStore(_ path: String, en: String, zh: String) -> ShopError {
        ShopError.store(
            "not-a-store", en: "\(path) is not a shopctl store (\(en)); it was left untouched. Choose another --db",
            zh: "\(path) 不是 shopctl 数据库（\(zh)），未作任何改动。请用 --db 指定其他文件")
    }

    public static func noStore(_ path: String) -> ShopError {
        ShopError.store(
            "no-store",
            en:
                "no store at \(path); create one with: shopctl init --platform taoxiaopu|yunji|xiangdian|beidian, or shopctl open-shop --member ID --name NAME (both create it)",
            zh:
                "\(path) 处没有数据库；请先创建：shopctl init --platform taoxiaopu|yunji|xiangdian|beidian，或 shopctl open-shop --member ID --name 店名（两者都会创建数据库）"
        )
    }

    public static func outdated(_ path: String, _ version: Int) -> ShopError {
        ShopError.store(
            "store-outdated",
            en:
                "\(path) has schema version \(version), older than this shopctl's \(Store.schemaVersion); commands that only read do not upgrade it: run shopctl upgrade (any command that writes upgrades it too)",
            zh: "\(path) 的数据库版本 \(version) 低于本程序的版本 \(Store.schemaVersion)；只读命令不会升级数据库：请运行 shopctl upgrade（任何写入的命令也会升级它）")
    }

    /// An older store met by a dry run, which never upgrades one.
    public static func outdatedForDryRun(_ path: String, _ version: Int) -> ShopError {
        ShopError.store(
            "store-outdated",
            en:
                "\(path) has schema version \(version), older than this shopctl's \(Store.schemaVersion); a dry run does not upgrade it: run shopctl upgrade first",
            zh: "\(path) 的数据库版本 \(version) 低于本程序的版本 \(Store.schemaVersion)；试运行（--dry-run）不会升级数据库：请先运行 shopctl upgrade")
    }

    static func cannotOpen(_ path: String, _ e: Int32) -> ShopError {
        let reason = String(cString: strerror(e))
        return ShopError.store("store-open", en: "cannot open the store \(path): \(reason)", zh: "无法打开数据库 \(path)：\(reason)")
    }

    // MARK: - Classifying

    static let magic: [UInt8] = Array("SQLite format 3\u{0}".utf8)

    static func be32(_ b: [UInt8], _ at: Int) -> UInt32 {
        UInt32(b[at]) << 24 | UInt32(b[at + 1]) << 16 | UInt32(b[at + 2]) << 8 | UInt32(b[at + 3])
    }

    static func classify(_ path: String, appID: Int32, version: Int, tables: Set<String>, metaOK: Bool) throws -> Kind {
        if appID == applicationID {
            guard version >= firstMarkedVersion else {
                throw notAStore(
                    path, en: "shopctl's application_id but schema version \(version)", zh: "带有 shopctl 的 application_id，但版本为 \(version)")
            }
            if version > Store.schemaVersion { throw Store.newer(path, Int64(version)) }
            return .store(version: version, marked: true)
        }
        guard appID == 0 else {
            throw notAStore(
                path, en: "another program's SQLite database, application_id \(appID)", zh: "其他程序的 SQLite 数据库，application_id \(appID)")
        }
        guard version >= 1, version < firstMarkedVersion, tables == Migrations.tables(upTo: version), metaOK else {
            throw notAStore(
                path, en: "an SQLite database whose tables are not shopctl's (user_version \(version))",
                zh: "SQLite 数据库，但其中的表不是 shopctl 的（user_version \(version)）")
        }
        return .store(version: version, marked: false)
    }

    /// Reads the true header and the tables through a read-only connection that never checkpoints.
    /// - Parameter ours: the file's header carries `applicationID` (an error reading it is then
    ///   not `not-a-store`).
    static func inspect(_ path: String, file: String, walPending: Bool, ours: Bool = false) throws -> Kind {
        // An -shm that is there is only read (`readonly_shm`: SQLite rebuilds a crashed writer's
        // index in memory instead of in the file); a missing one is made and removed again.
        let query = !walPending ? "?mode=ro&immutable=1" : exists(file + "-shm") ? "?mode=ro&readonly_shm=1" : "?mode=ro"
        let uri = fileURI(file) + query
        var appID: Int32 = 0
        var version = 0
        var tables = Set<String>()
        var metaOK = false
        do {
            let db = try Database(path: file, create: false, readOnly: true, uri: uri, noCheckpointOnClose: true)
            db.removesSidecarsItMade(file)
            db.setBusyTimeout(milliseconds: Store.busyTimeoutMilliseconds)
            appID = Int32(truncatingIfNeeded: try db.pragmaInt("application_id"))
            version = Int(truncatingIfNeeded: try db.pragmaInt("user_version"))
            tables = Set(
                try db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite!_%' ESCAPE '!'").map {
                    $0.text(0)
                })
            if appID == 0 && tables.contains("meta") {
                let n = try? db.prepare("SELECT count(DISTINCT key) FROM meta WHERE key IN ('platform', 'secret')").scalarInt()
                metaOK = n == 2
            }
        } catch let e as ShopError where e.code == "store-locked" || ours {
            throw e
        } catch {
            throw notAStore(path, en: "SQLite cannot read it as a database", zh: "SQLite 无法将其作为数据库读取")
        }
        return try classify(path, appID: appID, version: version, tables: tables, metaOK: metaOK)
    }

    // MARK: - Files

    /// `path` with a symbolic link as its last component followed (as SQLite does: the `-wal`,
    /// `-shm` and `-lock` files live beside the file itself), even when the link dangles.
    public static func resolve(_ path: String) -> String {
        var p = path
        for _ in 0..<32 {
            var st = stat()
            guard lstat(p, &st) == 0, st.st_mode & S_IFMT == S_IFLNK else { return p }
            var buf = [UInt8](repeating: 0, count: 4097)
            let n = buf.withUnsafeMutableBytes { readlink(p, $0.baseAddress!.assumingMemoryBound(to: CChar.self), 4096) }
            guard n > 0 else { return p }
            let target = String(decoding: buf[0..<n], as: UTF8.self)
            if target.hasPrefix("/") {
                p = target
            } else {
                let dir = (p as NSString).deletingLastPathComponent
                p = dir.isEmpty ? target : dir + "/" + target
            }
        }
        return p
    }

    static func size(of path: String) -> Int64? {
        var st = stat()
        guard stat(path, &st) == 0 else { return nil }
        return Int64(st.st_size)
    }

    static func exists(_ path: String) -> Bool {
        var st = stat()
        return lstat(path, &st) == 0
    }

    static func readHeader(_ path: String) throws -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY)
        guard fd >= 0 else { throw cannotOpen(path, errno) }
        defer { close(fd) }
        var out = [UInt8](repeating: 0, count: 100)
        var got = 0
        while got < 100 {
            let n = out.withUnsafeMutableBytes { read(fd, $0.baseAddress! + got, 100 - got) }
            if n < 0 && errno == EINTR { continue }
            if n < 0 { throw cannotOpen(path, errno) }
            if n == 0 { break }
            got += n
        }
        return Array(out.prefix(got))
    }

    /// A `file:` URI naming `path` (made absolute), every byte but [A-Za-z0-9/._~-] escaped.
    static func fileURI(_ path: String) -> String {
        var abs = path
        if !abs.hasPrefix("/") { abs = FileManager.default.currentDirectoryPath + "/" + abs }
        while abs.hasPrefix("//") { abs.removeFirst() }
        var out = "file:"
        let hex = Array("0123456789ABCDEF".utf8)
        for b in abs.utf8 {
            switch b {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                UInt8(ascii: "/"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"), UInt8(ascii: "-"):
                out.unicodeScalars.append(Unicode.Scalar(b))
            default:
                out += "%" + String(decoding: [hex[Int(b >> 4)], hex[Int(b & 15)]], as: UTF8.self)
            }
        }
        return out
    }

    /// Makes `file` and its `-wal`, `-shm` and `-lock` mode 0600 where they are regular files (a
    /// symbolic link is never followed). Runs before this process opens a connection to `file`:
    /// a descriptor opened and closed here would drop the POSIX locks of such a connection, so
    /// with one open the mode is set by path instead.
    static func restrictModes(_ file: String) {
        let byPath = Database.fileKey(file).map { Database.openConnections(to: $0) > 0 } ?? false
        for suffix in ["", "-wal", "-shm", "-lock"] {
            let path = file + suffix
            if byPath {
                var st = stat()
                if lstat(path, &st) == 0, st.st_mode & S_IFMT == S_IFREG, st.st_mode & 0o777 != 0o600 { _ = chmod(path, 0o600) }
                continue
            }
            let fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC | O_NOCTTY)
            guard fd >= 0 else { continue }
            var st = stat()
            if fstat(fd, &st) == 0, st.st_mode & S_IFMT == S_IFREG, st.st_mode & 0o777 != 0o600 { _ = fchmod(fd, 0o600) }
            close(fd)
        }
    }

    // SQLite's locks on a database file (os_unix.c): a connection holds a read lock on the
    // SHARED range for as long as it has a WAL-mode database open.
    static let sharedFirst: off_t = 0x4000_0002
    static let sharedSize: off_t = 510

    /// Removes the sidecar files (`-wal`, `-shm`) among `made` when no connection has `file` open:
    /// the way SQLite's last connection removes them, under an exclusive lock of the SHARED range.
    static func removeUnused(_ file: String, _ made: [String]) {
        let present = made.filter { exists(file + $0) }
        guard !present.isEmpty else { return }
        let fd = open(file, O_RDWR | O_CLOEXEC | O_NOCTTY)
        guard fd >= 0 else { return }
        defer { close(fd) }
        var fl = flock()
        fl.l_type = Int16(F_WRLCK)
        fl.l_whence = Int16(SEEK_SET)
        fl.l_start = sharedFirst
        fl.l_len = sharedSize
        guard fcntl(fd, F_SETLK, &fl) == 0 else { return }
        for s in present {
            var st = stat()
            if lstat(file + s, &st) == 0, st.st_mode & S_IFMT == S_IFREG { unlink(file + s) }
        }
        fl.l_type = Int16(F_UNLCK)
        _ = fcntl(fd, F_SETLK, &fl)
    }
}

extension Database {
    /// After this read-only connection closes, removes the `-wal` and `-shm` beside `file` that
    /// were not there when it opened (SQLite makes them to read a WAL-mode file, and a read-only
    /// connection never removes them), unless another connection uses them by then.
    func removesSidecarsItMade(_ file: String) {
        let made = ["-wal", "-shm"].filter { !StoreFile.exists(file + $0) }
        guard !made.isEmpty else { return }
        let key = Database.fileKey(file)
        afterClose = {
            // A raw descriptor's lock (and its close) would disturb another connection of this
            // process to the same file: then the files stay.
            guard let key, Database.openConnections(to: key) == 0 else { return }
            StoreFile.removeUnused(file, made)
        }
    }
}

extension Migrations {
    /// The tables a store has at `version` (made by migrations 1…version), from an in-memory run.
    static func tables(upTo version: Int) -> Set<String> {
        tablesByVersion[version] ?? []
    }

    private static let tablesByVersion: [Int: Set<String>] = {
        var out: [Int: Set<String>] = [:]
        do {
            let db = try Database(path: ":memory:")
            for m in all {
                try db.execute(m.sql)
                out[m.version] = Set(
                    try db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite!_%' ESCAPE '!'").map {
                        $0.text(0)
                    })
                db.clearCache()
            }
        } catch {
            preconditionFailure("the migrations run on an empty database: \(error)")
        }
        return out
    }()
}
