/// The `bad-csv` errors `CSVReader` throws, worded in English and Chinese.
///
///     throw CSVError.strayQuote(at: TextLocation(line: 7, column: 3, character: 15))
///     // "line 7, column 3 (character 15): a double quote inside an unquoted field; …"
enum CSVError {

    static func unterminatedQuote(openedAt location: TextLocation) -> CodecError {
        CodecError(
            .invalidInput, "bad-csv",
            en: "\(location.en): this quoted field is never closed: the quote that opens it "
                + "has no matching closing quote before the end of the file",
            zh: "\(location.zh)：此处开始的带引号字段没有闭合：直到文件结尾都没有找到对应的右引号")
    }

    static func strayQuote(at location: TextLocation) -> CodecError {
        CodecError(
            .invalidInput, "bad-csv",
            en: "\(location.en): a double quote inside an unquoted field; enclose the whole field "
                + "in double quotes and write each quote inside it as \"\"",
            zh: "\(location.zh)：未加引号的字段中出现了双引号；请用双引号括起整个字段，"
                + "并把字段内的每个双引号写成 \"\"")
    }

    static func textAfterClosingQuote(_ byte: UInt8, at location: TextLocation) -> CodecError {
        let what: (en: String, zh: String)
        switch byte {
        case 0x20, 0x09: what = ("a space", "空白")
        case 0x21...0x7E:
            let text = String(UnicodeScalar(byte))
            what = ("'\(text)'", "“\(text)”")
        default: what = ("a character", "字符")
        }
        return CodecError(
            .invalidInput, "bad-csv",
            en: "\(location.en): unexpected \(what.en) after the closing quote of a quoted field; "
                + "expected a comma or the end of the line (write a quote inside a quoted field as \"\")",
            zh: "\(location.zh)：带引号字段的右引号后面出现了多余的\(what.zh)；"
                + "这里应为逗号或行尾（引号字段中的双引号要写成 \"\"）")
    }

    static func fieldTooLarge(limit: Int, at location: TextLocation) -> CodecError {
        let size = sizeText(limit)
        return CodecError(
            .invalidInput, "bad-csv",
            en: "\(location.en): the field is larger than the limit of \(size.en)",
            zh: "\(location.zh)：字段超过了 \(size.zh) 的大小上限")
    }

    /// `16777216` → `16 MiB`, `1536` → `1536 bytes` / `1536 字节`.
    static func sizeText(_ bytes: Int) -> (en: String, zh: String) {
        let mebibyte = 1024 * 1024
        if bytes % mebibyte == 0 { return ("\(bytes / mebibyte) MiB", "\(bytes / mebibyte) MiB") }
        if bytes % 1024 == 0 { return ("\(bytes / 1024) KiB", "\(bytes / 1024) KiB") }
        return (bytes == 1 ? "1 byte" : "\(bytes) bytes", "\(bytes) 字节")
    }
}
