import ShopKit

/// One command: a description of its options (with their help), a validation
/// step (`init`, usage errors → exit 2) and a run step that returns a value
/// for the renderer.
protocol Command {
    /// Words that name it: `["open-shop"]`, `["shop", "list"]`.
    static var path: [String] { get }
    static var summary: Message { get }
    /// Synopsis after `shopctl `.
    static var usage: [String] { get }
    static var options: [OptionSpec] { get }
    static var discussion: Message? { get }
    static var examples: [String] { get }
    /// What its operands are, for shell completion (none by default).
    static var operands: [OperandSpec] { get }
    /// Validates the arguments (throws `.usage`).
    init(_ args: ParsedArgs) throws
    func run(_ ctx: Context) throws -> Output
}

extension Command {
    static var discussion: Message? { nil }
    static var operands: [OperandSpec] { [] }
    static var name: String { path.joined(separator: " ") }
}

/// Every command, in the order `shopctl help` lists them.
enum Registry {
    nonisolated(unsafe) static let commands: [any Command.Type] = [
        InitCommand.self, RulesCommand.self, OpenShopCommand.self,
        ShopListCommand.self, ShopShowCommand.self, ShopEditCommand.self,
        CatalogImportCommand.self, CatalogListCommand.self,
        PickAddCommand.self, PickRemoveCommand.self, PickReasonCommand.self, PickListCommand.self, PickSuggestCommand.self,
        ShareLinkCommand.self, ShareVerifyCommand.self, ShareDailyCommand.self, ShareListCommand.self,
        OrdersImportCommand.self, OrdersUpdateCommand.self, OrdersListCommand.self, OrdersShowCommand.self,
        EarningsCommand.self, EarningsReportCommand.self, EarningsWithdrawCommand.self, EarningsWithdrawalsCommand.self,
        EarningsMonthsCommand.self, ReconcileCommand.self,
        BackupCommand.self, CheckCommand.self, UpgradeCommand.self,
        DemoCommand.self, CompletionsCommand.self, HelpCommand.self,
    ]

    /// Finds the longest command path that prefixes `words`.
    static func lookup(_ words: [String]) -> (any Command.Type, Int)? {
        var best: (any Command.Type, Int)?
        for c in commands where c.path.count <= words.count && Array(words.prefix(c.path.count)) == c.path {
            if best == nil || c.path.count > best!.1 { best = (c, c.path.count) }
        }
        return best
    }

    /// Commands grouped under a first word (`shop` → list, show, edit).
    static func group(_ word: String) -> [any Command.Type] {
        commands.filter { $0.path.count > 1 && $0.path[0] == word }
    }
}
