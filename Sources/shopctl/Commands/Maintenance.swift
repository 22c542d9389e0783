import Codecs
import Foundation
import ShopKit
import ShopStore

struct BackupCommand: Command {
    static let path = ["backup"]
    static let summary = Message(en: "copy the store safely, even while it is in use", zh: "安全备份数据库（使用中也可以）")
    static let usage = ["backup FILE [--force]"]
    static let operands: [OperandSpec] = [.one(.file)]
    static let options: [OptionSpec] = [
        .flag("--force", "replace an existing FILE (never the store or its files)", "覆盖已存在的 FILE（绝不覆盖数据库及其附属文件）")
    ]
    static let discussion: Message? = Message(
        en:
            "Uses SQLite's online backup API: a consistent snapshot while other shopctl processes keep writing. FILE must not exist (exit 2, file-exists) unless --force; the store and its files are refused always. The copy is made in a temporary file beside FILE, checked with PRAGMA integrity_check, and put in place with mode 0600 as a plain SQLite file (no WAL beside it); a failed backup leaves nothing behind. To restore, use it as --db or copy it back while no shopctl runs.",
        zh:
            "使用 SQLite 在线备份接口：即使其他 shopctl 进程正在写入，也能得到一致的快照。FILE 不能已存在（退出码 2，file-exists），除非加 --force；数据库及其附属文件始终拒绝。备份先写入 FILE 旁边的临时文件，经 PRAGMA integrity_check 校验后以 0600 权限放到位，是普通的 SQLite 文件（旁边没有 WAL）；备份失败时不留下任何文件。恢复时可直接用作 --db，或在没有 shopctl 运行时复制回去。"
    )
    static let examples = ["shopctl backup ~/backups/shop-$(date +%F).db", "shopctl backup /tmp/copy.db --json"]

    let file: String
    let force: Bool

    init(_ args: ParsedArgs) throws {
        file = try args.positionals(["FILE"])[0]
        force = args.flag("--force")
    }

    func run(_ ctx: Context) throws -> Output {
        // Refused before the store is even opened.
        try OutputFile.checkDestination(file, force: force, storePath: ctx.storePath)
        let store = try ctx.store(.readAnyVersion)
        let bytes = try store.backup(to: file, force: force, storePath: ctx.storePath)
        return Output(
            json: .object([("backup", .string(file)), ("bytes", .int(bytes)), ("integrity", .string("ok"))]),
            human: ctx.t(
                "Backed up \(store.path) to \(file) (\(bytes) bytes, integrity ok).", "已将 \(store.path) 备份到 \(file)（\(bytes) 字节，完整性校验通过）。"))
    }
}

struct CheckCommand: Command {
    static let path = ["check"]
    static let summary = Message(en: "verify the store: integrity, links, and every running total", zh: "校验数据库：完整性、关联和所有累计数据")
    static let usage = ["check"]
    static let options: [OptionSpec] = []
    static let discussion: Message? = Message(
        en:
            "Runs PRAGMA integrity_check and foreign_key_check, checks that every order is attributed to a link of its shop and an existing product, and that the daily totals, link totals, product sales and each shop's earnings equal a recomputation from the orders. Exits 5 (check-failed) naming the first broken invariant; a difference in the totals names its first order.",
        zh:
            "执行 PRAGMA integrity_check 与 foreign_key_check，检查每个订单都归属于本店链接和存在的商品，并核对每日汇总、链接汇总、商品销量与各店收益是否等于从订单重新计算的结果。发现问题时以 5 退出（check-failed）并指出第一个不符合的项；汇总不一致时指出其中的第一个订单。"
    )
    static let examples = ["shopctl check", "shopctl check --json | jq '.checks[] | select(.ok | not)'"]

    init(_ args: ParsedArgs) throws { try args.noPositionals() }

    func run(_ ctx: Context) throws -> Output {
        let store = try ctx.store(.read)
        let results = try store.check(now: ctx.now)
        let ok = results.allSatisfy(\.ok)
        let json = JSON.object([
            ("ok", .bool(ok)),
            (
                "checks",
                .array(results.map { .object([("name", .string($0.name)), ("ok", .bool($0.ok)), ("detail", .string($0.detail))]) })
            ),
        ])
        let style = Style(enabled: ctx.colour)
        let human = results.map {
            ($0.ok ? style.green("✓") : style.red("✗")) + " " + Self.label($0.name, ctx)
                + ($0.ok ? "" : ctx.t(": ", "：") + ctx.t($0.detail, $0.detailZh))
        }
        .joined(separator: "\n")
        if let first = results.first(where: { !$0.ok }) {
            let failure = ShopError.store(
                "check-failed", en: "check failed: \(first.name): \(first.detail)",
                zh: "校验未通过：\(Self.label(first.name, chinese: true))：\(first.detailZh)")
            return Output(json: json, human: human, failure: failure)
        }
        return Output(json: json, human: human + "\n" + ctx.t("All checks passed.", "全部校验通过。"))
    }

    /// A check's name for people: the stable name (as in JSON) in English, translated in Chinese;
    /// a shop id after it (`earnings S000001`) is kept.
    static func label(_ name: String, _ ctx: Context) -> String { label(name, chinese: ctx.chinese) }

    static func label(_ name: String, chinese: Bool) -> String {
        guard chinese else { return name }
        let parts = name.split(separator: " ", maxSplits: 1).map(String.init)
        let zh: [String: String] = [
            "integrity": "数据库完整性", "foreign-keys": "外键关联", "orders-attributed": "订单归属", "daily-totals": "每日汇总",
            "link-totals": "链接汇总", "product-sales": "商品销量", "earnings": "收益", "picks": "选品数量",
        ]
        guard let word = zh[parts[0]] else { return name }
        return parts.count > 1 ? "\(word) \(parts[1])" : word
    }
}
