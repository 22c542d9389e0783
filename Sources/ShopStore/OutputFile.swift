import Foundation
import ShopKit

/// The one way shopctl writes a file of its own (SPEC §2 "Files shopctl writes").
///
///     let out = try OutputFile(path: "qr.png", force: false, storePath: ctx.storePath)
///     try out.write(png)          // any number of times: streamed into a temporary file
///     try out.commit()            // fsync, then renamed into place with mode 0600
///
/// or, for a whole file at once, `try OutputFile.write(bytes, to: path, force:, storePath:)`.
///
/// - The bytes go to a temporary file in the destination's folder (`.NAME.shopctl-XXXXXX`),
///   created with mode 0600; `commit` syncs it and renames it over the destination, then syncs
///   the folder. A failed or abandoned write (`discard`, or the value dropped without `commit`)
///   removes the temporary file: nothing is left behind.
/// - An existing destination (a dangling symbolic link included) is refused with `file-exists`
///   (exit 2) unless `force`; without `force` the final step is `link(2)`, which fails rather
///   than replace a file that appeared meanwhile.
/// - The store, its `-wal`, `-shm` and `-lock` are refused even with `force`, whatever the
///   spelling of the path (a symbolic link to them, `./`, `..`, a hard link): compared by
///   device and inode when they exist, by resolved path otherwise.
/// - A symbolic link at the destination is replaced itself, never written through.
public final class OutputFile {
    public let path: String
    /// The temporary file the bytes go to until `commit` (for writers that need a path, such
    /// as SQLite's backup).
    public let temporaryPath: String
    private var fd: Int32
    private let force: Bool
    private let storePath: String?
    private var done = false

    /// Refuses the destination now (before any work is done), then opens the temporary file.
    public init(path: String, force: Bool, storePath: String?) throws {
        try OutputFile.checkDestination(path, force: force, storePath: storePath)
        self.path = path
        self.force = force
        self.storePath = storePath
        let dir = OutputFile.folder(of: path)
        // The temporary name adds 16 bytes: keep it within NAME_MAX (255) for a long name.
        var base = (path as NSString).lastPathComponent
        while base.utf8.count > 200 { base.removeLast() }
        var template = Array((dir + "/." + base + ".shopctl-XXXXXX").utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else { throw OutputFile.failure(path, errno) }
        self.fd = fd
        self.temporaryPath = template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        fchmod(fd, 0o600)
        _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
    }

    deinit { discard() }

    /// Appends `bytes` to the temporary file.
    public func write(_ bytes: [UInt8]) throws {
        precondition(!done, "write after commit or discard")
        try bytes.withUnsafeBytes { raw in
            var off = 0
            while off < raw.count {
                let n = Foundation.write(fd, raw.baseAddress! + off, raw.count - off)
                if n < 0 {
                    if errno == EINTR { continue }
                    let e = errno
                    discard()
                    throw OutputFile.failure(path, e)
                }
                off += n
            }
        }
    }

    public func write(_ text: String) throws { try write(Array(text.utf8)) }

    /// Syncs the temporary file and puts it in place (mode 0600).
    public func commit() throws {
        precondition(!done, "commit after commit or discard")
        fchmod(fd, 0o600)
        if fsync(fd) != 0 {
            let e = errno
            discard()
            throw OutputFile.failure(path, e)
        }
        close(fd)
        fd = -1
        if force {
            // The store may have been made to point here since the check (a new symlink): again.
            do { try OutputFile.checkDestination(path, force: true, storePath: storePath) } catch {
                discard()
                throw error
            }
            if rename(temporaryPath, path) != 0 {
                let e = errno
                discard()
                throw OutputFile.failure(path, e)
            }
        } else if link(temporaryPath, path) == 0 {
            unlink(temporaryPath)
        } else {
            let e = errno
            if e == EEXIST {
                discard()
                throw OutputFile.exists(path)
            }
            // A file system without hard links: rename, after checking once more.
            var st = stat()
            if lstat(path, &st) == 0 {
                discard()
                throw OutputFile.exists(path)
            }
            if rename(temporaryPath, path) != 0 {
                let e = errno
                discard()
                throw OutputFile.failure(path, e)
            }
        }
        done = true
        let dfd = open(OutputFile.folder(of: path), O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if dfd >= 0 {
            fsync(dfd)
            close(dfd)
        }
    }

    /// Abandons the write: the temporary file is removed, the destination untouched.
    public func discard() {
        guard !done else { return }
        done = true
        if fd >= 0 {
            close(fd)
            fd = -1
        }
        unlink(temporaryPath)
    }

    /// Writes `bytes` to `path` in one go.
    public static func write(_ bytes: [UInt8], to path: String, force: Bool, storePath: String?) throws {
        let out = try OutputFile(path: path, force: force, storePath: storePath)
        try out.write(bytes)
        try out.commit()
    }

    // MARK: - Checks

    /// Refuses `path` as SPEC §2 says: a store file always, an existing file without `force`.
    public static func checkDestination(_ path: String, force: Bool, storePath: String?) throws {
        guard !path.isEmpty else {
            throw ShopError.usage("bad-argument", en: "an output file name is empty", zh: "输出文件名为空")
        }
        if let storePath, !storePath.isEmpty, isStoreFile(path, storePath: storePath) {
            throw ShopError.usage(
                "file-exists",
                en: "\(path) is the store or one of its files; shopctl never writes over it (choose another file)",
                zh: "\(path) 是数据库或其附属文件，shopctl 绝不会覆盖它（请换一个文件）")
        }
        var st = stat()
        if lstat(path, &st) == 0 {
            if (st.st_mode & S_IFMT) == S_IFDIR {
                throw ShopError.usage("bad-argument", en: "\(path) is a folder, not a file", zh: "\(path) 是目录，不是文件")
            }
            if !force { throw exists(path) }
        }
        var dst = stat()
        let dir = folder(of: path)
        guard stat(dir, &dst) == 0, (dst.st_mode & S_IFMT) == S_IFDIR else {
            throw ShopError.usage(
                "bad-argument", en: "cannot write \(path): the folder \(dir) does not exist",
                zh: "无法写入 \(path)：目录 \(dir) 不存在")
        }
    }

    /// Whether `path` names the store at `storePath` or its `-wal`, `-shm`, `-lock`, `-journal`
    /// (also those beside the store's real path when `storePath` is a symbolic link).
    public static func isStoreFile(_ path: String, storePath: String) -> Bool {
        // SQLite names the -wal and -shm after the store's real path when `storePath` is a
        // symbolic link: those of both spellings.
        var candidates = Store.files(of: storePath)
        let real = resolve(storePath)
        if real != storePath { candidates += Store.files(of: real) }
        return candidates.contains { sameFile(path, $0) }
    }

    /// Whether two paths name one file: the same device and inode when both exist (hard and
    /// symbolic links, any spelling), else the same resolved path (`resolve`).
    public static func sameFile(_ a: String, _ b: String) -> Bool {
        var sa = stat()
        var sb = stat()
        if stat(a, &sa) == 0, stat(b, &sb) == 0 { return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino }
        return resolve(a) == resolve(b)
    }

    /// `path` with its folder resolved (symbolic links, `.`, `..`) and its last component
    /// followed when it is a symbolic link.
    public static func resolve(_ path: String) -> String {
        var p = path
        for _ in 0..<16 {
            var st = stat()
            guard lstat(p, &st) == 0, (st.st_mode & S_IFMT) == S_IFLNK,
                let dest = try? FileManager.default.destinationOfSymbolicLink(atPath: p)
            else { break }
            p = dest.hasPrefix("/") ? dest : folder(of: p) + "/" + dest
        }
        let dir = folder(of: p)
        var buf = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let base = (p as NSString).lastPathComponent
        guard realpath(dir, &buf) != nil else { return (p as NSString).standardizingPath }
        return String(cString: buf) + "/" + base
    }

    static func folder(of path: String) -> String {
        let d = (path as NSString).deletingLastPathComponent
        return d.isEmpty ? "." : d
    }

    static func exists(_ path: String) -> ShopError {
        ShopError.usage(
            "file-exists", en: "\(path) already exists; choose another file or pass --force to replace it",
            zh: "\(path) 已存在；请换一个文件名，或加 --force 覆盖")
    }

    static func failure(_ path: String, _ code: Int32) -> ShopError {
        let reason = String(cString: strerror(code))
        return ShopError.store(
            "write-failed", en: "cannot write \(path): \(reason); nothing was written",
            zh: "无法写入 \(path)：\(reason)；未写入任何内容")
    }
}

extension Store {
    /// The store and the files SQLite and shopctl keep beside it.
    public static func files(of storePath: String) -> [String] {
        [storePath, storePath + "-wal", storePath + "-shm", storePath + "-lock", storePath + "-journal"]
    }
}
