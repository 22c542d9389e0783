import Foundation
import ShopKit

/// Writers of one store take turns in the order they arrive.
///
///     let queue = WriteQueue(storePath: "/home/me/shop.db")   // opens or creates shop.db-lock
///     let turn = queue?.wait(until: deadline)                  // after the writers that came first
///     …  BEGIN IMMEDIATE … COMMIT  …
///     turn.map { queue?.leave($0) }
///
/// SQLite's busy handler is not fair: a writer that has waited a while polls for the lock every
/// 100 ms while a newcomer polls after 1, 2, 5, 10 ms …, so under sustained load (imports back to
/// back) a writer can lose every race and fail `store-locked` after the busy timeout although the
/// store was never stuck. So, before `BEGIN IMMEDIATE`, a writer takes the next ticket from the
/// lock file beside the store and waits until the writer holding the ticket before it is done:
/// it waits only for the work queued ahead of it.
///
/// A ticket is a POSIX write lock on one byte of the lock file (byte `firstTicket + n`), held from
/// taking the ticket until the transaction ends; the counter is the file's first 8 bytes, read and
/// advanced under a lock on byte 0. Locks die with their process, so a writer that is killed (even
/// by SIGKILL) gives up its turn at once. The queue only orders writers: `BEGIN IMMEDIATE` and the
/// busy timeout still provide the exclusion, and any failure of the lock file (a read-only folder,
/// a file system without locks) leaves writers to the busy handler alone, as before.
final class WriteQueue {
    private let fd: Int32
    private static let counterLock: off_t = 0
    private static let firstTicket: off_t = 1 << 20

    /// Opens (creating with mode 0600) `storePath-lock`, never through a symbolic link, and makes
    /// it mode 0600; nil when that is not possible.
    init?(storePath: String) {
        guard !storePath.isEmpty, storePath != ":memory:", !storePath.hasPrefix("file:") else { return nil }
        let fd = open(storePath + "-lock", O_RDWR | O_CREAT | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC | O_NOCTTY, 0o600)
        guard fd >= 0 else { return nil }
        var st = stat()
        guard fstat(fd, &st) == 0, st.st_mode & S_IFMT == S_IFREG else {
            close(fd)
            return nil
        }
        if st.st_mode & 0o777 != 0o600 { _ = fchmod(fd, 0o600) }
        self.fd = fd
    }

    /// A store is not opened for writing while `storePath-lock` is anything but a regular file
    /// (a symbolic link, a folder, a FIFO): shopctl never writes through it, and something made it
    /// that was not shopctl (exit 5, `store-lock`). A lock file that cannot be opened for another
    /// reason (a read-only folder) still leaves writers to SQLite's busy handler.
    static func refuseUnsafeLockFile(storePath: String, shown: String) throws {
        var st = stat()
        guard lstat(storePath + "-lock", &st) == 0 else { return }
        if st.st_mode & S_IFMT != S_IFREG { throw unsafe(storePath + "-lock", shown: shown) }
    }

    static func unsafe(_ lockPath: String, shown: String) -> ShopError {
        ShopError.store(
            "store-lock",
            en: "\(lockPath) is not a regular file (a symbolic link?); shopctl never writes through it. Remove it to write to \(shown)",
            zh: "\(lockPath) 不是普通文件（符号链接？），shopctl 不会通过它写入。删除它后才能写入 \(shown)")
    }

    deinit { close(fd) }

    /// A writer's place in the queue: the byte it holds locked until `leave`.
    struct Ticket {
        let byte: off_t
    }

    /// Takes the next ticket and waits, at most until `deadline`, for the writer before it to be
    /// done. nil when the lock file cannot be used (the caller then relies on the busy timeout).
    func wait(until deadline: Date) -> Ticket? {
        guard lock(Self.counterLock, blocking: true) else { return nil }
        var counter: Int64 = 0
        let n = withUnsafeMutableBytes(of: &counter) { pread(fd, $0.baseAddress, 8, 0) }
        let number = n == 8 ? max(0, Int64(littleEndian: counter)) : 0
        let ticket = Ticket(byte: Self.firstTicket + off_t(number))
        let taken = lock(ticket.byte, blocking: false)
        var next = (number + 1).littleEndian
        let written = withUnsafeBytes(of: &next) { pwrite(fd, $0.baseAddress, 8, 0) }
        unlock(Self.counterLock)
        guard taken else { return nil }
        guard written == 8 else {
            unlock(ticket.byte)
            return nil
        }
        // The writer before holds its byte while it waits and while it writes; one poller per byte.
        if number > 0 {
            while isLocked(ticket.byte - 1) && Date() < deadline { usleep(1_000) }
        }
        return ticket
    }

    /// Ends a turn: the writer after it may go.
    func leave(_ ticket: Ticket) { unlock(ticket.byte) }

    // MARK: - Byte locks

    private func lock(_ byte: off_t, blocking: Bool) -> Bool {
        var fl = flock()
        fl.l_type = Int16(F_WRLCK)
        fl.l_whence = Int16(SEEK_SET)
        fl.l_start = byte
        fl.l_len = 1
        while true {
            if fcntl(fd, blocking ? F_SETLKW : F_SETLK, &fl) == 0 { return true }
            if errno != EINTR { return false }
        }
    }

    private func unlock(_ byte: off_t) {
        var fl = flock()
        fl.l_type = Int16(F_UNLCK)
        fl.l_whence = Int16(SEEK_SET)
        fl.l_start = byte
        fl.l_len = 1
        _ = fcntl(fd, F_SETLK, &fl)
    }

    /// Whether another process holds `byte` (locks of this process never count).
    private func isLocked(_ byte: off_t) -> Bool {
        var fl = flock()
        fl.l_type = Int16(F_WRLCK)
        fl.l_whence = Int16(SEEK_SET)
        fl.l_start = byte
        fl.l_len = 1
        guard fcntl(fd, F_GETLK, &fl) == 0 else { return false }
        return fl.l_type != Int16(F_UNLCK)
    }
}
