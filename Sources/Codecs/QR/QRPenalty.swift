// MARK: - Mask evaluation (ISO/IEC 18004 §7.8.3, Table 11)

/// The four penalty rules that pick the data mask; the mask with the lowest
/// total wins, the lower-numbered one on a tie.
extension QRMatrix {
    /// N1: a run of five same-coloured modules in a row or column costs 3,
    /// and each module beyond five 1 more.
    static let runWeight = 3
    /// N2: each 2×2 block of one colour (blocks may overlap).
    static let blockWeight = 3
    /// N3: each dark-light-dark-dark-dark-light-dark (1:1:3:1:1) pattern with
    /// four light modules before or after it, in a row or column.
    static let finderLikeWeight = 40
    /// N4: for each full 5 % step the share of dark modules is away from 50 %.
    static let balanceWeight = 10

    /// The total of the four rules.
    var penalty: Int {
        runPenalty + blockPenalty + finderLikePenalty + balancePenalty
    }

    // MARK: - Lines

    /// The modules column by column, so that every row and every column can be
    /// read as one contiguous run of `size` values.
    private var transposed: [Bool] {
        var columns = [Bool](repeating: false, count: size * size)
        for y in 0..<size {
            for x in 0..<size {
                columns[x * size + y] = dark[y * size + x]
            }
        }
        return columns
    }

    /// Adds `score(line)` over every row and every column.
    private func sumOverLines(_ score: (ArraySlice<Bool>) -> Int) -> Int {
        var total = 0
        for grid in [dark, transposed] {
            for start in stride(from: 0, to: grid.count, by: size) {
                total += score(grid[start..<start + size])
            }
        }
        return total
    }

    // MARK: - Rule 1: runs of one colour

    var runPenalty: Int {
        sumOverLines { line in
            var total = 0
            var runLength = 0
            var previous: Bool? = nil
            for module in line {
                if module == previous {
                    runLength += 1
                } else {
                    runLength = 1
                    previous = module
                }
                // Score a long run once: when it reaches five, then one per module.
                if runLength == 5 {
                    total += QRMatrix.runWeight
                } else if runLength > 5 {
                    total += 1
                }
            }
            return total
        }
    }

    // MARK: - Rule 2: 2×2 blocks of one colour

    var blockPenalty: Int {
        var total = 0
        for y in 0..<size - 1 {
            for x in 0..<size - 1 {
                let colour = self[x, y]
                if self[x + 1, y] == colour && self[x, y + 1] == colour && self[x + 1, y + 1] == colour {
                    total += QRMatrix.blockWeight
                }
            }
        }
        return total
    }

    // MARK: - Rule 3: patterns that look like a finder

    /// The last 11 modules seen, oldest in the highest bit, dark as 1:
    /// four light modules then 1011101, or 1011101 then four light modules.
    private static let lightThenFinderLike = 0b0000_1011101
    private static let finderLikeThenLight = 0b1011101_0000

    /// Counts every occurrence of either 11-module pattern. Modules beyond the
    /// edge count as light, because the quiet zone that surrounds the symbol is.
    var finderLikePenalty: Int {
        sumOverLines { line in
            var total = 0
            // Starting from all light stands for the quiet zone before the line;
            // four light modules after it stand for the quiet zone behind it.
            var window = 0
            for module in line + [false, false, false, false] {
                window = (window << 1 | (module ? 1 : 0)) & 0x7ff
                if window == QRMatrix.lightThenFinderLike || window == QRMatrix.finderLikeThenLight {
                    total += QRMatrix.finderLikeWeight
                }
            }
            return total
        }
    }

    // MARK: - Rule 4: balance of dark and light

    /// k full 5 % steps away from half dark cost 10 · k; in integers,
    /// k = ⌊|20 · dark − 10 · total| / total⌋.
    var balancePenalty: Int {
        let total = size * size
        let darkCount = dark.filter { $0 }.count
        let steps = abs(20 * darkCount - 10 * total) / total
        return QRMatrix.balanceWeight * steps
    }
}
