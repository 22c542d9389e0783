import Foundation
import ShopKit
import ShopStore

/// Everything a command may read from the outside world: environment, clock,
/// randomness, the store. Commands get it; ShopKit never sees it.
final class Context {
    let env: [String: String]
    let global: GlobalOptions
    let chinese: Bool
    let now: Instant
    let stdoutIsTerminal: Bool
    let stderrIsTerminal: Bool

    init(env: [String: String], global: GlobalOptions) throws {
        self.env = env
        self.global = global
        self.chinese = Context.isChinese(env)
        self.stdoutIsTerminal = isatty(1) == 1
        self.stderrIsTerminal = isatty(2) == 1
        if let text = env["SHOPCTL_NOW"], !text.isEmpty {
            do {
                self.now = try Instant.parseRFC3339(text)
            } catch {
                let why = (error as? ShopError).map { e in
                    (
                        RowFields.reason(in: e.message.en, after: text, separator: ":"),
                        RowFields.reason(in: e.message.zh, after: text, separator: "：")
                    )
                }
                throw ShopError.usage(
                    "bad-argument",
                    en: "SHOPCTL_NOW must be an RFC 3339 time with a zone, a year 2000–2099 and seconds 00–59: '\(text)'"
                        + (why?.0.map { " (\($0))" } ?? ""),
                    zh: "SHOPCTL_NOW 须为带时区、年份 2000–2099、秒 00–59 的 RFC 3339 时间：'\(text)'" + (why?.1.map { "（\($0)）" } ?? ""))
            }
        } else {
            self.now = Instant(seconds: Int64(Date().timeIntervalSince1970))
        }
    }

    /// `$SHOPCTL_LANG`, else `$LC_ALL`, else `$LC_MESSAGES`, else `$LANG` starting with `zh`.
    static func isChinese(_ env: [String: String]) -> Bool {
        for key in ["SHOPCTL_LANG", "LC_ALL", "LC_MESSAGES", "LANG"] {
            if let v = env[key], !v.isEmpty { return v.lowercased().hasPrefix("zh") }
        }
        return false
    }

    var json: Bool { global.json }
    var colour: Bool { stdoutIsTerminal && (env["NO_COLOR"] ?? "").isEmpty }

    func t(_ en: String, _ zh: String) -> String { chinese ? zh : en }
    func t(_ m: Message) -> String { m.text(chinese: chinese) }

    // MARK: - Store

    /// `--db`, else `$SHOPCTL_DB`, else `$XDG_DATA_HOME/shopctl/shop.db`, else `~/.local/share/shopctl/shop.db`.
    var storePath: String {
        if let p = global.db, !p.isEmpty { return p }
        if let p = env["SHOPCTL_DB"], !p.isEmpty { return p }
        if let x = env["XDG_DATA_HOME"], !x.isEmpty { return x + "/shopctl/shop.db" }
        let home = env["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
        return home + "/.local/share/shopctl/shop.db"
    }

    private var openedStore: Store?

    static func randomSecret() -> [UInt8] {
        var g = SystemRandomNumberGenerator()
        return (0..<32).map { _ in UInt8.random(in: 0...255, using: &g) }
    }

    /// Opens the store for `access` (once per command):
    /// - `.read`: read-only, never creates, upgrades or checkpoints (`no-store`, `store-outdated`);
    /// - `.readAnyVersion`: the same, any schema version shopctl recognises (`backup`);
    /// - `.existing`: writes (upgrading an older store) but never creates (`no-store`);
    /// - `.write`: creates the store on first use with the default preset.
    func store(_ access: Store.Access) throws -> Store {
        if let s = openedStore {
            precondition(s.access.writes || !access.writes, "the store was opened to read; a command opens it once, for what it does")
            return s
        }
        let creation =
            access == .write
            ? Store.Creation(platform: .taoxiaopu, rules: Rules.preset(.taoxiaopu), now: now, secret: Context.randomSecret()) : nil
        let s = try Store.open(path: storePath, access: access, creation: creation)
        openedStore = s
        return s
    }

    func adopt(_ store: Store) { openedStore = store }

    /// The shop a command acts on (SPEC §2 `--shop`), in the store opened for `access`.
    func shop(_ access: Store.Access) throws -> Shop {
        let named = global.shop.flatMap { $0.isEmpty ? nil : $0 }
        let wanted = named ?? env["SHOPCTL_SHOP"].flatMap { $0.isEmpty ? nil : $0 }
        if let id = wanted { _ = try checkedID(id, named != nil ? "--shop" : "SHOPCTL_SHOP") }
        let store = try store(access)
        if let id = wanted {
            guard let shop = try store.shops.find(id, rules: store.rules) else {
                throw ShopError.notFound(
                    "shop-not-found", en: "no shop \(id) in \(store.path)", zh: "数据库 \(store.path) 中没有店铺 \(id)")
            }
            return shop
        }
        let all = try store.shops.all(rules: store.rules)
        if all.count == 1 { return all[0] }
        if all.isEmpty {
            throw ShopError.notFound(
                "shop-not-found", en: "this store has no shop yet; open one with: shopctl open-shop --member ID --name NAME",
                zh: "该数据库还没有店铺，请先开店：shopctl open-shop --member ID --name 店名")
        }
        let list = all.map { "\($0.shopID) \($0.displayName)" }.joined(separator: ", ")
        throw ShopError.usage(
            "ambiguous-shop", en: "this store holds \(all.count) shops; choose one with --shop: \(list)",
            zh: "该数据库有 \(all.count) 家店铺，请用 --shop 指定：\(list)")
    }
}
