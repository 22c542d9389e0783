import Foundation

/// Builds the `not-utf8` error readers throw for bytes that are not UTF-8
/// text, with a conversion hint when the bytes look like GBK or UTF-16.
///
///     throw TextEncodingError.make(sample: rest, fileOffset: 812,
///                                  at: TextLocation(line: 3, column: 2),
///                                  fileName: "商品.csv", formatName: "CSV",
///                                  fileExtension: "csv")
enum TextEncodingError {

    /// - Parameters:
    ///   - sample: the bytes from the start of the offending character (or
    ///     NUL byte) onward; empty when the input ended inside a character.
    ///   - fileOffset: where `sample` begins in the input (0 is the start).
    ///   - fileName: the file's name for the `iconv` hint (`FILE` when nil).
    ///   - formatName: "CSV" or "JSON Lines", for the wording.
    static func make(
        sample: [UInt8], fileOffset: Int, at location: TextLocation,
        fileName: String?, formatName: String, fileExtension: String
    ) -> CodecError {
        let guess = TextEncoding.sniff(sample, fileOffset: fileOffset)
        let input = shellWord(fileName ?? "FILE")
        let output = shellWord(convertedName(fileName ?? "FILE", fileExtension: fileExtension))
        let byteText = sample.first.map { "byte " + hex($0) } ?? "it ends inside a character"
        let byteTextZh = sample.first.map { "字节 " + hex($0) } ?? "文件在一个字符的中间结束"

        switch guess {
        case .gbk:
            let command = "iconv -f GBK -t UTF-8 \(input) > \(output)"
            return CodecError(
                .invalidInput, "not-utf8",
                en: "\(location.en): the file is not valid UTF-8 (\(byteText)); it looks like GBK/GB18030, "
                    + "as saved by Chinese Excel or WPS. Import it with --encoding gb18030, or convert it first: \(command)",
                zh: "\(location.zh)：文件不是有效的 UTF-8 编码（\(byteTextZh)），看起来是 GBK/GB18030 编码"
                    + "（中文版 Excel 或 WPS 常用）。请用 --encoding gb18030 导入，或先转换：\(command)")
        case .utf16LittleEndian, .utf16BigEndian:
            let hasBOM =
                fileOffset == 0 && sample.count >= 2
                && ((sample[0], sample[1]) == (0xFF, 0xFE) || (sample[0], sample[1]) == (0xFE, 0xFF))
            let name = hasBOM ? "UTF-16" : (guess == .utf16LittleEndian ? "UTF-16LE" : "UTF-16BE")
            let command = "iconv -f \(name) -t UTF-8 \(input) > \(output)"
            let option = guess == .utf16LittleEndian || hasBOM ? "--encoding utf-16" : nil
            return CodecError(
                .invalidInput, "not-utf8",
                en: "\(location.en): the file is UTF-16 encoded, not UTF-8. "
                    + (option.map { "Import it with \($0), or convert it first: " } ?? "Convert it first: ") + command,
                zh: "\(location.zh)：文件是 UTF-16 编码，不是 UTF-8。"
                    + (option.map { "请用 \($0) 导入，或先转换：" } ?? "请先转换：") + command)
        case .binary:
            return CodecError(
                .invalidInput, "not-utf8",
                en: "\(location.en): the file contains a NUL byte (0x00); it looks like a binary file "
                    + "(an .xlsx workbook, say), not \(formatName) text. Save it as UTF-8 \(formatName) first",
                zh: "\(location.zh)：文件中含有 NUL 字节（0x00），看起来是二进制文件（例如 .xlsx 工作簿），"
                    + "不是 \(formatName) 文本。请先另存为 UTF-8 编码的 \(formatName) 文件")
        case .unknown:
            return CodecError(
                .invalidInput, "not-utf8",
                en: "\(location.en): the file is not valid UTF-8 (\(byteText)). "
                    + "Save it as UTF-8 text (in Excel: \"CSV UTF-8\") and try again",
                zh: "\(location.zh)：文件不是有效的 UTF-8 编码（\(byteTextZh)）。"
                    + "请另存为 UTF-8 编码（Excel 中选“CSV UTF-8”）后重试")
        }
    }

    // MARK: - Helpers

    static func hex(_ byte: UInt8) -> String {
        let digits = Array("0123456789ABCDEF")
        return "0x" + String(digits[Int(byte >> 4)]) + String(digits[Int(byte & 0x0F)])
    }

    /// `data/商品.csv` → `data/商品.utf8.csv`; a name without extension gets
    /// `.utf8.<fileExtension>` appended.
    static func convertedName(_ name: String, fileExtension: String) -> String {
        let slash = name.lastIndex(of: "/")
        if let dot = name.lastIndex(of: "."), dot > (slash ?? name.startIndex), dot != name.startIndex {
            return name[..<dot] + ".utf8" + name[dot...]
        }
        return name + ".utf8." + fileExtension
    }

    /// Quotes `word` for a POSIX shell when it holds anything but plain characters.
    static func shellWord(_ word: String) -> String {
        let plain = word.unicodeScalars.allSatisfy { scalar in
            scalar.value > 0x7F
                || "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-/+=:,@"
                    .unicodeScalars.contains(scalar)
        }
        if plain, !word.isEmpty { return word }
        return "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}
