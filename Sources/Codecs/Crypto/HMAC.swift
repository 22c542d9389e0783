/// HMAC with SHA-256 (RFC 2104, test vectors in RFC 4231).
///
///     let tag = HMACSHA256.mac(key: secret, message: Array(payload.utf8))   // 32 bytes
///     let ok = HMACSHA256.verify(tag: received, key: secret, message: Array(payload.utf8))
///
/// A caller that keeps only part of the tag (as RFC 4231 case 5 does) compares
/// with `constantTimeEquals(Array(tag.prefix(16)), received)`.
public enum HMACSHA256: Sendable {
    /// Length of a full tag in bytes.
    public static let macByteCount = SHA256.digestByteCount

    // MARK: - Computing a tag

    /// HMAC-SHA-256 of `message` under `key`. Keys longer than the 64-byte block
    /// are hashed first, shorter ones are padded with zeros (RFC 2104 §2).
    public static func mac(key: [UInt8], message: [UInt8]) -> [UInt8] {
        var blockKey = key.count > SHA256.blockByteCount ? SHA256.hash(key) : key
        blockKey.append(contentsOf: repeatElement(0, count: SHA256.blockByteCount - blockKey.count))

        var inner = SHA256()
        inner.update(blockKey.map { $0 ^ 0x36 })
        inner.update(message)

        var outer = SHA256()
        outer.update(blockKey.map { $0 ^ 0x5c })
        outer.update(inner.finalize())
        return outer.finalize()
    }

    // MARK: - Checking a tag

    /// Whether `tag` is the full HMAC-SHA-256 of `message` under `key`,
    /// compared in constant time.
    public static func verify(tag: [UInt8], key: [UInt8], message: [UInt8]) -> Bool {
        constantTimeEquals(mac(key: key, message: message), tag)
    }
}

// MARK: - Constant-time comparison

/// Compares two byte arrays without an early exit on their content, so the time
/// taken does not tell an attacker how many leading bytes matched.
///
///     constantTimeEquals(expectedTag, receivedTag)   // true only if identical
///
/// Arrays of different lengths are unequal at once: the length is not secret.
public func constantTimeEquals(_ a: [UInt8], _ b: [UInt8]) -> Bool {
    guard a.count == b.count else { return false }
    var difference: UInt8 = 0
    for index in 0..<a.count {
        difference |= a[index] ^ b[index]
    }
    return difference == 0
}
