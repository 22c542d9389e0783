import Codecs
import Foundation
import ShopKit

/// The pictures a poster embeds: a product's `image` (checked when the catalog is imported)
/// and the shop's logo (checked by `open-shop` and `shop edit`). Each is a PNG or JPEG file of
/// at most `ImageFileInfo.maxBytes` and `ImageFileInfo.maxSide` px a side (docs/formats.md).
enum PosterImages {
    /// A file's bytes, at most `limit` of them (nil when it cannot be opened or read, or is not a
    /// regular file); `size` is the file's whole size.
    static func readFile(_ path: String, limit: Int) -> (bytes: [UInt8], size: Int)? {
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG else { return nil }
        let size = Int(st.st_size)
        var out = [UInt8](repeating: 0, count: min(size, limit))
        var got = 0
        while got < out.count {
            let n = out.withUnsafeMutableBytes { read(fd, $0.baseAddress! + got, $0.count - got) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { break }
            got += n
        }
        out.removeLast(out.count - got)
        return (out, size)
    }

    /// Why the file at `path` cannot be embedded, or nil when it can. Only its first bytes are
    /// read (the header that holds the picture's size); the size limit uses the file's size.
    static func problem(at path: String) -> Message? {
        guard let (head, size) = readFile(path, limit: 256 << 10) else {
            return Message(en: "cannot be read (no such file, or not a file)", zh: "无法读取（文件不存在或不是普通文件）")
        }
        if size > ImageFileInfo.maxBytes { return ImageFileInfo.tooLarge(size) }
        if let p = ImageFileInfo.problem(head) {
            // A JPEG whose size comes after more than the bytes read is read whole.
            guard head.count < size, let (all, _) = readFile(path, limit: ImageFileInfo.maxBytes) else { return p }
            return ImageFileInfo.problem(all)
        }
        return nil
    }

    /// A product's `image` column as the store keeps it: the absolute path of the file, which
    /// must be inside the feed's folder (`folder`, the current folder for stdin). Absolute
    /// paths, `~`, URLs and paths leading out of the folder (`..`, a symbolic link) are
    /// `bad-value`, and so is a file that is not a PNG or JPEG within the limits.
    static func resolve(_ value: String, feedFolder folder: String) throws(RowProblem) -> String {
        if value.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) {
            throw RowProblem.badValue("image", value, en: "contains a control character", zh: "包含控制字符")
        }
        if value.hasPrefix("/") || value.hasPrefix("~") || value.contains("://") || value.hasPrefix("\\") {
            throw RowProblem.badValue(
                "image", value, en: "must be a file path relative to the feed's folder", zh: "必须是相对于数据文件所在目录的文件路径")
        }
        guard let base = realPath(folder) else {
            throw RowProblem.badValue("image", value, en: "cannot be found: the feed's folder cannot be read", zh: "找不到：无法读取数据文件所在目录")
        }
        guard let full = realPath(base + "/" + value) else {
            throw RowProblem.badValue("image", value, en: "is not a file in the feed's folder", zh: "在数据文件所在目录中不存在")
        }
        guard full != base else {
            throw RowProblem.badValue("image", value, en: "is not a file in the feed's folder", zh: "在数据文件所在目录中不存在")
        }
        guard full.hasPrefix(base == "/" ? "/" : base + "/") else {
            throw RowProblem.badValue(
                "image", value, en: "leads out of the feed's folder", zh: "指向数据文件所在目录之外")
        }
        if let why = problem(at: full) {
            throw RowProblem.badValue("image", value, en: why.en, zh: why.zh)
        }
        return full
    }

    /// `open-shop --logo` and `shop edit --logo`: the absolute path of a PNG or JPEG within the
    /// limits (exit 2 `bad-argument` otherwise), as the store keeps it.
    static func checkLogo(_ path: String) throws -> String {
        let full = realPath(path)
        if let why = full.map({ problem(at: $0) }) ?? Message(en: "does not exist", zh: "不存在") {
            throw ShopError.usage("bad-argument", en: "logo file \(path) \(why.en)", zh: "标志文件 \(path) \(why.zh)")
        }
        return full!
    }

    /// A picture for a poster, read whole and checked again (the file may have changed since it
    /// was stored): exit 4 `bad-image` naming it and what to do otherwise.
    static func load(_ path: String, what: Message, fix: Message) throws -> (bytes: [UInt8], info: ImageFileInfo) {
        let bytes = readFile(path, limit: ImageFileInfo.maxBytes + 1)?.bytes
        let why =
            bytes.map { ImageFileInfo.problem($0) }
            ?? Message(en: "cannot be read (no such file, or not a file)", zh: "无法读取（文件不存在或不是普通文件）")
        if let why {
            throw ShopError.invalidInput(
                "bad-image", en: "\(what.en) \(path) \(why.en); \(fix.en)", zh: "\(what.zh) \(path) \(why.zh)；\(fix.zh)")
        }
        return (bytes!, ImageFileInfo.sniff(bytes!)!)
    }

    /// The `data:` URI of a checked picture.
    static func dataURI(_ bytes: [UInt8], _ info: ImageFileInfo) -> String {
        "data:\(info.kind.mimeType);base64," + Data(bytes).base64EncodedString()
    }

    static func realPath(_ path: String) -> String? {
        guard let p = realpath(path, nil) else { return nil }
        defer { free(p) }
        return String(cString: p)
    }
}
