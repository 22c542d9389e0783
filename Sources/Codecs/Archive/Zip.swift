import Foundation

/// Bytes read by offset: a file (with `pread`) or bytes in memory.
public protocol RandomAccessSource: AnyObject {
    /// The number of bytes.
    var size: Int { get }
    /// Up to `count` bytes at `offset` (fewer only at the end).
    func read(at offset: Int, count: Int) throws -> [UInt8]
}

/// A file read with `pread`; the descriptor is closed when the source goes.
public final class FileSource: RandomAccessSource {
    public let size: Int
    private let descriptor: Int32
    private let owned: Bool

    /// Reads the open descriptor `fd` (not closed when `owned` is false).
    public init(descriptor fd: Int32, owned: Bool = true) throws {
        var info = stat()
        guard fstat(fd, &info) == 0, info.st_mode & S_IFMT == S_IFREG else {
            if owned { close(fd) }
            throw CodecError(
                .invalidInput, "read-error", en: "the input is not a regular file that can be read at random",
                zh: "输入不是可随机读取的普通文件")
        }
        descriptor = fd
        self.owned = owned
        size = Int(info.st_size)
    }

    /// Opens `path` for reading; nil when it cannot be opened.
    public convenience init?(path: String) {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        try? self.init(descriptor: fd)
    }

    deinit { if owned { close(descriptor) } }

    public func read(at offset: Int, count: Int) throws -> [UInt8] {
        let n = max(0, min(count, size - offset))
        var out = [UInt8](repeating: 0, count: n)
        var done = 0
        while done < n {
            let r = out.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress! + done, n - done, off_t(offset + done)) }
            if r < 0 && errno == EINTR { continue }
            guard r > 0 else {
                let reason = r < 0 ? String(cString: strerror(errno)) : "the file got shorter"
                throw CodecError(.invalidInput, "read-error", en: "cannot read the input: \(reason)", zh: "无法读取输入：\(reason)")
            }
            done += r
        }
        return out
    }
}

/// Bytes in memory as a random-access source (tests).
public final class MemorySource: RandomAccessSource {
    public let bytes: [UInt8]
    public var size: Int { bytes.count }
    public init(_ bytes: [UInt8]) { self.bytes = bytes }
    public func read(at offset: Int, count: Int) throws -> [UInt8] {
        guard offset < bytes.count else { return [] }
        return Array(bytes[offset..<min(bytes.count, offset + count)])
    }
}

/// One file of a zip archive, as its central directory describes it.
public struct ZipEntry: Sendable, Equatable {
    public let name: String
    /// 0 stored, 8 deflated (anything else is refused when opened).
    public let method: Int
    public let flags: Int
    public let crc32: UInt32
    public let compressedSize: Int
    public let uncompressedSize: Int
    public let localHeaderOffset: Int
}

/// A zip archive read through a random-access source (APPNOTE 6.3): the end-of-central-directory
/// record (searched in the last 64 KiB + 22 bytes), the zip64 end record when the 32-bit fields
/// overflow, the central directory, each entry's local header; stored and deflated entries,
/// inflated as a stream and checked against their CRC-32 and declared size at the end.
///
///     let zip = try ZipArchive(source: MemorySource(bytes))
///     var read = try zip.open(zip.entry(named: "xl/workbook.xml")!)
///     while let chunk = try read() { … }
///
/// A zip bomb is refused, never inflated: an entry whose data inflates to more than its declared
/// size, or declares more than `maxEntryBytes`, or an archive with more than `maxEntries`
/// entries. Errors are `CodecError(.invalidInput, "bad-zip", …)` naming the entry or the byte
/// offset at fault; encrypted entries and other methods are `bad-zip` too.
public final class ZipArchive {
    public static let defaultMaxEntryBytes = 4 * 1024 * 1024 * 1024
    public static let defaultMaxEntries = 65_536

    public let source: RandomAccessSource
    public let entries: [ZipEntry]
    public let maxEntryBytes: Int
    private let index: [String: Int]

    public init(
        source: RandomAccessSource, maxEntryBytes: Int = ZipArchive.defaultMaxEntryBytes,
        maxEntries: Int = ZipArchive.defaultMaxEntries
    ) throws {
        self.source = source
        self.maxEntryBytes = maxEntryBytes
        let size = source.size
        guard size >= 22 else {
            throw ZipArchive.error(
                en: "the file is \(size) bytes long, too short for a zip archive", zh: "文件只有 \(size) 字节，不可能是 zip 压缩包")
        }
        // The end of central directory record: the last signature whose comment ends at the end.
        let tailStart = max(0, size - (65_535 + 22))
        let tail = try source.read(at: tailStart, count: size - tailStart)
        var eocd = -1
        var i = tail.count - 22
        while i >= 0 {
            if tail[i] == 0x50 && tail[i + 1] == 0x4b && tail[i + 2] == 0x05 && tail[i + 3] == 0x06 {
                let commentLength = Int(ZipArchive.u16(tail, i + 20))
                if i + 22 + commentLength <= tail.count {
                    eocd = i
                    break
                }
            }
            i -= 1
        }
        guard eocd >= 0 else {
            throw ZipArchive.error(
                en: "no end of central directory record in the last 64 KiB: not a zip archive, or one cut short",
                zh: "最后 64 KiB 中没有中央目录结束记录：不是 zip 压缩包，或文件被截断")
        }
        let eocdOffset = tailStart + eocd
        var count = Int(ZipArchive.u16(tail, eocd + 10))
        var directorySize = Int(ZipArchive.u32(tail, eocd + 12))
        var directoryOffset = Int(ZipArchive.u32(tail, eocd + 16))
        var directoryEnd = eocdOffset
        if count == 0xffff || directorySize == 0xffff_ffff || directoryOffset == 0xffff_ffff {
            // Zip64: the locator just before the end record points at the zip64 end record.
            guard eocdOffset >= 20 else { throw ZipArchive.error(en: "a zip64 archive without its locator", zh: "zip64 压缩包缺少定位记录") }
            let locator = try source.read(at: eocdOffset - 20, count: 20)
            guard ZipArchive.u32(locator, 0) == 0x0706_4b50 else {
                throw ZipArchive.error(en: "a zip64 archive without its locator", zh: "zip64 压缩包缺少定位记录")
            }
            let recordOffset = Int(clamping: ZipArchive.u64(locator, 8))
            guard recordOffset <= eocdOffset - 20 - 56 else {
                throw ZipArchive.error(
                    en: "the zip64 end record at byte \(recordOffset) lies outside the file", zh: "zip64 结束记录（第 \(recordOffset) 字节）超出文件范围")
            }
            let record = try source.read(at: recordOffset, count: 56)
            guard ZipArchive.u32(record, 0) == 0x0606_4b50 else {
                throw ZipArchive.error(en: "no zip64 end record at byte \(recordOffset)", zh: "第 \(recordOffset) 字节处没有 zip64 结束记录")
            }
            count = Int(clamping: ZipArchive.u64(record, 32))
            directorySize = Int(clamping: ZipArchive.u64(record, 40))
            directoryOffset = Int(clamping: ZipArchive.u64(record, 48))
            directoryEnd = recordOffset
        }
        guard count <= maxEntries else {
            throw ZipArchive.error(
                en: "the archive declares \(count) entries, more than the limit of \(maxEntries)",
                zh: "压缩包声明了 \(count) 个条目，超过上限 \(maxEntries)")
        }
        guard directoryOffset <= directoryEnd, directorySize <= directoryEnd - directoryOffset else {
            throw ZipArchive.error(
                en: "the central directory (\(directorySize) bytes at byte \(directoryOffset)) lies outside the file: "
                    + "the archive is truncated or corrupt",
                zh: "中央目录（第 \(directoryOffset) 字节起 \(directorySize) 字节）超出文件范围：压缩包被截断或已损坏")
        }
        guard directorySize <= 64 * 1024 * 1024 else {
            throw ZipArchive.error(
                en: "the central directory is \(directorySize) bytes long, more than 64 MiB",
                zh: "中央目录长 \(directorySize) 字节，超过 64 MiB")
        }
        let directory = try source.read(at: directoryOffset, count: directorySize)
        var entries: [ZipEntry] = []
        var index: [String: Int] = [:]
        var p = 0
        for n in 0..<count {
            let at = directoryOffset + p
            guard p + 46 <= directory.count, ZipArchive.u32(directory, p) == 0x0201_4b50 else {
                throw ZipArchive.error(
                    en: "the central directory is truncated: entry \(n + 1) of \(count) is missing at byte \(at)",
                    zh: "中央目录被截断：第 \(at) 字节处缺少第 \(n + 1) 个条目（共 \(count) 个）")
            }
            let flags = Int(ZipArchive.u16(directory, p + 8))
            let method = Int(ZipArchive.u16(directory, p + 10))
            let crc = ZipArchive.u32(directory, p + 16)
            var compressed = Int(ZipArchive.u32(directory, p + 20))
            var uncompressed = Int(ZipArchive.u32(directory, p + 24))
            let nameLength = Int(ZipArchive.u16(directory, p + 28))
            let extraLength = Int(ZipArchive.u16(directory, p + 30))
            let commentLength = Int(ZipArchive.u16(directory, p + 32))
            var local = Int(ZipArchive.u32(directory, p + 42))
            let end = p + 46 + nameLength + extraLength + commentLength
            guard end <= directory.count else {
                throw ZipArchive.error(
                    en: "the central directory is truncated inside entry \(n + 1) (byte \(at))",
                    zh: "中央目录在第 \(n + 1) 个条目内被截断（第 \(at) 字节）")
            }
            let name = String(decoding: directory[(p + 46)..<(p + 46 + nameLength)], as: UTF8.self)
            // The zip64 extended information extra field holds the sizes that overflowed.
            var e = p + 46 + nameLength
            let extraEnd = e + extraLength
            while e + 4 <= extraEnd {
                let tag = ZipArchive.u16(directory, e)
                let length = Int(ZipArchive.u16(directory, e + 2))
                guard e + 4 + length <= extraEnd else { break }
                if tag == 0x0001 {
                    var f = e + 4
                    let fieldEnd = f + length
                    if uncompressed == 0xffff_ffff && f + 8 <= fieldEnd {
                        uncompressed = Int(clamping: ZipArchive.u64(directory, f))
                        f += 8
                    }
                    if compressed == 0xffff_ffff && f + 8 <= fieldEnd {
                        compressed = Int(clamping: ZipArchive.u64(directory, f))
                        f += 8
                    }
                    if local == 0xffff_ffff && f + 8 <= fieldEnd { local = Int(clamping: ZipArchive.u64(directory, f)) }
                }
                e += 4 + length
            }
            if index[name] == nil { index[name] = entries.count }
            entries.append(
                ZipEntry(
                    name: name, method: method, flags: flags, crc32: crc, compressedSize: compressed,
                    uncompressedSize: uncompressed, localHeaderOffset: local))
            p = end
        }
        self.entries = entries
        self.index = index
    }

    /// The first entry called `name`.
    public func entry(named name: String) -> ZipEntry? { index[name].map { entries[$0] } }

    /// The entry's data as a chunk source, inflated as it is read; throws at the end when the
    /// CRC-32 or the size differs from the central directory's.
    public func open(_ entry: ZipEntry) throws -> ByteChunkSource {
        let name = entry.name
        guard entry.flags & 1 == 0 else {
            throw ZipArchive.error(en: "\(name) is encrypted", zh: "\(name) 已加密")
        }
        guard entry.method == 0 || entry.method == 8 else {
            throw ZipArchive.error(
                en: "\(name) uses compression method \(entry.method); only stored (0) and deflated (8) are read",
                zh: "\(name) 使用了压缩方法 \(entry.method)；只支持存储（0）和 deflate（8）")
        }
        guard entry.uncompressedSize <= maxEntryBytes else {
            throw ZipArchive.error(
                en: "\(name) declares \(entry.uncompressedSize) bytes, more than the limit of \(maxEntryBytes)",
                zh: "\(name) 声明的大小为 \(entry.uncompressedSize) 字节，超过上限 \(maxEntryBytes)")
        }
        let header = try source.read(at: entry.localHeaderOffset, count: 30)
        guard header.count == 30, ZipArchive.u32(header, 0) == 0x0403_4b50 else {
            throw ZipArchive.error(
                en: "\(name): no local header at byte \(entry.localHeaderOffset)",
                zh: "\(name)：第 \(entry.localHeaderOffset) 字节处没有本地文件头")
        }
        let dataStart = entry.localHeaderOffset + 30 + Int(ZipArchive.u16(header, 26)) + Int(ZipArchive.u16(header, 28))
        guard dataStart <= source.size, entry.compressedSize <= source.size - dataStart else {
            throw ZipArchive.error(
                en: "\(name): its \(entry.compressedSize) compressed bytes at byte \(dataStart) run past the end of the file",
                zh: "\(name)：从第 \(dataStart) 字节起的 \(entry.compressedSize) 字节压缩数据超出了文件末尾")
        }
        if entry.method == 0 && entry.compressedSize != entry.uncompressedSize {
            throw ZipArchive.error(
                en: "\(name) is stored but its sizes differ (\(entry.compressedSize) and \(entry.uncompressedSize))",
                zh: "\(name) 未压缩，但两个大小不一致（\(entry.compressedSize) 与 \(entry.uncompressedSize)）")
        }
        let source = self.source
        var offset = dataStart
        let end = dataStart + entry.compressedSize
        let raw: ByteChunkSource = {
            guard offset < end else { return nil }
            let chunk = try source.read(at: offset, count: min(64 * 1024, end - offset))
            guard !chunk.isEmpty else { return nil }
            offset += chunk.count
            return chunk
        }
        let data: ByteChunkSource
        if entry.method == 0 {
            data = raw
        } else {
            let inflater = Inflater(source: raw, limit: entry.uncompressedSize)
            data = {
                do {
                    return try inflater.next()
                } catch let e as CodecError where e.code == "bad-deflate" {
                    if e.message.en.contains("inflates to more than") {
                        throw ZipArchive.error(
                            en: "\(name) inflates to more than the \(entry.uncompressedSize) bytes it declares (a zip bomb?)",
                            zh: "\(name) 解压后超过其声明的 \(entry.uncompressedSize) 字节（疑似 zip 炸弹）")
                    }
                    throw CodecError(
                        .invalidInput, "bad-zip", en: "\(name): \(e.message.en)", zh: "\(name)：\(e.message.zh)")
                }
            }
        }
        var crc = CRC32()
        var total = 0
        var finished = false
        return {
            if finished { return nil }
            if let chunk = try data() {
                total += chunk.count
                guard total <= entry.uncompressedSize else {
                    throw ZipArchive.error(
                        en: "\(name) holds more than the \(entry.uncompressedSize) bytes it declares",
                        zh: "\(name) 的数据超过其声明的 \(entry.uncompressedSize) 字节")
                }
                crc.update(chunk)
                return chunk
            }
            finished = true
            guard total == entry.uncompressedSize else {
                throw ZipArchive.error(
                    en: "\(name) holds \(total) bytes but declares \(entry.uncompressedSize)",
                    zh: "\(name) 实际有 \(total) 字节，但声明为 \(entry.uncompressedSize) 字节")
            }
            guard crc.value == entry.crc32 else {
                throw ZipArchive.error(
                    en: "\(name) fails its CRC-32 check (the archive is corrupt)", zh: "\(name) 的 CRC-32 校验失败（压缩包已损坏）")
            }
            return nil
        }
    }

    /// The whole of a (small) entry.
    public func contents(_ entry: ZipEntry) throws -> [UInt8] {
        let read = try open(entry)
        var out: [UInt8] = []
        while let chunk = try read() { out += chunk }
        return out
    }

    // MARK: - Little-endian fields

    static func u16(_ b: [UInt8], _ i: Int) -> UInt16 { UInt16(b[i]) | UInt16(b[i + 1]) << 8 }
    static func u32(_ b: [UInt8], _ i: Int) -> UInt32 { UInt32(u16(b, i)) | UInt32(u16(b, i + 2)) << 16 }
    static func u64(_ b: [UInt8], _ i: Int) -> UInt64 { UInt64(u32(b, i)) | UInt64(u32(b, i + 4)) << 32 }

    static func error(en: String, zh: String) -> CodecError {
        CodecError(.invalidInput, "bad-zip", en: "broken zip archive: \(en)", zh: "zip 压缩包已损坏：\(zh)")
    }
}
