import Codecs
import Foundation
import ShopKit
import ShopStore

struct UpgradeCommand: Command {
    static let path = ["upgrade"]
    static let summary = Message(en: "upgrade a store made by an earlier shopctl", zh: "升级旧版 shopctl 创建的数据库")
    static let usage = ["upgrade"]
    static let options: [OptionSpec] = []
    static let discussion: Message? = Message(
        en:
            "Commands that only read never upgrade a store: they refuse an older one (exit 5, store-outdated). upgrade applies the pending migrations, each in its own transaction, and marks a store made before stores carried shopctl's application_id. Any command that writes does the same first. A store that is up to date is left as it is (exit 0). upgrade never creates a store (exit 5, no-store).",
        zh:
            "只读命令不会升级数据库：遇到旧版数据库时拒绝执行（退出码 5，store-outdated）。upgrade 依次执行尚未应用的迁移（每个迁移一个事务），并为尚未带有 shopctl application_id 的旧数据库加上标记。任何写入的命令都会先做同样的升级。已是最新版本的数据库保持不变（退出码 0）。upgrade 不会创建数据库（退出码 5，no-store）。"
    )
    static let examples = ["shopctl upgrade", "shopctl --db ~/old-shop.db upgrade --json"]

    init(_ args: ParsedArgs) throws { try args.noPositionals() }

    func run(_ ctx: Context) throws -> Output {
        let store = try ctx.store(.existing)
        let from = store.openedVersion
        let upgraded = from < Store.schemaVersion
        let json = JSON.object([
            ("db", .string(ctx.storePath)),
            ("from_version", .int(Int64(from))),
            ("schema_version", .int(Int64(Store.schemaVersion))),
            ("upgraded", .bool(upgraded)),
        ])
        let human =
            upgraded
            ? ctx.t(
                "Upgraded \(ctx.storePath) from schema version \(from) to \(Store.schemaVersion).",
                "已将 \(ctx.storePath) 从版本 \(from) 升级到 \(Store.schemaVersion)。")
            : ctx.t(
                "\(ctx.storePath) is up to date (schema version \(Store.schemaVersion)).",
                "\(ctx.storePath) 已是最新版本（\(Store.schemaVersion)）。")
        return Output(json: json, human: human)
    }
}
