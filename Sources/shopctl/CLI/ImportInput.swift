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

    static func reader(path: String, format explicit: String?, required: [String], map: ImportMap? = nil) throws -> ImportReader {
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
        return try ImportReader(format: format, fileHandle: handle, requiredColumns: required, fileName: path == "-" ? nil : path, map: map)
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
