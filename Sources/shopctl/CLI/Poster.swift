import Codecs
import ShopKit

/// A shareable SVG poster (750 × 1334, a phone screen): shop, title, price, reason, QR code.
enum Poster {
    static func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }

    /// Breaks text into lines of at most `width` display columns.
    static func wrap(_ s: String, width: Int, maxLines: Int) -> [String] {
        var lines: [String] = []
        var current = ""
        for ch in s where ch != "\n" {
            if displayWidth(current + String(ch)) > width {
                lines.append(current)
                current = ""
                if lines.count == maxLines { break }
            }
            current.append(ch)
        }
        if lines.count < maxLines && !current.isEmpty { lines.append(current) }
        if lines.count == maxLines, displayWidth(lines.joined()) < displayWidth(s.replacingOccurrences(of: "\n", with: "")) {
            lines[maxLines - 1] = truncate(lines[maxLines - 1] + "……", toWidth: width)
        }
        return lines
    }

    static func svg(shopName: String, title: String, price: Money?, reason: String?, url: String, qr: QRCode) -> String {
        let font = "font-family=\"'PingFang SC','Noto Sans CJK SC','Microsoft YaHei',sans-serif\""
        var y = 150
        var body = [
            "<rect width=\"750\" height=\"1334\" fill=\"#fff7f0\"/>",
            "<rect width=\"750\" height=\"110\" fill=\"#ff5000\"/>",
            "<text x=\"375\" y=\"70\" text-anchor=\"middle\" font-size=\"40\" fill=\"#fff\" \(font)>\(escape(shopName))</text>",
        ]
        for line in wrap(title, width: 28, maxLines: 3) {
            y += 64
            body.append("<text x=\"60\" y=\"\(y)\" font-size=\"48\" font-weight=\"bold\" fill=\"#222\" \(font)>\(escape(line))</text>")
        }
        if let price {
            y += 110
            body.append(
                "<text x=\"60\" y=\"\(y)\" font-size=\"80\" font-weight=\"bold\" fill=\"#e4393c\" \(font)>\(escape(price.formatted))</text>"
            )
        }
        if let reason, !reason.isEmpty {
            y += 30
            for line in wrap("“" + reason + "”", width: 34, maxLines: 4) {
                y += 52
                body.append("<text x=\"60\" y=\"\(y)\" font-size=\"36\" fill=\"#555\" \(font)>\(escape(line))</text>")
            }
        }
        let module = max(4, 420 / (qr.size + 8))
        let side = module * (qr.size + 8)
        let qx = (750 - side) / 2
        let qy = max(y + 50, 1334 - side - 170)
        body.append(qr.svgGroup(moduleSize: module, originX: qx + 4 * module, originY: qy + 4 * module, quietZone: 4))
        body.append(
            "<text x=\"375\" y=\"\(qy + side + 60)\" text-anchor=\"middle\" font-size=\"32\" fill=\"#888\" \(font)>长按识别二维码 · 扫码购买</text>")
        return """
            <?xml version="1.0" encoding="UTF-8"?>
            <svg xmlns="http://www.w3.org/2000/svg" width="750" height="1334" viewBox="0 0 750 1334">
            \(body.joined(separator: "\n"))
            </svg>

            """
    }
}
