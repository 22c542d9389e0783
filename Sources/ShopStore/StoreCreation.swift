import Foundation
import ShopKit

/// Creating a store atomically (SPEC §2): after any failure there is no store file, and of
/// several processes creating one at once exactly one succeeds.
///
/// Creators take turns on an exclusive `flock` of `PATH-lock` (opened with `O_NOFOLLOW`; the
/// write queue's byte locks on the same file are independent of it), and look again under the
/// lock: a store made meanwhile is opened (or refused `already-initialized` by `init`). The new
/// store is built whole — page size, WAL, every migration, the platform, rules, secret and
/// `application_id` — in a temporary file beside it (`.NAME.shopctl-XXXXXX`, mode 0600), closed
/// (so no `-wal` remains), synced, then published: `link(2)` when there is no file (it fails if
/// anything took the name), `rename(2)` over a file of 0 bytes, both under the lock. Any failure
/// removes the temporary file; the folder is synced after publishing.
extension Store {
    /// Tests only: runs with the temporary file's path after the store is built, before it is
    /// published (a throw stands for a failure there).
    nonisolated(unsafe) static var beforePublish: ((String) throws -> Void)?

    /// Creates the store at `file` (`path` resolved) unless another process has by the time this
    /// one holds the creators' lock. Returns whether this process made it; `mustCreate` turns
    /// "another one made it" into `already-initialized`.
    static func create(path: String, file: String, creation: Creation, mustCreate: Bool) throws -> Bool {
        let dir = OutputFile.folder(of: file)
        if dir != "." && dir != "/" {
            do {
                try FileManager.default.createDirectory(
                    atPath: dir, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            } catch {
                throw ShopError.store(
                    "store-open", en: "cannot create the folder \(dir): \(error.localizedDescription)",
                    zh: "无法创建目录 \(dir)：\(error.localizedDescription)")
            }
        }
        let lock = try CreationLock(file + "-lock", shown: path)
        defer { lock.release() }
        if try StoreFile.identify(path) != .none {
            if mustCreate { throw alreadyInitialized(path) }
            return false
        }
        let base = (file as NSString).lastPathComponent
        var template = Array((dir + "/." + base + ".shopctl-XXXXXX").utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else { throw failure(path, errno) }
        close(fd)
        let tmp = String(cString: template)
        var published = false
        defer {
            if !published {
                for suffix in ["", "-wal", "-shm", "-journal"] { unlink(tmp + suffix) }
            }
        }
        do {
            let db = try Database(path: tmp, create: false)
            let store = Store(db: db, path: tmp, access: .write)
            try store.build(creation)
        }
        // Closed: SQLite removed the temporary file's -wal and -shm after its checkpoint.
        for suffix in ["-wal", "-shm"] where StoreFile.exists(tmp + suffix) {
            guard (StoreFile.size(of: tmp + suffix) ?? 0) == 0 || suffix == "-shm" else { throw failure(path, EIO) }
            unlink(tmp + suffix)
        }
        try sync(tmp, path)
        try beforePublish?(tmp)
        let won = try publish(tmp, to: file, path: path, mustCreate: mustCreate)
        published = true
        unlink(tmp)
        if won { try? sync(dir, path) }
        return won
    }

    /// Moves the built store into place; false when another process made a store there first.
    private static func publish(_ tmp: String, to file: String, path: String, mustCreate: Bool) throws -> Bool {
        var st = stat()
        if lstat(file, &st) != 0 {
            if link(tmp, file) == 0 { return true }
            let e = errno
            if e == EEXIST {
                // Made by something that does not take turns on the lock: look again.
                if try StoreFile.identify(path) != .none {
                    if mustCreate { throw alreadyInitialized(path) }
                    return false
                }
            } else if e != EPERM && e != ENOTSUP && e != EOPNOTSUPP && e != EMLINK {
                throw failure(path, e)
            }
            // No hard links on this file system (or a 0-byte file appeared): rename under the lock.
        } else if st.st_mode & S_IFMT != S_IFREG || st.st_size != 0 {
            throw failure(path, EEXIST)
        }
        // A file of 0 bytes counts as no store yet: replaced, never written through (its mode and
        // owner are not kept; the store is 0600).
        guard rename(tmp, file) == 0 else { throw failure(path, errno) }
        return true
    }

    private static func sync(_ path: String, _ shown: String) throws {
        let fd = Foundation.open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw failure(shown, errno) }
        defer { close(fd) }
        if fsync(fd) != 0 && errno != EINVAL { throw failure(shown, errno) }
    }

    static func failure(_ path: String, _ e: Int32) -> ShopError {
        let reason = String(cString: strerror(e))
        return ShopError.store(
            "store-open", en: "cannot create the store \(path): \(reason); nothing was left behind",
            zh: "无法创建数据库 \(path)：\(reason)；未留下任何文件")
    }
}

/// An exclusive `flock` of `PATH-lock`, held by one creator of a store at a time.
struct CreationLock {
    let fd: Int32

    init(_ lockPath: String, shown: String) throws {
        let fd = open(lockPath, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK | O_NOCTTY, 0o600)
        guard fd >= 0 else {
            let e = errno
            if e == ELOOP { throw WriteQueue.unsafe(lockPath, shown: shown) }
            throw Store.failure(shown, e)
        }
        var st = stat()
        guard fstat(fd, &st) == 0, st.st_mode & S_IFMT == S_IFREG else {
            close(fd)
            throw WriteQueue.unsafe(lockPath, shown: shown)
        }
        _ = fchmod(fd, 0o600)
        while flock(fd, LOCK_EX) != 0 {
            guard errno == EINTR else {
                let e = errno
                close(fd)
                throw Store.failure(shown, e)
            }
        }
        self.fd = fd
    }

    func release() {
        _ = flock(fd, LOCK_UN)
        close(fd)
    }
}
