import Foundation

/// A temporary file of this process alone, for bytes that must not stay in memory (rejected rows,
/// a reconcile's differences, a workbook read from a pipe): made by `mkstemp` in `$TMPDIR` (else
/// the system's temporary folder) — so never a file that was already there, nor one reached through
/// a symbolic link — and unlinked at once, so nothing is left behind whatever happens to the
/// process. Written and read at offsets (`pwrite`/`pread`, interrupted calls retried).
public final class ScratchFile {
    /// The folder scratch files are made in: `directory`, else `$TMPDIR`, else the system's
    /// temporary folder, else `/tmp`; without a trailing `/`.
    public static func folder(_ directory: String? = nil) -> String {
        var dir = directory ?? ProcessInfo.processInfo.environment["TMPDIR"] ?? ""
        if dir.isEmpty { dir = NSTemporaryDirectory() }
        if dir.isEmpty { dir = "/tmp" }
        while dir.count > 1 && dir.hasSuffix("/") { dir.removeLast() }
        return dir
    }

    /// Why a scratch file could not be made: the `errno` of `mkstemp`.
    public struct Failure: Error {
        public let errno: Int32
    }

    /// The open descriptor (close-on-exec); closed with the value unless `release()`d.
    public private(set) var descriptor: Int32
    public let folder: String

    /// Makes one in `folder` (see `folder(_:)`), its name starting `shopctl-` + `prefix`; throws
    /// the `errno` of the failure.
    public init(prefix: String, folder: String) throws(ScratchFile.Failure) {
        var template = Array((folder + "/shopctl-" + prefix + "-XXXXXX").utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else { throw Failure(errno: errno) }
        template.withUnsafeBufferPointer { _ = unlink($0.baseAddress!) }
        _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
        descriptor = fd
        self.folder = folder
    }

    deinit { if descriptor >= 0 { close(descriptor) } }

    /// Hands the descriptor over to a new owner.
    public func release() -> Int32 {
        defer { descriptor = -1 }
        return descriptor
    }

    /// Writes all of `bytes` at `offset`; the `errno` of a failure, or nil.
    public func write(_ bytes: UnsafeRawBufferPointer, at offset: Int64) -> Int32? {
        var done = 0
        while done < bytes.count {
            let n = pwrite(descriptor, bytes.baseAddress! + done, bytes.count - done, off_t(offset) + off_t(done))
            if n < 0 {
                if errno == EINTR { continue }
                return errno
            }
            done += n
        }
        return nil
    }

    /// Writes all of `bytes` at `offset`; the `errno` of a failure, or nil.
    public func write(_ bytes: [UInt8], at offset: Int64) -> Int32? {
        bytes.withUnsafeBytes { write($0, at: offset) }
    }

    /// Fills `count` bytes of `into` from `at` on, reading at `offset`; the `errno` of a failure
    /// (`EIO` when the file ends first), or nil.
    public func read(into buffer: UnsafeMutableRawBufferPointer, at: Int, count: Int, offset: Int64) -> Int32? {
        var got = 0
        while got < count {
            let n = pread(descriptor, buffer.baseAddress! + at + got, count - got, off_t(offset) + off_t(got))
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { return n < 0 ? errno : EIO }
            got += n
        }
        return nil
    }
}
