import Codecs
import Foundation
import ShopKit
import ShopStore

/// Opening an import file (or `-` for stdin) as a streaming `ImportReader`.
enum ImportInput {
    /// The `--map FILE.json` of an import (nil without the option).
    static func map(_ path: String?, feed: ImportMap.Feed) throws -> ImportMap? {
        guard let path else { return nil }
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir), !isDir.boolValue,
            let data = FileManager.default.contents(atPath: path)
        else {
            throw ShopError.notFound("file-not-found", en: "cannot read the map file \(path)", zh: "无法读取映射文件 \(path)")
        }
        return try ImportMap.parse(Array(data), feed: feed, file: path)
    }

    /// `--encoding`, shared by every import.
    static let encodingOption: OptionSpec = .value(
        "--encoding", "auto|utf-8|gb18030|utf-16",
        "the file's text encoding (default auto: a BOM, else UTF-8, else GB18030; GBK is read as GB18030)",
        "文件的文本编码（默认 auto：先看 BOM，否则 UTF-8，否则 GB18030；GBK 按 GB18030 读取）",
        kind: .choice(InputEncoding.allCases.map(\.rawValue)))

    /// The `--encoding` value (auto when absent).
    static func encoding(_ args: ParsedArgs) throws -> InputEncoding {
        try args.choice("--encoding", InputEncoding.allCases.map(\.rawValue)).flatMap(InputEncoding.init(rawValue:)) ?? .auto
    }

    /// The formats `--format` names (`ndjson` is read as `jsonl` by extension only).
    static let formats = ["csv", "jsonl", "xlsx"]

    /// `--format`, shared by every command that reads a feed.
    static let formatOption: OptionSpec = .value(
        "--format", formats.joined(separator: "|"), "format when the extension does not tell (required for -)",
        "无法从扩展名判断时指定格式（- 时必填）", kind: .choice(formats))

    /// `--map FILE.json`, worded for what the file is (`another export`, `the statement`).
    static func mapOption(_ what: Message) -> OptionSpec {
        .value(
            "--map", "FILE.json", "a column map: header and status names of \(what.en), its time format, rows before the header",
            "列映射文件：\(what.zh)的表头与状态名、时间格式、表头前要跳过的行数", kind: .file)
    }

    /// The options every feed reader takes: `--format`, `--map`, `--encoding`, `--sheet`.
    static func readingOptions(map what: Message = Message(en: "another export", zh: "其他导出文件")) -> [OptionSpec] {
        [formatOption, mapOption(what), encodingOption, sheetOption]
    }

    /// The `--format` value (nil: by the file's extension).
    static func format(_ args: ParsedArgs) throws -> String? { try args.choice("--format", formats) }

    /// `--sheet NAME`, shared by every import.
    static let sheetOption: OptionSpec = .value(
        "--sheet", "NAME", "the sheet of an .xlsx workbook to read (default: the first)", "要读取的 .xlsx 工作簿中的工作表（默认：第一个）")

    static func reader(
        path: String, format explicit: String?, encoding: InputEncoding = .auto, required: [String],
        map: ImportMap? = nil, sheet: String? = nil
    ) throws -> ImportReader {
        let format = try ImportFormat.from(path: path, explicit: explicit)
        if sheet != nil && format != .xlsx {
            throw ShopError.usage(
                "bad-argument", en: "--sheet is for .xlsx workbooks; \(path) is read as \(format.rawValue)",
                zh: "--sheet 只用于 .xlsx 工作簿；\(path) 按 \(format.rawValue) 读取")
        }
        if format == .xlsx { return try workbook(path: path, encoding: encoding, required: required, map: map, sheet: sheet) }
        let handle: FileHandle
        if path == "-" {
            handle = FileHandle.standardInput
        } else {
            handle = try openInput(path) { FileHandle(forReadingAtPath: $0) }
        }
        let fileName = path == "-" ? nil : path
        let source: ByteChunkSource
        do {
            source = try Transcoder.source(
                sniffed(ByteChunks.fileHandle(handle), path: path), encoding: encoding, fileName: fileName)
        } catch let e as CodecError {
            throw ShopError(e)
        }
        return try ImportReader(format: format, source: source, requiredColumns: required, fileName: fileName, map: map)
    }

    /// The input file `path` opened by `open` (nil: it cannot be read); a missing file or a folder
    /// is `file-not-found`, as one that cannot be opened.
    private static func openInput<T>(_ path: String, _ open: (String) -> T?) throws -> T {
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir), !isDir.boolValue, let opened = open(path) else {
            throw ShopError.notFound("file-not-found", en: "cannot read the file \(path)", zh: "无法读取文件 \(path)")
        }
        return opened
    }

    /// An Excel 97–2003 (OLE) file or a zip archive given as text: refused on its first bytes,
    /// with the way out, instead of as "not UTF-8".
    private static func sniffed(_ source: @escaping ByteChunkSource, path: String) -> ByteChunkSource {
        var first = true
        return {
            let chunk = try source()
            guard first else { return chunk }
            first = false
            if let chunk, chunk.starts(with: oleMagic) {
                let e = ImportFormat.legacyWorkbook(path)
                throw CodecError(.invalidInput, e.code, e.message)
            }
            if let chunk, chunk.starts(with: [0x50, 0x4b, 0x03, 0x04]) {
                throw CodecError(
                    .invalidInput, "wrong-format",
                    en: "\(path) is a zip archive (an .xlsx workbook?), not text; name it .xlsx or pass --format xlsx",
                    zh: "\(path) 是 zip 压缩包（.xlsx 工作簿？），不是文本；请把它命名为 .xlsx 或指定 --format xlsx")
            }
            return chunk
        }
    }

    static let oleMagic: [UInt8] = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]

    /// An .xlsx workbook from a file, or from standard input (a regular file is read in place; a
    /// pipe is first copied to an unlinked temporary file, so memory stays bounded).
    private static func workbook(
        path: String, encoding: InputEncoding, required: [String], map: ImportMap?, sheet: String?
    ) throws -> ImportReader {
        guard encoding == .auto else {
            throw ShopError.usage(
                "bad-argument", en: "--encoding does not apply to .xlsx workbooks: their text is always Unicode",
                zh: "--encoding 不适用于 .xlsx 工作簿：其中的文本总是 Unicode")
        }
        do {
            let source: RandomAccessSource
            if path == "-" {
                source = try standardInput()
            } else {
                source = try openInput(path) { FileSource(path: $0) }
            }
            if try source.read(at: 0, count: 8) == oleMagic { throw ImportFormat.legacyWorkbook(path) }
            let book = try XLSXReader(source: source, sheet: sheet)
            return try ImportReader(workbook: book, requiredColumns: required, map: map)
        } catch let e as CodecError {
            throw ShopError(e)
        }
    }

    private static func standardInput() throws -> RandomAccessSource {
        var info = stat()
        if fstat(0, &info) == 0 && info.st_mode & S_IFMT == S_IFREG { return try FileSource(descriptor: 0, owned: false) }
        let copy: ScratchFile
        do { copy = try ScratchFile(prefix: "stdin", folder: ScratchFile.folder()) } catch {
            throw ShopError.invalidInput(
                "read-error", en: "cannot make a temporary file for the workbook on standard input",
                zh: "无法为标准输入中的工作簿创建临时文件")
        }
        let read = ByteChunks.fileHandle(FileHandle.standardInput)
        var size: Int64 = 0
        while let chunk = try read(), !chunk.isEmpty {
            guard copy.write(chunk, at: size) == nil else {
                throw ShopError.invalidInput(
                    "read-error", en: "cannot copy the workbook on standard input to a temporary file",
                    zh: "无法把标准输入中的工作簿复制到临时文件")
            }
            size += Int64(chunk.count)
        }
        return try FileSource(descriptor: copy.release())
    }
}

/// Progress on stderr for long imports: only on a terminal, only after about two seconds.
final class Progress {
    let enabled: Bool
    let label: Message
    let chinese: Bool
    let start = Date()
    var shown = false

    init(_ ctx: Context, _ label: Message) {
        self.enabled = ctx.stderrIsTerminal
        self.label = label
        self.chinese = ctx.chinese
    }

    func update(_ rows: Int) {
        guard enabled, Date().timeIntervalSince(start) > 2 else { return }
        shown = true
        Terminal.write("\r\(label.text(chinese: chinese)) \(rows.formatted())…", to: 2, newline: false)
    }

    func finish() {
        if shown { Terminal.write("\n", to: 2, newline: false) }
    }
}
