import ShopKit

/// Identifiers given on the command line (`--member`, `--shop`, `--campaign`, `--product`,
/// product and order ids as arguments) follow `Identifier`'s rule; anything else exits 2
/// `bad-argument` before a store is opened.
func checkedID(_ v: String, _ what: String) throws -> String {
    if let problem = Identifier.problem(v) {
        let why = Identifier.reason(problem)
        throw ShopError.usage("bad-argument", en: "\(what) '\(v)' \(why.en)", zh: "\(what) '\(v)' \(why.zh)")
    }
    return v
}

extension ParsedArgs {
    /// The value of an id option, checked (nil when absent).
    func id(_ name: String) throws -> String? {
        try value(name).map { try checkedID($0, name) }
    }
}
