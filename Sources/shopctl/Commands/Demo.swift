import Foundation
import ShopKit
import ShopStore

/// Builds a sample store by running ordinary shopctl command lines against it,
/// printing each line and what it answered, so the demo is also a tutorial.
struct DemoCommand: Command {
    static let path = ["demo"]
    static let summary = Message(en: "build a complete sample store and tour it", zh: "创建完整的示例店铺并演示")
    static let usage = ["demo [--db PATH]"]
    static let options: [OptionSpec] = []
    static let discussion: Message? = Message(
        en:
            "Without --db the store goes into a new temporary folder, whose path is printed. $SHOPCTL_DB is ignored, so the demo never touches your real store.",
        zh: "不指定 --db 时，示例数据库建在新的临时目录中并打印其路径。demo 忽略 $SHOPCTL_DB，不会动到你真实的数据库。")
    static let examples = ["shopctl demo", "shopctl demo --db /tmp/demo.db", "SHOPCTL_LANG=zh_CN shopctl demo"]

    init(_ args: ParsedArgs) throws { try args.noPositionals() }

    /// The demo's script: each entry is one shopctl command line.
    static func script() -> [[String]] {
        [
            ["init", "--platform", "taoxiaopu"],
            ["rules"],
            ["open-shop", "--member", "m1001", "--name", "小美好物", "--description", "宝妈自用好物分享", "--credit-score", "720", "--verified"],
            ["shop", "list"],
        ]
    }

    func run(_ ctx: Context) throws -> Output {
        let dbPath: String
        if let p = ctx.global.db, !p.isEmpty {
            dbPath = p
        } else {
            var template = Array((NSTemporaryDirectory() + "/shopctl-demo-XXXXXX").utf8CString)
            guard let dir = template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) else {
                throw ShopError.store("store-open", en: "cannot create a temporary folder", zh: "无法创建临时目录")
            }
            dbPath = String(cString: dir) + "/shop.db"
        }
        var global = GlobalOptions()
        global.db = dbPath
        let inner = try Context(env: ctx.env, global: global)
        let style = Style(enabled: ctx.colour)
        var human = [
            style.bold(ctx.t("shopctl demo — a sample 淘小铺 shop, built step by step", "shopctl 演示 —— 一步步搭建淘小铺示例店铺")),
            ctx.t("store: \(dbPath)", "数据库：\(dbPath)"),
        ]
        var steps: [JSON] = []
        for line in Self.script() {
            let output = try CLI.dispatch(line, inner)
            human.append("")
            human.append(style.green("$ shopctl --db \(dbPath) " + line.map(shellQuote).joined(separator: " ")))
            if let h = output.human { human.append(h) }
            steps.append(.object([("command", .string("shopctl " + line.joined(separator: " "))), ("result", output.json)]))
        }
        human += [
            "",
            ctx.t("Done. Explore it yourself:", "完成。自己动手试试："),
            "  export SHOPCTL_DB=\(dbPath)",
            "  shopctl shop show",
            "  shopctl rules --json",
        ]
        return Output(json: .object([("db", .string(dbPath)), ("steps", .array(steps))]), human: human.joined(separator: "\n"))
    }
}

func shellQuote(_ s: String) -> String {
    let safe = s.unicodeScalars.allSatisfy {
        CharacterSet.alphanumerics.contains($0) || "-_./=:@%+,".unicodeScalars.contains($0) || $0.value > 0x2E7F
    }
    return safe && !s.isEmpty ? s : "'" + s.replacingOccurrences(of: "'", with: "'\\''") + "'"
}
