import Codecs
import Foundation
import ShopKit

/// Parses the line, runs one command, renders its result, returns the exit code.
enum CLI {
    static func main(_ arguments: [String], env: [String: String]) -> Int32 {
        if let status = HiddenCompletion.handle(arguments, env: env) { return status }
        let chinese = Context.isChinese(env)
        var wantsJSON = arguments.contains("--json")
        do {
            let (global, rest) = try GlobalOptions.extract(from: arguments)
            wantsJSON = global.json
            let ctx = try Context(env: env, global: global)
            let output = try dispatch(rest, ctx)
            if ctx.json {
                if let write = output.writeJSON { try write() } else { Terminal.out(output.json.serialized(pretty: true)) }
            } else if let write = output.writeVerbatim {
                try write()
            } else if let bytes = output.verbatim {
                Terminal.write(bytes: bytes, to: 1)
            } else if let h = output.human, !h.isEmpty {
                Terminal.out(visibleInvisibles(h))
            }
            if let failure = output.failure { return Terminal.report(failure, json: ctx.json, chinese: ctx.chinese) }
            return ExitCode.success
        } catch let e as ShopError {
            return Terminal.report(e, json: wantsJSON, chinese: chinese)
        } catch let e as CodecError {
            // A codec's error that no command turned into a ShopError: the same code, message and exit code.
            return Terminal.report(ShopError(e), json: wantsJSON, chinese: chinese)
        } catch {
            let e = ShopError.store("internal", en: "unexpected error: \(error)", zh: "意外错误：\(error)")
            return Terminal.report(e, json: wantsJSON, chinese: chinese)
        }
    }

    static func dispatch(_ words: [String], _ ctx: Context) throws -> Output {
        if ctx.global.version && words.isEmpty {
            return Output(json: .object([("version", .string(Help.version))]), human: "shopctl \(Help.version)")
        }
        guard let first = words.first, first != "--" else {
            if ctx.global.help || ctx.global.version {
                return try HelpCommand(ParsedArgs([], specs: [], command: "help")).run(ctx)
            }
            throw ShopError.usage(
                "missing-argument", en: "no command given (see: shopctl --help)", zh: "没有给出命令（参见：shopctl --help）")
        }
        guard let (type, n) = Registry.lookup(words) else {
            let members = Registry.group(first)
            if !members.isEmpty {
                if ctx.global.help || words.count == 1 {
                    if ctx.global.help {
                        return Output(json: .array(members.map { Help.json($0) }), human: Help.group(first, members, ctx))
                    }
                    throw ShopError.usage(
                        "missing-argument",
                        en: "'\(first)' needs a subcommand: \(members.map { $0.path.last! }.joined(separator: ", "))",
                        zh: "'\(first)' 需要子命令：\(members.map { $0.path.last! }.joined(separator: "、"))")
                }
                throw unknownCommand(Array(words.prefix(2)))
            }
            throw unknownCommand([first])
        }
        // `share-link verfy`: a command that also heads a group takes a near miss of one of its
        // subcommands for a typo, not for an operand (`share-link -- verfy` is an operand).
        if n == 1, words.count > 1, !words[1].hasPrefix("-"), !Registry.group(first).isEmpty,
            !DidYouMean.commands(Array(words.prefix(2))).isEmpty
        {
            throw unknownCommand(Array(words.prefix(2)))
        }
        if ctx.global.help {
            return Output(json: Help.json(type), human: Help.command(type, ctx))
        }
        let args = try ParsedArgs(Array(words.dropFirst(n)), specs: type.options, command: type.name)
        let command = try type.init(args)
        return try command.run(ctx)
    }
}
