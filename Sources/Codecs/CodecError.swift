/// The error a codec throws: input it cannot read, or a request it cannot serve.
///
///     throw CodecError(.invalidInput, "bad-csv",
///         en: "line 7, column 3 (character 15): a double quote inside an unquoted field; …",
///         zh: "第 7 行第 3 列（第 15 个字符）：未加引号的字段中出现了双引号；…")
///
/// `code` is stable (scripts match on it); the messages may change. The library using the
/// codecs decides what a kind means to its users (an exit code, say).
public struct CodecError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// The input cannot be read as a whole: not UTF-8, broken CSV or JSON, a read failure.
        case invalidInput
        /// The request cannot be served: data too long for a QR code, say.
        case usage
    }

    public let kind: Kind
    /// Stable lower-case hyphenated code, e.g. `bad-csv`.
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

    public var description: String { "\(code): \(message.en)" }
}

/// A user-facing text in English and Chinese.
///
///     Message(en: "the file is empty", zh: "文件为空").text(chinese: true)  // "文件为空"
public struct Message: Sendable, Equatable, Hashable {
    public let en: String
    public let zh: String
    public init(en: String, zh: String) {
        self.en = en
        self.zh = zh
    }
    public func text(chinese: Bool) -> String { chinese ? zh : en }
}
