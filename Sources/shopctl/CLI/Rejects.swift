import Foundation
import ShopKit
import ShopStore

/// A `--rejects FILE` of an import: one feed's rejected rows as CSV (SPEC §2 "Memory"), written
/// through `OutputFile` (refused when it exists unless `--force`, never the store).
struct RejectsFile {
    let path: String
    /// The feed's section of the import's report (`RejectSpool`).
    let section: Int
    let file: OutputFile

    /// Refuses `path` now, before the import: an existing file without `force`, the store, and
    /// any of `inputs` (the files being imported, even with `force`).
    init(option: String, path: String, section: Int, force: Bool, inputs: [String], storePath: String) throws {
        if path == "-" {
            throw ShopError.usage(
                "bad-argument", en: "\(option) needs a file name: standard output carries the report",
                zh: "\(option) 需要文件名：标准输出用于报告")
        }
        for input in inputs where input != "-" && OutputFile.sameFile(path, input) {
            throw ShopError.usage(
                "file-exists", en: "\(option) \(path) is a file being imported; shopctl never writes over it (choose another file)",
                zh: "\(option) \(path) 是正在导入的文件，shopctl 绝不会覆盖它（请换一个文件）")
        }
        self.path = path
        self.section = section
        self.file = try OutputFile(path: path, force: force, storePath: storePath)
    }

    /// The columns of a feed's rejects file: the CSV header as read, or `keys` for JSON Lines.
    static func columns(_ reader: ImportReader, keys: [String]) -> RejectSpool.Columns {
        reader.columns.map { .csv(header: $0) } ?? .jsonl(keys)
    }

    /// Refuses two rejects options naming one file.
    static func distinct(_ named: [(option: String, path: String)]) throws {
        for i in named.indices {
            for j in named.indices where j > i && OutputFile.sameFile(named[i].path, named[j].path) {
                throw ShopError.usage(
                    "bad-argument", en: "\(named[i].option) and \(named[j].option) name the same file",
                    zh: "\(named[i].option) 和 \(named[j].option) 指向同一个文件")
            }
        }
    }
}
