import Codecs
import Foundation
import ShopKit

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

    static func reader(
        path: String, format explicit: String?, encoding: InputEncoding = .auto, required: [String],
        map: ImportMap? = nil
    ) throws -> ImportReader {
        let format = try ImportFormat.from(path: path, explicit: explicit)
        let handle: FileHandle
        if path == "-" {
            handle = FileHandle.standardInput
        } else {
            var isDir: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir), !isDir.boolValue,
                let h = FileHandle(forReadingAtPath: path)
            else {
                throw ShopError.notFound("file-not-found", en: "cannot read the file \(path)", zh: "无法读取文件 \(path)")
            }
            handle = h
        }
        let fileName = path == "-" ? nil : path
        let source: ByteChunkSource
        do {
            source = try Transcoder.source(ByteChunks.fileHandle(handle), encoding: encoding, fileName: fileName)
        } catch let e as CodecError {
            throw ShopError(e)
        }
        return try ImportReader(format: format, source: source, requiredColumns: required, fileName: fileName, map: map)
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
