import Codecs

/// The one error type users see.
///
///     throw ShopError.rule("credit-score",
///         en: "credit score 650 is below the platform minimum 700",
///         zh: "芝麻信用分 650 低于平台要求的 700")
///
/// `code` is stable (scripts match on it); the messages may change. `kind`
/// decides the exit code, mapped in exactly one place (`ExitCode` in shopctl).
/// Programmer mistakes are `precondition`s, never `ShopError`s.
public struct ShopError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What kind of failure: decides the process exit code.
    public enum Kind: Sendable, Equatable {
        /// Refused by a platform rule (exit 1).
        case rule
        /// Usage error: unknown command or flag, missing or malformed argument (exit 2).
        case usage
        /// Not found: shop, product, order (exit 3).
        case notFound
        /// An input file that cannot be read as a whole (exit 4).
        case invalidInput
        /// Store error: cannot open, locked, newer schema (exit 5).
        case store
    }

    public let kind: Kind
    /// Stable lower-case hyphenated code, e.g. `shop-name`.
    public let code: String
    public let message: Message

    public init(_ kind: Kind, _ code: String, _ message: Message) {
        self.kind = kind
        self.code = code
        self.message = message
    }

    public init(_ kind: Kind, _ code: String, en: String, zh: String) {
        self.init(kind, code, Message(en: en, zh: zh))
    }

    public static func rule(_ code: String, en: String, zh: String) -> ShopError {
        ShopError(.rule, code, en: en, zh: zh)
    }
    public static func usage(_ code: String = "usage", en: String, zh: String) -> ShopError {
        ShopError(.usage, code, en: en, zh: zh)
    }
    public static func notFound(_ code: String = "not-found", en: String, zh: String) -> ShopError {
        ShopError(.notFound, code, en: en, zh: zh)
    }
    public static func invalidInput(_ code: String = "invalid-input", en: String, zh: String) -> ShopError {
        ShopError(.invalidInput, code, en: en, zh: zh)
    }
    public static func store(_ code: String = "store-error", en: String, zh: String) -> ShopError {
        ShopError(.store, code, en: en, zh: zh)
    }

    public var description: String { "\(code): \(message.en)" }
}

// MARK: - Codec errors

extension ShopError {
    /// A codec's error as users see it: the same code and message, `invalid input` (exit 4)
    /// or `usage` (exit 2). The one place codec errors become `ShopError`s.
    ///
    ///     do { doc = try JSON.parse(text) } catch let e as CodecError { throw ShopError(e) }
    public init(_ error: CodecError) {
        switch error.kind {
        case .invalidInput: self.init(.invalidInput, error.code, error.message)
        case .usage: self.init(.usage, error.code, error.message)
        }
    }

    /// Runs `body`, turning a `CodecError` it throws into a `ShopError`; other errors pass.
    ///
    ///     let code = try ShopError.mappingCodecErrors { try QRCode(encoding: url) }
    public static func mappingCodecErrors<T>(_ body: () throws -> T) throws -> T {
        do { return try body() } catch let e as CodecError { throw ShopError(e) }
    }
}

/// The bilingual text of errors and output (`Codecs.Message`), under the name ShopKit's users know.
public typealias Message = Codecs.Message
