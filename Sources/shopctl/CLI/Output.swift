import Codecs
import Foundation
import ShopKit

/// What a command produced: one value, rendered as JSON or for people.
struct Output {
    var json: JSON
    /// Text for people (already localised); nil prints nothing.
    var human: String?
    /// A refusal that still has a result to print (a `--strict` import's report, the checks of
    /// a failed `check`): the result goes to stdout, then the error is reported as any other.
    var failure: ShopError? = nil
    /// Writes the JSON document to stdout itself, without its final newline (a report too large
    /// to hold: an import's rejected rows streamed from disk); used instead of `json` when set.
    var writeJSON: (() throws -> Void)? = nil
    /// Bytes written to stdout as they are instead of `human` (CSV: data, not text for a
    /// terminal); ignored with `--json`.
    var verbatim: [UInt8]? = nil
    /// Writes the verbatim bytes to stdout itself (CSV too large to hold: a reconcile's
    /// differences streamed from disk); used instead of `verbatim` when set, ignored with `--json`.
    var writeVerbatim: (() throws -> Void)? = nil
}

/// The exit codes of SPEC §2, mapped in this one place.
enum ExitCode {
    static let success: Int32 = 0
    static func of(_ kind: ShopError.Kind) -> Int32 {
        switch kind {
        case .rule: return 1
        case .usage: return 2
        case .notFound: return 3
        case .invalidInput: return 4
        case .store: return 5
        }
    }
}

enum Terminal {
    static func write(_ text: String, to fd: Int32, newline: Bool = true) {
        var data = Array(text.utf8)
        if newline && !text.hasSuffix("\n") { data.append(10) }
        write(bytes: data, to: fd)
    }

    static func write(bytes data: [UInt8], to fd: Int32) {
        var off = 0
        while off < data.count {
            let n = data[off...].withUnsafeBytes { Foundation.write(fd, $0.baseAddress, $0.count) }
            if n <= 0 { break }
            off += n
        }
    }

    static func out(_ text: String) { write(text, to: 1) }
    static func err(_ text: String) { write(text, to: 2) }

    /// Prints an error per SPEC §2 and returns its exit code.
    static func report(_ e: ShopError, json: Bool, chinese: Bool) -> Int32 {
        if json {
            let doc = JSON.object([
                ("error", .object([("code", .string(e.code)), ("message", .string(e.message.text(chinese: chinese)))]))
            ])
            err(doc.serialized(pretty: false))
        } else {
            let prefix = chinese ? "shopctl：错误：" : "shopctl: error: "
            err(prefix + visibleControls(e.message.text(chinese: chinese)) + " [\(e.code)]")
        }
        return ExitCode.of(e.kind)
    }
}

/// ANSI styling, only when allowed (a terminal, no `NO_COLOR`).
struct Style {
    let enabled: Bool
    func bold(_ s: String) -> String { enabled ? "\u{1B}[1m\(s)\u{1B}[0m" : s }
    func dim(_ s: String) -> String { enabled ? "\u{1B}[2m\(s)\u{1B}[0m" : s }
    func green(_ s: String) -> String { enabled ? "\u{1B}[32m\(s)\u{1B}[0m" : s }
    func red(_ s: String) -> String { enabled ? "\u{1B}[31m\(s)\u{1B}[0m" : s }
    func yellow(_ s: String) -> String { enabled ? "\u{1B}[33m\(s)\u{1B}[0m" : s }
}
