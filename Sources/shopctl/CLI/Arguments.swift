import ShopKit

/// One option a command accepts, with its help beside it so `--help` cannot drift.
struct OptionSpec {
    /// `--member`
    let name: String
    /// Value placeholder (`ID`), or nil for a flag.
    let value: String?
    let help: Message
    var repeatable = false
    /// What its value is, for shell completion (`shopctl completions`).
    var kind: ValueKind = .text

    static func flag(_ name: String, _ en: String, _ zh: String) -> OptionSpec {
        OptionSpec(name: name, value: nil, help: Message(en: en, zh: zh))
    }
    static func value(_ name: String, _ placeholder: String, _ en: String, _ zh: String, kind: ValueKind = .text) -> OptionSpec {
        OptionSpec(name: name, value: placeholder, help: Message(en: en, zh: zh), kind: kind)
    }
}

/// The global options of SPEC §2, accepted anywhere on the line.
struct GlobalOptions {
    var db: String?
    var shop: String?
    var json = false
    var help = false
    var version = false

    static let specs: [OptionSpec] = [
        .value(
            "--db", "PATH", "the store (default: $SHOPCTL_DB, $XDG_DATA_HOME/shopctl/shop.db)",
            "数据库文件（默认 $SHOPCTL_DB 或 $XDG_DATA_HOME/shopctl/shop.db）", kind: .file),
        .value("--shop", "SHOP_ID", "which shop to act on (also $SHOPCTL_SHOP)", "要操作的店铺（也可用 $SHOPCTL_SHOP）", kind: .shopID),
        .flag("--json", "print one JSON document on stdout", "在标准输出打印一个 JSON 文档"),
        .flag("--help", "show help (also -h)", "显示帮助（也可用 -h）"),
        .flag("--version", "print the version", "显示版本"),
    ]

    /// Removes the global options from `args` (before any `--`) and returns them.
    static func extract(from args: [String]) throws -> (GlobalOptions, [String]) {
        var g = GlobalOptions()
        var rest: [String] = []
        var i = 0
        var ended = false
        while i < args.count {
            let a = args[i]
            if ended {
                rest.append(a)
                i += 1
                continue
            }
            if a == "--" {
                ended = true
                rest.append(a)
                i += 1
                continue
            }
            let (name, inline) = splitInline(a)
            switch name {
            case "--db", "--shop":
                let v: String
                if let inline {
                    v = inline
                } else {
                    guard i + 1 < args.count else { throw missingValue(name) }
                    v = args[i + 1]
                    i += 1
                }
                guard !v.isEmpty else { throw emptyValue(name) }
                if (name == "--db" ? g.db : g.shop) != nil { throw givenTwice(name) }
                if name == "--db" { g.db = v } else { g.shop = v }
            case "--json" where inline == nil:
                if g.json { throw givenTwice(name) }
                g.json = true
            case "--help", "-h": g.help = true
            case "--version" where inline == nil:
                if g.version { throw givenTwice(name) }
                g.version = true
            default: rest.append(a)
            }
            i += 1
        }
        return (g, rest)
    }

    static func splitInline(_ a: String) -> (String, String?) {
        guard a.hasPrefix("--"), let eq = a.firstIndex(of: "=") else { return (a, nil) }
        return (String(a[..<eq]), String(a[a.index(after: eq)...]))
    }

    static func missingValue(_ name: String) -> ShopError {
        .usage("missing-argument", en: "option \(name) needs a value", zh: "选项 \(name) 需要一个值")
    }

    /// SPEC §2 "Arguments": an empty value is never taken for "the default".
    static func emptyValue(_ name: String) -> ShopError {
        .usage("bad-argument", en: "option \(name) needs a non-empty value", zh: "选项 \(name) 的值不能为空")
    }

    static func givenTwice(_ name: String) -> ShopError {
        .usage("bad-argument", en: "option \(name) given twice", zh: "选项 \(name) 重复出现")
    }
}

/// A command's own arguments after the global options are removed.
struct ParsedArgs {
    var positionals: [String] = []
    var values: [String: [String]] = [:]
    var flags: Set<String> = []
    let command: String

    /// Parses `args` against `specs`; unknown options are usage errors.
    init(_ args: [String], specs: [OptionSpec], command: String) throws {
        self.command = command
        var i = 0
        var ended = false
        while i < args.count {
            let a = args[i]
            i += 1
            if ended || a == "-" || !a.hasPrefix("-") || a.count == 1 || isNegativeNumber(a) {
                positionals.append(a)
                continue
            }
            if a == "--" {
                ended = true
                continue
            }
            let (name, inline) = GlobalOptions.splitInline(a)
            guard let spec = specs.first(where: { $0.name == name }) else {
                let near = DidYouMean.options(name, among: specs)
                throw ShopError.usage(
                    "unknown-option",
                    en: "unknown option \(name) for '\(command)'\(DidYouMean.hint(near, chinese: false)) (see: shopctl help \(command))",
                    zh: "'\(command)' 没有选项 \(name)\(DidYouMean.hint(near, chinese: true))（参见：shopctl help \(command)）")
            }
            if spec.value == nil {
                if inline != nil {
                    throw ShopError.usage(
                        "bad-argument", en: "option \(name) takes no value", zh: "选项 \(name) 不接受值")
                }
                flags.insert(name)
            } else {
                let v: String
                if let inline {
                    v = inline
                } else {
                    guard i < args.count else { throw GlobalOptions.missingValue(name) }
                    v = args[i]
                    i += 1
                }
                guard !v.isEmpty else { throw GlobalOptions.emptyValue(name) }
                if values[name] != nil && !spec.repeatable { throw GlobalOptions.givenTwice(name) }
                values[name, default: []].append(v)
            }
        }
    }

    private func isNegativeNumber(_ a: String) -> Bool {
        a.count > 1 && a.first == "-" && a.dropFirst().allSatisfy { $0.isNumber || $0 == "." }
    }

    func value(_ name: String) -> String? { values[name]?.last }
    func flag(_ name: String) -> Bool { flags.contains(name) }

    func required(_ name: String) throws -> String {
        guard let v = value(name) else {
            throw ShopError.usage(
                "missing-argument", en: "'\(command)' needs \(name)", zh: "'\(command)' 需要 \(name)")
        }
        return v
    }

    func int(_ name: String, range: ClosedRange<Int>? = nil) throws -> Int? {
        guard let v = value(name) else { return nil }
        guard let n = Int(v), range.map({ $0.contains(n) }) ?? true else {
            let r = range.map { " (\($0.lowerBound)–\($0.upperBound))" } ?? ""
            throw ShopError.usage(
                "bad-argument", en: "\(name) expects a whole number\(r), got '\(v)'",
                zh: "\(name) 应为整数\(r)，收到 '\(v)'")
        }
        return n
    }

    /// Exactly `count` positionals (named for the message).
    func positionals(_ names: [String]) throws -> [String] {
        if positionals.count < names.count {
            let missing = names[positionals.count]
            throw ShopError.usage(
                "missing-argument", en: "'\(command)' needs \(missing)", zh: "'\(command)' 需要参数 \(missing)")
        }
        if positionals.count > names.count {
            throw ShopError.usage(
                "bad-argument", en: "unexpected argument '\(positionals[names.count])' for '\(command)'",
                zh: "'\(command)' 不接受多余的参数 '\(positionals[names.count])'")
        }
        return positionals
    }

    func noPositionals() throws { _ = try positionals([]) }

    /// Choice among fixed words.
    func choice(_ name: String, _ allowed: [String]) throws -> String? {
        guard let v = value(name) else { return nil }
        guard allowed.contains(v) else {
            throw ShopError.usage(
                "bad-argument", en: "\(name) must be one of \(allowed.joined(separator: ", ")); got '\(v)'",
                zh: "\(name) 必须是 \(allowed.joined(separator: "、")) 之一，收到 '\(v)'")
        }
        return v
    }
}
