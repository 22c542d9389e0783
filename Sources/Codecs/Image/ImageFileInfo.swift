/// What a PNG or JPEG file is, read from its first bytes (magic bytes and the header that
/// holds its size); general-purpose, no I/O.
///
///     ImageFileInfo.sniff(bytes)   // ImageFileInfo(kind: .png, width: 640, height: 640)
///     ImageFileInfo.check(bytes)   // nil, or why the bytes are not an image shopctl embeds
public struct ImageFileInfo: Sendable, Equatable {
    public enum Kind: String, Sendable {
        case png, jpeg
        public var mimeType: String { self == .png ? "image/png" : "image/jpeg" }
    }

    public var kind: Kind
    public var width: Int
    public var height: Int

    public init(kind: Kind, width: Int, height: Int) {
        self.kind = kind
        self.width = width
        self.height = height
    }

    /// The largest file embedded (4 MiB) and the largest side (4096 px): a poster shows an
    /// image at most 1080 px wide, and the renderer decodes it whole.
    public static let maxBytes = 4 << 20
    public static let maxSide = 4096

    /// The kind and size, or nil when the bytes start like neither a PNG nor a JPEG with a
    /// readable size.
    public static func sniff(_ b: [UInt8]) -> ImageFileInfo? {
        if b.count >= 24, Array(b[0..<8]) == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A], Array(b[12..<16]) == Array("IHDR".utf8) {
            return ImageFileInfo(kind: .png, width: Int(be32(b, 16)), height: Int(be32(b, 20)))
        }
        guard b.count >= 4, b[0] == 0xFF, b[1] == 0xD8, b[2] == 0xFF else { return nil }
        // JPEG: walk the marker segments up to the first start-of-frame, which holds the size.
        var i = 2
        while i + 4 <= b.count {
            guard b[i] == 0xFF else { return nil }
            let marker = b[i + 1]
            if marker == 0xFF {
                i += 1
                continue
            }
            if marker == 0xD8 || marker == 0x01 || (0xD0...0xD7).contains(marker) {
                i += 2
                continue
            }
            let length = Int(b[i + 2]) << 8 | Int(b[i + 3])
            guard length >= 2 else { return nil }
            let isFrame = (0xC0...0xCF).contains(marker) && marker != 0xC4 && marker != 0xC8 && marker != 0xCC
            if isFrame {
                guard i + 9 <= b.count else { return nil }
                let height = Int(b[i + 5]) << 8 | Int(b[i + 6])
                let width = Int(b[i + 7]) << 8 | Int(b[i + 8])
                return ImageFileInfo(kind: .jpeg, width: width, height: height)
            }
            if marker == 0xD9 || marker == 0xDA { return nil }
            i += 2 + length
        }
        return nil
    }

    /// Why `bytes` cannot be embedded (not a PNG or JPEG, too large, an empty or huge picture),
    /// or nil when they can.
    public static func problem(_ bytes: [UInt8]) -> Message? {
        if bytes.count > maxBytes { return tooLarge(bytes.count) }
        guard let info = sniff(bytes) else {
            return Message(en: "is not a PNG or JPEG image", zh: "不是 PNG 或 JPEG 图片")
        }
        guard (1...maxSide).contains(info.width), (1...maxSide).contains(info.height) else {
            return Message(
                en: "is \(info.width)×\(info.height) px; each side must be 1 to \(maxSide) px",
                zh: "尺寸为 \(info.width)×\(info.height) 像素，每边须为 1 至 \(maxSide) 像素")
        }
        return nil
    }

    /// The problem of a file of `size` bytes, over `maxBytes`.
    public static func tooLarge(_ size: Int) -> Message {
        Message(en: "is larger than \(maxBytes >> 20) MiB (\(size) bytes)", zh: "超过 \(maxBytes >> 20) MiB（\(size) 字节）")
    }

    private static func be32(_ b: [UInt8], _ i: Int) -> UInt32 {
        UInt32(b[i]) << 24 | UInt32(b[i + 1]) << 16 | UInt32(b[i + 2]) << 8 | UInt32(b[i + 3])
    }
}
