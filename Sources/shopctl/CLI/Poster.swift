import Codecs
import ShopKit

/// What a poster shows (SPEC §4 share-link `--poster`).
struct PosterContent {
    var shopName: String
    /// The product's title; nil for the storefront poster (the shop's name is in the header, once).
    var title: String?
    var price: Money?
    /// The recommendation reason (a product) or the shop's description (the storefront).
    var text: String?
    /// The product's picture, checked (`PosterImages.load`).
    var image: (bytes: [UInt8], info: ImageFileInfo)?
    var logo: (bytes: [UInt8], info: ImageFileInfo)?
    var url: String
    var qr: QRCode
}

/// Where everything of a poster goes, in px of its 1080-wide canvas (the SVG's viewBox and the
/// PNG's pixels alike): one layout for both formats. The height follows the content, so there
/// is no empty band.
struct PosterLayout {
    static let width = 1080
    static let margin = 90
    static let headerHeight = 168
    static let imageSide = 760
    /// The QR code with its quiet zone of 4 modules is about this wide (a whole number of px per module).
    static let qrTarget = 480

    struct Line: Equatable {
        var text: String
        var baseline: Int
    }

    var height = 0
    var logo: (x: Int, y: Int, side: Int)?
    var shopName: (x: Int, baseline: Int, size: Int, anchor: String)
    var image: (x: Int, y: Int, side: Int)?
    var titleLines: [Line] = []
    var titleSize = 60
    var price: Line?
    var textLines: [Line] = []
    /// The QR code's white square, quiet zone included (exactly one: 4 modules each side).
    var qrX = 0
    var qrY = 0
    var qrSide = 0
    var module = 0
    var captionBaseline = 0
    static let captionSize = 36

    init(_ c: PosterContent) {
        let w = Self.width
        // Header: logo at the left, the shop's name beside it (or centred without a logo).
        let nameWidth = max(1, displayWidth(c.shopName))
        if c.logo != nil {
            logo = (x: 48, y: 28, side: 112)
            let room = w - 196 - 48
            let size = min(52, room * 2 / nameWidth)
            shopName = (x: 196, baseline: 84 + size * 36 / 100, size: size, anchor: "start")
        } else {
            let size = min(52, (w - 2 * 48) * 2 / nameWidth)
            shopName = (x: w / 2, baseline: 84 + size * 36 / 100, size: size, anchor: "middle")
        }
        var y = Self.headerHeight + 56
        // The product's picture, or the shop's logo large on the storefront poster.
        if c.image != nil || (c.title == nil && c.logo != nil) {
            let side = c.image != nil ? Self.imageSide : 420
            image = (x: (w - side) / 2, y: y, side: side)
            y += side + 40
        }
        let title = c.title ?? "全店好物 · 扫码进店"
        titleSize = c.title == nil ? 56 : 60
        for line in Self.wrap(title, width: 2 * (w - 120) / titleSize, maxLines: 2) {
            y += titleLines.isEmpty ? titleSize : titleSize * 4 / 3
            titleLines.append(Line(text: line, baseline: y))
        }
        y += 16
        if let p = c.price {
            y += 104
            price = Line(text: p.formatted, baseline: y)
            y += 16
        }
        if let t = c.text, !t.isEmpty {
            y += 12
            // A reason is quoted; the shop's own description (the storefront) is not.
            for line in Self.wrap(c.title == nil ? t : "“" + t + "”", width: 2 * (w - 2 * Self.margin) / 40, maxLines: 3) {
                y += 58
                textLines.append(Line(text: line, baseline: y))
            }
            y += 14
        }
        y += 40
        module = max(4, Self.qrTarget / (c.qr.size + 8))
        qrSide = module * (c.qr.size + 8)
        qrX = (w - qrSide) / 2
        qrY = y
        y += qrSide
        captionBaseline = y + 60
        height = captionBaseline + 56
    }

    /// Breaks text into lines of at most `width` display columns (a CJK character is 2, about
    /// one em), as even as they can be (no lone last character); the last line ends in "…" when
    /// text is left over.
    static func wrap(_ s: String, width: Int, maxLines: Int) -> [String] {
        let greedy = wrapGreedy(s, width: width, maxLines: maxLines)
        guard greedy.count > 1, !greedy[greedy.count - 1].hasSuffix("…") else { return greedy }
        // The narrowest width that still needs no more lines.
        var lo = 1
        var hi = width
        while lo < hi {
            let mid = (lo + hi) / 2
            let lines = wrapGreedy(s, width: mid, maxLines: maxLines)
            if lines.count <= greedy.count && !(lines.last?.hasSuffix("…") ?? false) { hi = mid } else { lo = mid + 1 }
        }
        // Of the widths from there, the narrowest that breaks only at spaces, if any does.
        for w in lo...width {
            let lines = wrapGreedy(s, width: w, maxLines: maxLines)
            if lines.count == greedy.count && lines.joined(separator: " ") == s { return lines }
        }
        return wrapGreedy(s, width: lo, maxLines: maxLines)
    }

    static func wrapGreedy(_ s: String, width: Int, maxLines: Int) -> [String] {
        var lines: [String] = []
        var current = ""
        var rest = Substring(s)
        while let ch = rest.first {
            rest = rest.dropFirst()
            if ch == "\n" || ch == "\r" { continue }
            if displayWidth(current + String(ch)) > width {
                // Break at the last space when it is in the line's second half (a word or a
                // spec such as "#06" stays whole), else between two characters.
                var carry = ""
                if ch != " ", let space = current.lastIndex(of: " "), displayWidth(String(current[..<space])) * 2 >= width {
                    carry = String(current[current.index(after: space)...])
                    current = String(current[..<space])
                }
                lines.append(current)
                current = carry
                if lines.count == maxLines {
                    lines[maxLines - 1] = truncate(
                        lines[maxLines - 1] + (carry.isEmpty ? "" : " " + carry) + String(ch) + String(rest), toWidth: width)
                    return lines
                }
                if ch == " " && current.isEmpty { continue }
            }
            current.append(ch)
        }
        if !current.isEmpty { lines.append(current) }
        return lines
    }
}

/// A shareable poster as SVG (a 1080-wide viewBox): shop, logo, product image, title, price,
/// reason, QR code. The PNG poster is this SVG rendered (`PosterRenderer`).
enum Poster {
    /// Text for XML character data and attributes: the five markup characters escaped, and
    /// characters XML 1.0 does not allow (controls other than tab and line feed) left out.
    static func escape(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for u in s.unicodeScalars {
            switch u {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            default:
                let v = u.value
                if v < 0x20 && v != 0x09 && v != 0x0A || v == 0xFFFE || v == 0xFFFF { continue }
                out.unicodeScalars.append(u)
            }
        }
        return out
    }

    static let font = "font-family=\"'Noto Sans CJK SC','Source Han Sans SC','PingFang SC','Microsoft YaHei',sans-serif\""

    static func svg(_ c: PosterContent) -> String {
        let l = PosterLayout(c)
        let w = PosterLayout.width
        let font = Self.font
        var body = [
            "<rect width=\"\(w)\" height=\"\(l.height)\" fill=\"#fff7f0\"/>",
            "<rect width=\"\(w)\" height=\"\(PosterLayout.headerHeight)\" fill=\"#ff5000\"/>",
        ]
        if let logo = c.logo, let at = l.logo {
            let r = at.side / 2
            body += [
                "<clipPath id=\"logo-clip\"><circle cx=\"\(at.x + r)\" cy=\"\(at.y + r)\" r=\"\(r)\"/></clipPath>",
                "<circle cx=\"\(at.x + r)\" cy=\"\(at.y + r)\" r=\"\(r + 4)\" fill=\"#fff\"/>",
                "<image id=\"logo\" x=\"\(at.x)\" y=\"\(at.y)\" width=\"\(at.side)\" height=\"\(at.side)\" preserveAspectRatio=\"xMidYMid slice\" clip-path=\"url(#logo-clip)\" xlink:href=\"\(PosterImages.dataURI(logo.bytes, logo.info))\"/>",
            ]
        }
        body.append(
            "<text id=\"shop-name\" x=\"\(l.shopName.x)\" y=\"\(l.shopName.baseline)\" text-anchor=\"\(l.shopName.anchor)\" font-size=\"\(l.shopName.size)\" font-weight=\"bold\" fill=\"#fff\" \(font)>\(escape(c.shopName))</text>"
        )
        if let at = l.image, let picture = c.image ?? c.logo {
            body += [
                "<clipPath id=\"image-clip\"><rect x=\"\(at.x)\" y=\"\(at.y)\" width=\"\(at.side)\" height=\"\(at.side)\" rx=\"28\"/></clipPath>",
                "<rect x=\"\(at.x)\" y=\"\(at.y)\" width=\"\(at.side)\" height=\"\(at.side)\" rx=\"28\" fill=\"#fff\"/>",
                "<image id=\"product-image\" x=\"\(at.x)\" y=\"\(at.y)\" width=\"\(at.side)\" height=\"\(at.side)\" preserveAspectRatio=\"xMidYMid meet\" clip-path=\"url(#image-clip)\" xlink:href=\"\(PosterImages.dataURI(picture.bytes, picture.info))\"/>",
            ]
        }
        for line in l.titleLines {
            body.append(
                "<text x=\"\(w / 2)\" y=\"\(line.baseline)\" text-anchor=\"middle\" font-size=\"\(l.titleSize)\" font-weight=\"bold\" fill=\"#222\" \(font)>\(escape(line.text))</text>"
            )
        }
        if let price = l.price {
            body.append(
                "<text x=\"\(w / 2)\" y=\"\(price.baseline)\" text-anchor=\"middle\" font-size=\"96\" font-weight=\"bold\" fill=\"#e4393c\" \(font)>\(escape(price.text))</text>"
            )
        }
        for line in l.textLines {
            body.append(
                "<text x=\"\(w / 2)\" y=\"\(line.baseline)\" text-anchor=\"middle\" font-size=\"40\" fill=\"#555\" \(font)>\(escape(line.text))</text>"
            )
        }
        // A light frame just outside the quiet zone; the quiet zone itself is the code's white square.
        body.append(
            "<rect x=\"\(l.qrX - 3)\" y=\"\(l.qrY - 3)\" width=\"\(l.qrSide + 6)\" height=\"\(l.qrSide + 6)\" rx=\"6\" fill=\"#f3d9c6\"/>")
        body.append(
            "<g id=\"qr\" data-module=\"\(l.module)\">"
                + c.qr.svgGroup(moduleSize: l.module, originX: l.qrX, originY: l.qrY, quietZone: 4) + "</g>")
        body.append(
            "<text id=\"caption\" x=\"\(w / 2)\" y=\"\(l.captionBaseline)\" text-anchor=\"middle\" font-size=\"\(PosterLayout.captionSize)\" fill=\"#888\" \(font)>长按识别二维码 · \(c.title == nil ? "进店逛逛" : "扫码购买")</text>"
        )
        return """
            <?xml version="1.0" encoding="UTF-8"?>
            <svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="\(w)" height="\(l.height)" viewBox="0 0 \(w) \(l.height)">
            \(body.joined(separator: "\n"))
            </svg>

            """
    }
}
