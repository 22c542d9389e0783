import Codecs
import ShopKit

enum Help {
    static let version = "0.1.0"

    static func overview(_ ctx: Context) -> String {
        var lines = [
            ctx.t(
                "shopctl — the toolkit of a social-commerce shopkeeper (淘小铺, 云集, 饷店, 贝店)",
                "shopctl —— 社交电商店主的工具箱（淘小铺、云集、饷店、贝店）"),
            "",
            ctx.t("Usage:", "用法：") + " shopctl [--db PATH] [--shop SHOP_ID] [--json] COMMAND [ARGS]",
            "",
            ctx.t("Commands:", "命令："),
        ]
        let names = Registry.commands.map { $0.name }
        let w = names.map(displayWidth).max() ?? 0
        for c in Registry.commands {
            lines.append("  " + c.name + String(repeating: " ", count: w - displayWidth(c.name)) + "  " + ctx.t(c.summary))
        }
        lines += ["", ctx.t("Global options (before or after the command):", "全局选项（可放在命令前后）：")]
        lines += optionLines(GlobalOptions.specs, ctx)
        lines += [
            "",
            ctx.t(
                "Exit codes: 0 ok · 1 refused by a platform rule · 2 usage · 3 not found · 4 invalid input file · 5 store error",
                "退出码：0 成功 · 1 平台规则拒绝 · 2 用法错误 · 3 未找到 · 4 输入文件无效 · 5 数据库错误"),
            ctx.t("Run 'shopctl help COMMAND' for a command's options and examples.", "运行 'shopctl help 命令' 查看选项和示例。"),
        ]
        return lines.joined(separator: "\n")
    }

    static func optionLines(_ specs: [OptionSpec], _ ctx: Context) -> [String] {
        let labels = specs.map { $0.name + ($0.value.map { " " + $0 } ?? "") }
        let w = labels.map(displayWidth).max() ?? 0
        return zip(specs, labels).map { spec, label in
            "  " + label + String(repeating: " ", count: w - displayWidth(label)) + "  " + ctx.t(spec.help)
        }
    }

    static func command(_ c: any Command.Type, _ ctx: Context) -> String {
        var lines = ["shopctl \(c.name) — \(ctx.t(c.summary))", "", ctx.t("Usage:", "用法：")]
        lines += c.usage.map { "  shopctl " + $0 }
        if let d = c.discussion { lines += ["", ctx.t(d)] }
        if !c.options.isEmpty {
            lines += ["", ctx.t("Options:", "选项：")]
            lines += optionLines(c.options, ctx)
        }
        if !c.examples.isEmpty {
            lines += ["", ctx.t("Examples:", "示例：")]
            lines += c.examples.map { "  " + $0 }
        }
        lines += [
            "",
            ctx.t(
                "Global options: --db PATH, --shop SHOP_ID, --json, -h/--help, --version",
                "全局选项：--db PATH、--shop SHOP_ID、--json、-h/--help、--version"),
        ]
        return lines.joined(separator: "\n")
    }

    static func group(_ word: String, _ members: [any Command.Type], _ ctx: Context) -> String {
        var lines = [ctx.t("Usage:", "用法：")]
        for c in members { lines.append("  shopctl \(c.name)  — \(ctx.t(c.summary))") }
        lines.append(ctx.t("Run 'shopctl help \(word) SUBCOMMAND' for details.", "运行 'shopctl help \(word) 子命令' 查看详情。"))
        return lines.joined(separator: "\n")
    }

    static func json(_ c: (any Command.Type)?) -> JSON {
        guard let c else {
            return .object([
                ("version", .string(version)),
                ("commands", .array(Registry.commands.map { .object([("name", .string($0.name)), ("summary", .string($0.summary.en))]) })),
            ])
        }
        return .object([
            ("name", .string(c.name)),
            ("summary", .string(c.summary.en)),
            ("usage", .array(c.usage.map { .string("shopctl " + $0) })),
            (
                "options",
                .array(
                    c.options.map {
                        .object([
                            ("name", .string($0.name)), ("value", $0.value.map { .string($0) } ?? .null), ("help", .string($0.help.en)),
                        ])
                    })
            ),
            ("examples", .array(c.examples.map { .string($0) })),
        ])
    }
}

struct HelpCommand: Command {
    static let path = ["help"]
    static let summary = Message(en: "show help for a command", zh: "显示命令帮助")
    static let usage = ["help [COMMAND]", "help --man"]
    static let options: [OptionSpec] = [
        .flag("--man", "print the manual page shopctl.1 (roff; view with: man -l FILE)", "输出手册页 shopctl.1（roff 格式；查看：man -l 文件）")
    ]
    static let operands: [OperandSpec] = [.many(.command)]
    static let examples = [
        "shopctl help open-shop", "shopctl help shop edit", "shopctl help --man > shopctl.1 && man -l shopctl.1",
    ]
    let words: [String]
    let man: Bool
    init(_ args: ParsedArgs) throws {
        words = args.positionals
        man = args.flag("--man")
        if man { try args.noPositionals() }
    }
    func run(_ ctx: Context) throws -> Output {
        if man {
            let page = ManPage.render(ctx)
            return Output(json: .object([("name", .string("shopctl.1")), ("man", .string(page))]), human: page)
        }
        if words.isEmpty { return Output(json: Help.json(nil), human: Help.overview(ctx)) }
        if let (c, n) = Registry.lookup(words), n == words.count {
            return Output(json: Help.json(c), human: Help.command(c, ctx))
        }
        let members = Registry.group(words[0])
        if words.count == 1 && !members.isEmpty {
            return Output(json: .array(members.map { Help.json($0) }), human: Help.group(words[0], members, ctx))
        }
        throw unknownCommand(words)
    }
}

/// `unknown-command` for `words` (the name as typed), with the nearest commands as a suggestion.
func unknownCommand(_ words: [String]) -> ShopError {
    let name = words.joined(separator: " ")
    let near = DidYouMean.commands(words)
    return .usage(
        "unknown-command", en: "unknown command '\(name)'\(DidYouMean.hint(near, chinese: false)) (see: shopctl --help)",
        zh: "未知命令 '\(name)'\(DidYouMean.hint(near, chinese: true))（参见：shopctl --help）")
}
