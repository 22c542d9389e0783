/// A small colour picture of up to 16 colours, drawn with filled shapes and written as a PNG
/// with a palette (colour type 3, 4 bits per pixel) through `PNG.chunk` and `Zlib.stored`;
/// general-purpose (the demo's product images and logo are drawn with it).
///
///     var img = PaletteImage(width: 64, height: 64, palette: [(255, 255, 255), (255, 80, 0)])
///     img.fillCircle(cx: 32, cy: 32, r: 20, colour: 1)
///     let bytes = img.png()
public struct PaletteImage: Sendable {
    public let width: Int
    public let height: Int
    public let palette: [(UInt8, UInt8, UInt8)]
    /// One palette index per pixel, row by row from the top left; all start at 0.
    public private(set) var pixels: [UInt8]

    public init(width: Int, height: Int, palette: [(UInt8, UInt8, UInt8)]) {
        precondition(width > 0 && height > 0, "a picture needs at least one pixel")
        precondition((1...16).contains(palette.count), "1 to 16 colours")
        self.width = width
        self.height = height
        self.palette = palette
        pixels = Array(repeating: 0, count: width * height)
    }

    public mutating func set(_ x: Int, _ y: Int, _ colour: UInt8) {
        guard x >= 0, y >= 0, x < width, y < height else { return }
        pixels[y * width + x] = colour
    }

    public mutating func fillRect(x: Int, y: Int, w: Int, h: Int, colour: UInt8) {
        for yy in y..<y + h { for xx in x..<x + w { set(xx, yy, colour) } }
    }

    public mutating func fillCircle(cx: Int, cy: Int, r: Int, colour: UInt8) {
        for yy in cy - r...cy + r {
            for xx in cx - r...cx + r where (xx - cx) * (xx - cx) + (yy - cy) * (yy - cy) <= r * r { set(xx, yy, colour) }
        }
    }

    /// A rectangle with corners rounded by `r`.
    public mutating func fillRoundedRect(x: Int, y: Int, w: Int, h: Int, r: Int, colour: UInt8) {
        fillRect(x: x + r, y: y, w: w - 2 * r, h: h, colour: colour)
        fillRect(x: x, y: y + r, w: w, h: h - 2 * r, colour: colour)
        for (cx, cy) in [(x + r, y + r), (x + w - r - 1, y + r), (x + r, y + h - r - 1), (x + w - r - 1, y + h - r - 1)] {
            fillCircle(cx: cx, cy: cy, r: r, colour: colour)
        }
    }

    /// A triangle pointing up: apex at (`cx`, `top`), base `w` wide at `bottom`.
    public mutating func fillTriangle(cx: Int, top: Int, bottom: Int, w: Int, colour: UInt8) {
        guard bottom > top else { return }
        for yy in top...bottom {
            let half = (yy - top) * w / (2 * (bottom - top))
            fillRect(x: cx - half, y: yy, w: 2 * half + 1, h: 1, colour: colour)
        }
    }

    /// The picture as a complete PNG file.
    public func png() -> [UInt8] {
        var header: [UInt8] = []
        for v in [UInt32(width), UInt32(height)] {
            header += [
                UInt8(truncatingIfNeeded: v >> 24), UInt8(truncatingIfNeeded: v >> 16), UInt8(truncatingIfNeeded: v >> 8),
                UInt8(truncatingIfNeeded: v),
            ]
        }
        header += [4, 3, 0, 0, 0]  // 4 bits per pixel, colour type 3 (palette), deflate, filter 0, no interlace
        var plte: [UInt8] = []
        for (r, g, b) in palette { plte += [r, g, b] }
        var scanlines: [UInt8] = []
        scanlines.reserveCapacity(height * (1 + (width + 1) / 2))
        for y in 0..<height {
            scanlines.append(0)
            var x = 0
            while x < width {
                let hi = pixels[y * width + x]
                let lo = x + 1 < width ? pixels[y * width + x + 1] : 0
                scanlines.append(hi << 4 | lo)
                x += 2
            }
        }
        var file = PNG.signature
        file += PNG.chunk(type: "IHDR", data: header)
        file += PNG.chunk(type: "PLTE", data: plte)
        file += PNG.chunk(type: "IDAT", data: Zlib.stored(scanlines))
        file += PNG.chunk(type: "IEND", data: [])
        return file
    }
}
