/// SHA-256 as specified in FIPS 180-4, written in plain Swift.
///
///     let digest = SHA256.hash(Array("abc".utf8))   // 32 bytes, ba7816bf…
///
///     var hasher = SHA256()
///     hasher.update(Array("ab".utf8))
///     hasher.update(Array("c".utf8))
///     let same = hasher.finalize()                    // == digest
///
/// `finalize()` does not change the hasher, so a prefix can be hashed once and
/// finished several times with different tails.
public struct SHA256: Sendable {
    /// Length of a digest in bytes.
    public static let digestByteCount = 32
    /// Length of one message block in bytes (also HMAC's block size).
    public static let blockByteCount = 64

    private var state: [UInt32] = SHA256.initialHashValue
    /// Bytes not yet compressed; always fewer than `blockByteCount`.
    private var pending: [UInt8] = []
    /// Total message length so far, in bytes.
    private var byteCount: UInt64 = 0

    public init() {}

    // MARK: - One-shot

    /// The SHA-256 digest of `data`.
    public static func hash(_ data: [UInt8]) -> [UInt8] {
        var hasher = SHA256()
        hasher.update(data)
        return hasher.finalize()
    }

    // MARK: - Incremental

    /// Appends `data` to the message.
    public mutating func update(_ data: [UInt8]) {
        byteCount &+= UInt64(data.count)
        var offset = 0
        if !pending.isEmpty {
            let take = min(SHA256.blockByteCount - pending.count, data.count)
            pending.append(contentsOf: data[0..<take])
            offset = take
            guard pending.count == SHA256.blockByteCount else { return }
            compress(pending, from: 0)
            pending.removeAll(keepingCapacity: true)
        }
        while data.count - offset >= SHA256.blockByteCount {
            compress(data, from: offset)
            offset += SHA256.blockByteCount
        }
        pending.append(contentsOf: data[offset...])
    }

    /// Appends the UTF-8 bytes of `text` to the message.
    public mutating func update(_ text: String) {
        update(Array(text.utf8))
    }

    /// The digest of everything passed to `update` so far (FIPS 180-4 §5.1.1 padding).
    public func finalize() -> [UInt8] {
        var copy = self
        let bitLength = byteCount &* 8
        // One 1 bit, zeros up to 8 bytes short of a block boundary, then the
        // message length in bits as a big-endian 64-bit integer.
        var tail: [UInt8] = [0x80]
        let zeros = (2 * SHA256.blockByteCount - pending.count - 1 - 8) % SHA256.blockByteCount
        tail.append(contentsOf: repeatElement(0, count: zeros))
        for shift in stride(from: 56, through: 0, by: -8) {
            tail.append(UInt8(truncatingIfNeeded: bitLength >> UInt64(shift)))
        }
        copy.update(tail)
        precondition(copy.pending.isEmpty, "SHA-256 padding must end on a block boundary")
        var digest: [UInt8] = []
        digest.reserveCapacity(SHA256.digestByteCount)
        for word in copy.state {
            digest.append(UInt8(truncatingIfNeeded: word >> 24))
            digest.append(UInt8(truncatingIfNeeded: word >> 16))
            digest.append(UInt8(truncatingIfNeeded: word >> 8))
            digest.append(UInt8(truncatingIfNeeded: word))
        }
        return digest
    }

    // MARK: - Compression function (FIPS 180-4 §6.2.2)

    private mutating func compress(_ bytes: [UInt8], from start: Int) {
        var w = [UInt32](repeating: 0, count: 64)
        for t in 0..<16 {
            let i = start + 4 * t
            w[t] =
                UInt32(bytes[i]) << 24 | UInt32(bytes[i + 1]) << 16
                | UInt32(bytes[i + 2]) << 8 | UInt32(bytes[i + 3])
        }
        for t in 16..<64 {
            let s0 = rotr(w[t - 15], 7) ^ rotr(w[t - 15], 18) ^ (w[t - 15] >> 3)
            let s1 = rotr(w[t - 2], 17) ^ rotr(w[t - 2], 19) ^ (w[t - 2] >> 10)
            w[t] = w[t - 16] &+ s0 &+ w[t - 7] &+ s1
        }

        var a = state[0], b = state[1], c = state[2], d = state[3]
        var e = state[4], f = state[5], g = state[6], h = state[7]
        for t in 0..<64 {
            let bigSigma1 = rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)
            let choose = (e & f) ^ (~e & g)
            let t1 = h &+ bigSigma1 &+ choose &+ SHA256.roundConstants[t] &+ w[t]
            let bigSigma0 = rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)
            let majority = (a & b) ^ (a & c) ^ (b & c)
            let t2 = bigSigma0 &+ majority
            h = g
            g = f
            f = e
            e = d &+ t1
            d = c
            c = b
            b = a
            a = t1 &+ t2
        }
        state[0] = state[0] &+ a
        state[1] = state[1] &+ b
        state[2] = state[2] &+ c
        state[3] = state[3] &+ d
        state[4] = state[4] &+ e
        state[5] = state[5] &+ f
        state[6] = state[6] &+ g
        state[7] = state[7] &+ h
    }

    @inline(__always)
    private func rotr(_ x: UInt32, _ n: UInt32) -> UInt32 {
        (x >> n) | (x << (32 - n))
    }

    // MARK: - Constants (FIPS 180-4 §4.2.2 and §5.3.3)

    /// First 32 bits of the fractional parts of the square roots of the first 8 primes.
    static let initialHashValue: [UInt32] = [
        0x6a09_e667, 0xbb67_ae85, 0x3c6e_f372, 0xa54f_f53a,
        0x510e_527f, 0x9b05_688c, 0x1f83_d9ab, 0x5be0_cd19,
    ]

    /// First 32 bits of the fractional parts of the cube roots of the first 64 primes.
    static let roundConstants: [UInt32] = [
        0x428a_2f98, 0x7137_4491, 0xb5c0_fbcf, 0xe9b5_dba5, 0x3956_c25b, 0x59f1_11f1, 0x923f_82a4, 0xab1c_5ed5,
        0xd807_aa98, 0x1283_5b01, 0x2431_85be, 0x550c_7dc3, 0x72be_5d74, 0x80de_b1fe, 0x9bdc_06a7, 0xc19b_f174,
        0xe49b_69c1, 0xefbe_4786, 0x0fc1_9dc6, 0x240c_a1cc, 0x2de9_2c6f, 0x4a74_84aa, 0x5cb0_a9dc, 0x76f9_88da,
        0x983e_5152, 0xa831_c66d, 0xb003_27c8, 0xbf59_7fc7, 0xc6e0_0bf3, 0xd5a7_9147, 0x06ca_6351, 0x1429_2967,
        0x27b7_0a85, 0x2e1b_2138, 0x4d2c_6dfc, 0x5338_0d13, 0x650a_7354, 0x766a_0abb, 0x81c2_c92e, 0x9272_2c85,
        0xa2bf_e8a1, 0xa81a_664b, 0xc24b_8b70, 0xc76c_51a3, 0xd192_e819, 0xd699_0624, 0xf40e_3585, 0x106a_a070,
        0x19a4_c116, 0x1e37_6c08, 0x2748_774c, 0x34b0_bcb5, 0x391c_0cb3, 0x4ed8_aa4a, 0x5b9c_ca4f, 0x682e_6ff3,
        0x748f_82ee, 0x78a5_636f, 0x84c8_7814, 0x8cc7_0208, 0x90be_fffa, 0xa450_6ceb, 0xbef9_a3f7, 0xc671_78f2,
    ]
}
