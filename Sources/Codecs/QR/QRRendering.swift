// MARK: - Terminal

extension QRCode {
    /// The symbol as text, two module rows per line, drawn with the half blocks
    /// `▀`, `▄`, `█` and spaces, framed by a quiet zone of `quietZone` modules.
    ///
    ///     for line in code.terminalLines(invert: darkTerminal) { print(line) }
    ///
    /// The glyphs are painted in the terminal's text colour on its background.
    /// - `invert: false` paints the dark modules: right for dark text on a light
    ///   background, where dark modules come out dark.
    /// - `invert: true` paints the light modules and the quiet zone instead:
    ///   right for light text on a dark background, where painting the dark
    ///   modules would show a negative image that many scanners refuse.
    ///
    /// Every line has the same number of characters (`size + 2 * quietZone`).
    /// When the row count is odd, the lower half of the last line is left blank.
    public func terminalLines(quietZone: Int = 2, invert: Bool = false) -> [String] {
        precondition(quietZone >= 0, "the quiet zone cannot be negative")
        let range = -quietZone..<(size + quietZone)
        func painted(_ x: Int, _ y: Int) -> Bool {
            guard range.contains(y) else { return false }
            return isDark(x: x, y: y) != invert
        }
        return stride(from: range.lowerBound, to: range.upperBound, by: 2).map { top in
            var line = ""
            for x in range {
                switch (painted(x, top), painted(x, top + 1)) {
                case (true, true): line += "█"
                case (true, false): line += "▀"
                case (false, true): line += "▄"
                case (false, false): line += " "
                }
            }
            return line
        }
    }
}

// MARK: - SVG

extension QRCode {
    /// One SVG `<path>` covering the dark modules, each horizontal run of dark
    /// modules one rectangle, with the symbol's top-left corner at
    /// (`originX`, `originY`). The quiet zone is not drawn: keep
    /// `4 * moduleSize` of light background around it, or use `svgGroup`.
    ///
    ///     code.svgPath(moduleSize: 4, originX: 40, originY: 300)
    ///     // <path d="M40,300h28v4h-28z…" fill="#000" shape-rendering="crispEdges"/>
    ///
    /// `color` must be a hex colour such as `#000` or `#1a1a1a`.
    public func svgPath(moduleSize: Int = 1, originX: Int = 0, originY: Int = 0, color: String = "#000") -> String {
        precondition(moduleSize > 0, "a module needs a positive size")
        precondition(QRCode.isHexColour(color), "colour must look like #000 or #1a1a1a")
        var d = ""
        for y in 0..<size {
            var x = 0
            while x < size {
                guard isDark(x: x, y: y) else {
                    x += 1
                    continue
                }
                let start = x
                while x < size && isDark(x: x, y: y) { x += 1 }
                let left = originX + start * moduleSize
                let top = originY + y * moduleSize
                let width = (x - start) * moduleSize
                d += "M\(left),\(top)h\(width)v\(moduleSize)h-\(width)z"
            }
        }
        return "<path d=\"\(d)\" fill=\"\(color)\" shape-rendering=\"crispEdges\"/>"
    }

    /// A `<g>` with a light square for the symbol and its quiet zone, and the
    /// dark modules on it. (`originX`, `originY`) is the outer top-left corner;
    /// the group is `(size + 2 * quietZone) * moduleSize` wide and high.
    ///
    ///     poster += code.svgGroup(moduleSize: 4, originX: 40, originY: 300)
    public func svgGroup(
        moduleSize: Int, originX: Int = 0, originY: Int = 0, quietZone: Int = 4,
        color: String = "#000", background: String = "#fff"
    ) -> String {
        precondition(quietZone >= 0, "the quiet zone cannot be negative")
        precondition(QRCode.isHexColour(background), "background must look like #fff or #ffffff")
        let side = (size + 2 * quietZone) * moduleSize
        let inset = quietZone * moduleSize
        return "<g>"
            + "<rect x=\"\(originX)\" y=\"\(originY)\" width=\"\(side)\" height=\"\(side)\" fill=\"\(background)\"/>"
            + svgPath(moduleSize: moduleSize, originX: originX + inset, originY: originY + inset, color: color)
            + "</g>"
    }

    /// A standalone SVG file of the symbol with its quiet zone.
    public func svgDocument(moduleSize: Int = 8, quietZone: Int = 4) -> String {
        let side = (size + 2 * quietZone) * moduleSize
        return "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(side)\" height=\"\(side)\""
            + " viewBox=\"0 0 \(side) \(side)\">"
            + svgGroup(moduleSize: moduleSize, quietZone: quietZone)
            + "</svg>\n"
    }

    static func isHexColour(_ text: String) -> Bool {
        let digits = text.utf8.dropFirst()
        return text.utf8.first == UInt8(ascii: "#") && (digits.count == 3 || digits.count == 6)
            && digits.allSatisfy { ($0 >= 48 && $0 <= 57) || ($0 >= 65 && $0 <= 70) || ($0 >= 97 && $0 <= 102) }
    }
}

// MARK: - PNG

extension QRCode {
    /// A complete 1-bit grayscale PNG: each module `scale` × `scale` pixels,
    /// black on white, inside a white quiet zone of `quietZone` modules (the
    /// standard asks for 4).
    ///
    ///     try Data(code.pngData(scale: 8)).write(to: URL(fileURLWithPath: "share.png"))
    public func pngData(scale: Int = 8, quietZone: Int = 4) -> [UInt8] {
        precondition(scale > 0, "scale must be positive")
        precondition(quietZone >= 0, "the quiet zone cannot be negative")
        let modulesPerSide = size + 2 * quietZone
        let side = modulesPerSide * scale
        var samples = [UInt8](repeating: 1, count: side * side)
        for y in 0..<size {
            for x in 0..<size where isDark(x: x, y: y) {
                let left = (x + quietZone) * scale
                let top = (y + quietZone) * scale
                for row in top..<top + scale {
                    for column in left..<left + scale {
                        samples[row * side + column] = 0
                    }
                }
            }
        }
        return PNG.grayscale(width: side, height: side, bitDepth: 1, samples: samples)
    }
}
