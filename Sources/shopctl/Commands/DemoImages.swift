import Codecs
import ShopKit

/// The demo's pictures, drawn with `PaletteImage`: the shop's logo, and a product picture per
/// category for the built-in catalog (the example catalog has its own, from
/// scripts/gen_catalog.py --images).
enum DemoImages {
    static let side = 192

    /// The logo: a white shopping bag on an orange disc.
    static func logo() -> [UInt8] {
        let side = 256
        var img = PaletteImage(
            width: side, height: side, palette: [(0xFF, 0xF7, 0xF0), (0xFF, 0x50, 0x00), (0xFF, 0xFF, 0xFF), (0xFF, 0xB3, 0x80)])
        let c = side / 2
        img.fillCircle(cx: c, cy: c, r: side / 2 - 2, colour: 1)
        img.fillRoundedRect(x: 70, y: 96, w: 116, h: 100, r: 13, colour: 2)
        img.fillCircle(cx: c, cy: 96, r: 32, colour: 2)
        img.fillCircle(cx: c, cy: 96, r: 20, colour: 1)
        img.fillRect(x: 70, y: 96, w: 116, h: 11, colour: 2)
        img.fillCircle(cx: c, cy: 146, r: 16, colour: 3)
        return img.png()
    }

    /// The built-in catalog's picture file for each category (relative to its feed).
    static let files: [(category: String, file: String)] = [
        ("食品保健", "images/food.png"), ("美妆个护", "images/beauty.png"), ("母婴玩具", "images/baby.png"),
        ("家居电器", "images/home.png"), ("服饰运动", "images/sports.png"),
    ]

    /// A product picture of a category: a coloured tile with a simple shape.
    static func product(_ category: String) -> [UInt8] {
        let palettes: [String: [(UInt8, UInt8, UInt8)]] = [
            "食品保健": [(0xE3, 0xF2, 0xD9), (0xB9, 0xDB, 0xA5), (0xFF, 0xFF, 0xFF), (0x3C, 0x8D, 0x2F)],
            "美妆个护": [(0xFC, 0xE4, 0xEC), (0xF5, 0xB8, 0xCB), (0xFF, 0xFF, 0xFF), (0xD8, 0x4C, 0x7A)],
            "母婴玩具": [(0xFF, 0xF4, 0xCC), (0xFF, 0xE0, 0x8A), (0xFF, 0xFF, 0xFF), (0xF5, 0xA6, 0x23)],
            "家居电器": [(0xE1, 0xEE, 0xFB), (0xB3, 0xD1, 0xF2), (0xFF, 0xFF, 0xFF), (0x1E, 0x6F, 0xC8)],
            "服饰运动": [(0xFF, 0xE8, 0xD9), (0xFF, 0xC4, 0x9E), (0xFF, 0xFF, 0xFF), (0xF2, 0x6B, 0x1D)],
        ]
        var img = PaletteImage(width: side, height: side, palette: palettes[category] ?? palettes["家居电器"]!)
        let c = side / 2
        img.fillCircle(cx: c, cy: c, r: side * 2 / 5, colour: 1)
        switch category {
        case "食品保健":
            img.fillRoundedRect(x: 58, y: 66, w: 76, h: 82, r: 14, colour: 3)
            img.fillRoundedRect(x: 52, y: 52, w: 88, h: 20, r: 8, colour: 3)
            img.fillRoundedRect(x: 74, y: 90, w: 44, h: 34, r: 6, colour: 2)
        case "美妆个护":
            img.fillRoundedRect(x: 56, y: 64, w: 46, h: 90, r: 12, colour: 3)
            img.fillRoundedRect(x: 68, y: 42, w: 22, h: 26, r: 5, colour: 3)
            img.fillRoundedRect(x: 110, y: 108, w: 42, h: 46, r: 9, colour: 2)
        case "母婴玩具":
            img.fillCircle(cx: 80, cy: 106, r: 42, colour: 3)
            img.fillRect(x: 38, y: 102, w: 84, h: 8, colour: 2)
            img.fillRoundedRect(x: 116, y: 64, w: 42, h: 42, r: 7, colour: 2)
        case "服饰运动":
            img.fillTriangle(cx: c, top: 42, bottom: 124, w: 98, colour: 3)
            img.fillRoundedRect(x: 44, y: 132, w: 104, h: 18, r: 8, colour: 3)
        default:
            img.fillRoundedRect(x: 55, y: 45, w: 82, h: 106, r: 10, colour: 2)
            img.fillCircle(cx: c, cy: 108, r: 30, colour: 3)
            img.fillCircle(cx: c, cy: 108, r: 19, colour: 2)
        }
        return img.png()
    }
}
