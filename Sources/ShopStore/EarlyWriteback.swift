import CSQLite
import Foundation

/// While a bulk write runs, starts the kernel writing a file's new pages to disk as they pile
/// up (`shopctl_start_writeback`: Linux `sync_file_range`), so that the `fsync` of the commit
/// finds them written instead of writing all of them then, while nothing else can run: an import
/// writes every page of its rows to the WAL, and a million orders are 200 MB
/// (docs/performance.md). Durability stays SQLite's (its `fsync`s are unchanged): this only
/// starts the same writes earlier, on a thread of its own.
///
/// The `-wal` beside the store grows as the import writes: a start each time it has grown by
/// `step`. SQLite holds no POSIX locks on it, so our descriptor's close cannot drop a lock of this
/// process. A file that does not exist yet is looked for again at the next tick; one that is not
/// a regular file is left alone.
///
/// With `store`, the store file too: the commit's checkpoint copies the WAL into it, and its
/// pages then start to disk at every tick instead of all at the checkpoint's `fsync`. Its
/// descriptor is closed only once no connection of this process has the file open
/// (`Database.closeWhenUnused`): closing a descriptor of the store file would drop SQLite's
/// locks on it. It is opened only when it is the file `store.key` names (device and inode).
final class EarlyWriteback: @unchecked Sendable {
    /// Bytes written since the last start that make the next one (smaller amounts wait).
    static let step: off_t = 8 << 20
    static let tick: TimeInterval = 0.02

    private let path: String
    private let store: (path: String, key: String)?
    private let state = NSCondition()
    private var stopping = false
    private var running = false

    init(path: String, store: (path: String, key: String)? = nil) {
        self.path = path
        self.store = store
    }

    func start() {
        state.lock()
        defer { state.unlock() }
        guard !running else { return }
        running = true
        stopping = false
        let t = Thread { [self] in self.run() }
        t.stackSize = 1 << 18
        t.start()
    }

    /// Stops the thread and waits for it to close its descriptor.
    func stop() {
        state.lock()
        stopping = true
        state.broadcast()
        while running { state.wait() }
        state.unlock()
    }

    private func run() {
        var fd: Int32 = -1
        var started: off_t = 0
        var storeFD: Int32 = -1
        if let store { storeFD = Self.openRegular(store.path, follow: true, key: store.key) }
        state.lock()
        while !stopping {
            state.unlock()
            if storeFD >= 0 { _ = shopctl_start_writeback(storeFD) }
            if fd < 0 { fd = Self.openRegular(path) }
            if fd >= 0 {
                var st = stat()
                if fstat(fd, &st) == 0, st.st_size - started >= Self.step {
                    _ = shopctl_start_writeback(fd)
                    started = st.st_size
                } else if st.st_size < started {
                    started = st.st_size  // truncated (the WAL restarted): count from there
                }
            }
            state.lock()
            if !stopping { _ = state.wait(until: Date(timeIntervalSinceNow: Self.tick)) }
        }
        state.unlock()
        if fd >= 0 { close(fd) }
        if storeFD >= 0, let store { Database.closeWhenUnused(storeFD, key: store.key) }
        state.lock()
        running = false
        state.broadcast()
        state.unlock()
    }

    /// A descriptor of the regular file at `path` (with `key`, only if it is that file: a
    /// descriptor of another file is closed at once, which cannot touch a lock on this one).
    private static func openRegular(_ path: String, follow: Bool = false, key: String? = nil) -> Int32 {
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | (follow ? 0 : O_NOFOLLOW))
        guard fd >= 0 else { return -1 }
        var st = stat()
        guard fstat(fd, &st) == 0, st.st_mode & S_IFMT == S_IFREG, key == nil || key == "\(st.st_dev):\(st.st_ino)" else {
            close(fd)
            return -1
        }
        return fd
    }
}
