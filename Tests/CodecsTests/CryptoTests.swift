import XCTest

@testable import Codecs

final class CryptoTests: XCTestCase {
    // MARK: - Helpers

    private func hex(_ bytes: [UInt8]) -> String {
        bytes.map { String($0, radix: 16).count == 1 ? "0" + String($0, radix: 16) : String($0, radix: 16) }
            .joined()
    }

    private func bytes(hex text: String) -> [UInt8] {
        let digits = Array(text.utf8)
        return stride(from: 0, to: digits.count, by: 2).map {
            UInt8(String(decoding: digits[$0..<$0 + 2], as: UTF8.self), radix: 16)!
        }
    }

    private func utf8(_ text: String) -> [UInt8] { Array(text.utf8) }

    /// Deterministic pseudo-random bytes (a linear congruential generator).
    private func sampleBytes(_ count: Int, seed: UInt32 = 1) -> [UInt8] {
        var state = seed
        return (0..<count).map { _ in
            state = state &* 1_103_515_245 &+ 12_345
            return UInt8(truncatingIfNeeded: state >> 16)
        }
    }

    // MARK: - SHA-256: FIPS 180-4 examples

    func testSHA256OfABC() {
        XCTAssertEqual(
            hex(SHA256.hash(utf8("abc"))),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }

    func testSHA256OfTwoBlockMessage() {
        XCTAssertEqual(
            hex(SHA256.hash(utf8("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"))),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
    }

    func testSHA256OfEmptyMessage() {
        XCTAssertEqual(
            hex(SHA256.hash([])),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    }

    func testSHA256OfOneMillionA() {
        let expected = "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"
        XCTAssertEqual(hex(SHA256.hash([UInt8](repeating: 0x61, count: 1_000_000))), expected)

        var hasher = SHA256()
        let thousand = [UInt8](repeating: 0x61, count: 1000)
        for _ in 0..<1000 { hasher.update(thousand) }
        XCTAssertEqual(hex(hasher.finalize()), expected)
    }

    // MARK: - SHA-256: padding boundaries and incremental use

    func testSHA256AroundPaddingBoundaries() {
        let expected = [
            55: "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318",
            56: "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a",
            63: "7d3e74a05d7db15bce4ad9ec0658ea98e3f06eeecf16b4c6fff2da457ddc2f34",
            64: "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb",
            65: "635361c48bb9eab14198e76ea8ab7f1a41685d6ad62aa9146d301d4f17eb0ae0",
            119: "31eba51c313a5c08226adf18d4a359cfdfd8d2e816b13f4af952f7ea6584dcfb",
            120: "2f3d335432c70b580af0e8e1b3674a7c020d683aa5f73aaaedfdc55af904c21c",
        ]
        for (length, digest) in expected {
            XCTAssertEqual(hex(SHA256.hash([UInt8](repeating: 0x61, count: length))), digest, "length \(length)")
        }
    }

    func testSHA256IncrementalMatchesOneShotAtEverySplit() {
        let message = sampleBytes(200)
        let oneShot = SHA256.hash(message)
        for split in 0...message.count {
            var hasher = SHA256()
            hasher.update(Array(message[..<split]))
            hasher.update(Array(message[split...]))
            XCTAssertEqual(hasher.finalize(), oneShot, "split at \(split)")
        }
    }

    func testSHA256IncrementalWithOddChunkSizes() {
        let message = sampleBytes(1000, seed: 7)
        for chunk in [1, 3, 63, 64, 65, 127] {
            var hasher = SHA256()
            var start = 0
            while start < message.count {
                let end = min(start + chunk, message.count)
                hasher.update(Array(message[start..<end]))
                start = end
            }
            XCTAssertEqual(hasher.finalize(), SHA256.hash(message), "chunks of \(chunk)")
        }
    }

    func testSHA256FinalizeLeavesHasherUsable() {
        var hasher = SHA256()
        hasher.update("ab")
        XCTAssertEqual(hasher.finalize(), SHA256.hash(utf8("ab")))
        XCTAssertEqual(hasher.finalize(), SHA256.hash(utf8("ab")))
        hasher.update("c")
        XCTAssertEqual(hex(hasher.finalize()), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }

    /// The constants are the first 32 bits of the fractional parts of square
    /// roots (initial hash) and cube roots (round constants) of the first primes.
    func testSHA256ConstantsFollowTheirDefinition() throws {
        guard #available(macOS 15, *) else { throw XCTSkip("UInt128 needs macOS 15") }
        let primes = (2...311).filter { n in (2..<n).allSatisfy { n % $0 != 0 } }
        XCTAssertEqual(primes.count, 64)

        /// ⌊(p · 2^(32·k))^(1/k)⌋ mod 2^32, by binary search.
        func fractionBits(_ p: Int, root k: Int) -> UInt32 {
            let target = UInt128(p) << (32 * k)
            var low: UInt128 = 0
            var high: UInt128 = 1 << 40
            while low < high {
                let mid = (low + high + 1) / 2
                var power: UInt128 = 1
                for _ in 0..<k { power *= mid }
                if power <= target { low = mid } else { high = mid - 1 }
            }
            return UInt32(truncatingIfNeeded: low)
        }
        XCTAssertEqual(SHA256.initialHashValue, primes.prefix(8).map { fractionBits($0, root: 2) })
        XCTAssertEqual(SHA256.roundConstants, primes.map { fractionBits($0, root: 3) })
    }

    // MARK: - HMAC-SHA-256: RFC 4231

    func testHMACRFC4231Case1() {
        XCTAssertEqual(
            hex(HMACSHA256.mac(key: [UInt8](repeating: 0x0b, count: 20), message: utf8("Hi There"))),
            "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7")
    }

    func testHMACRFC4231Case2() {
        XCTAssertEqual(
            hex(HMACSHA256.mac(key: utf8("Jefe"), message: utf8("what do ya want for nothing?"))),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
    }

    func testHMACRFC4231Case3() {
        let key = [UInt8](repeating: 0xaa, count: 20)
        let message = [UInt8](repeating: 0xdd, count: 50)
        XCTAssertEqual(
            hex(HMACSHA256.mac(key: key, message: message)),
            "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe")
    }

    func testHMACRFC4231Case4() {
        let key = bytes(hex: "0102030405060708090a0b0c0d0e0f10111213141516171819")
        let message = [UInt8](repeating: 0xcd, count: 50)
        XCTAssertEqual(
            hex(HMACSHA256.mac(key: key, message: message)),
            "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b")
    }

    func testHMACRFC4231Case5TruncatedTo128Bits() {
        let key = [UInt8](repeating: 0x0c, count: 20)
        let tag = HMACSHA256.mac(key: key, message: utf8("Test With Truncation"))
        let truncated = Array(tag.prefix(16))
        XCTAssertEqual(hex(truncated), "a3b6167473100ee06e0c796c2955552b")
        XCTAssertTrue(constantTimeEquals(truncated, bytes(hex: "a3b6167473100ee06e0c796c2955552b")))
    }

    func testHMACRFC4231Case6KeyLargerThanBlock() {
        let key = [UInt8](repeating: 0xaa, count: 131)
        let message = utf8("Test Using Larger Than Block-Size Key - Hash Key First")
        XCTAssertEqual(
            hex(HMACSHA256.mac(key: key, message: message)),
            "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54")
    }

    func testHMACRFC4231Case7KeyAndDataLargerThanBlock() {
        let key = [UInt8](repeating: 0xaa, count: 131)
        let message = utf8(
            "This is a test using a larger than block-size key and a larger than block-size data."
                + " The key needs to be hashed before being used by the HMAC algorithm.")
        XCTAssertEqual(
            hex(HMACSHA256.mac(key: key, message: message)),
            "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2")
    }

    func testHMACVerify() {
        let key = utf8("store secret")
        let message = utf8("shop=1;product=42")
        let tag = HMACSHA256.mac(key: key, message: message)
        XCTAssertTrue(HMACSHA256.verify(tag: tag, key: key, message: message))
        var forged = tag
        forged[31] ^= 1
        XCTAssertFalse(HMACSHA256.verify(tag: forged, key: key, message: message))
        XCTAssertFalse(HMACSHA256.verify(tag: tag, key: utf8("other secret"), message: message))
        XCTAssertFalse(HMACSHA256.verify(tag: tag, key: key, message: utf8("shop=1;product=43")))
        XCTAssertFalse(HMACSHA256.verify(tag: Array(tag.prefix(16)), key: key, message: message))
    }

    // MARK: - Constant-time comparison

    func testConstantTimeEquals() {
        XCTAssertTrue(constantTimeEquals([], []))
        XCTAssertTrue(constantTimeEquals([1, 2, 3], [1, 2, 3]))
        XCTAssertFalse(constantTimeEquals([1, 2, 3], [0, 2, 3]))
        XCTAssertFalse(constantTimeEquals([1, 2, 3], [1, 2, 4]))
        XCTAssertFalse(constantTimeEquals([1, 2, 3], [1, 2]))
        XCTAssertFalse(constantTimeEquals([1, 2], [1, 2, 3]))
        XCTAssertFalse(constantTimeEquals([], [0]))
        XCTAssertFalse(constantTimeEquals([0x80], [0x00]))
    }

    // MARK: - Base64URL

    func testBase64URLRFC4648Vectors() {
        let vectors = [
            "": "", "f": "Zg", "fo": "Zm8", "foo": "Zm9v",
            "foob": "Zm9vYg", "fooba": "Zm9vYmE", "foobar": "Zm9vYmFy",
        ]
        for (plain, encoded) in vectors {
            XCTAssertEqual(Base64URL.encode(utf8(plain)), encoded)
            XCTAssertEqual(Base64URL.decode(encoded), utf8(plain))
        }
    }

    func testBase64URLUsesTheURLSafeAlphabet() {
        XCTAssertEqual(Base64URL.encode([0xfb, 0xff]), "-_8")
        XCTAssertEqual(Base64URL.encode([0xff, 0xfe, 0xfd, 0xfc]), "__79_A")
        XCTAssertEqual(Base64URL.encode([0x3e, 0x3f]), "Pj8")
        XCTAssertEqual(Base64URL.decode("__79_A"), [0xff, 0xfe, 0xfd, 0xfc])
        XCTAssertNil(Base64URL.decode("++8"), "'+' belongs to standard base64, not base64url")
        XCTAssertNil(Base64URL.decode("//8"))
    }

    func testBase64URLRoundTripsEveryLength() {
        for length in 0...100 {
            let data = sampleBytes(length, seed: UInt32(length))
            let text = Base64URL.encode(data)
            XCTAssertFalse(text.contains("="))
            XCTAssertEqual(text.utf8.count, (length * 4 + 2) / 3)
            XCTAssertEqual(Base64URL.decode(text), data, "length \(length)")
        }
    }

    func testBase64URLRejectsNonCanonicalSpellings() {
        XCTAssertEqual(Base64URL.decode("QQ"), [0x41])
        XCTAssertNil(Base64URL.decode("QR"), "non-zero unused bits")
        XCTAssertNil(Base64URL.decode("QQ=="), "padding")
        XCTAssertNil(Base64URL.decode("QQ="), "padding")
        XCTAssertNil(Base64URL.decode("Q"), "length 1 mod 4")
        XCTAssertNil(Base64URL.decode("Zm9vY"), "length 1 mod 4")
        XCTAssertNil(Base64URL.decode("Zm9vYh"), "non-zero unused bits after one byte")
        XCTAssertNil(Base64URL.decode("Zm9vYmF"), "non-zero unused bits after two bytes")
        XCTAssertEqual(Base64URL.decode("Zm9vYmE"), utf8("fooba"))
        XCTAssertNil(Base64URL.decode("Zm9v\n"), "line break")
        XCTAssertNil(Base64URL.decode(" Zm9v"), "white space")
        XCTAssertNil(Base64URL.decode("Zm9v中"), "non-ASCII")
        XCTAssertNil(Base64URL.decode("Zm.v"), "outside the alphabet")
        XCTAssertEqual(Base64URL.decode(""), [])
    }

    /// Of all 4,096 two-character strings exactly 256 decode, one per byte, and
    /// each is the spelling `encode` produces.
    func testBase64URLHasOneSpellingPerByte() {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
        var decoded: [[UInt8]] = []
        for first in alphabet {
            for second in alphabet {
                let text = String([first, second])
                if let bytes = Base64URL.decode(text) {
                    XCTAssertEqual(Base64URL.encode(bytes), text)
                    decoded.append(bytes)
                }
            }
        }
        XCTAssertEqual(decoded.count, 256)
        XCTAssertEqual(Set(decoded.map { $0[0] }).count, 256)

        let threeCharacter = alphabet.compactMap { Base64URL.decode("Zm" + String($0)) }
        XCTAssertEqual(threeCharacter.count, 16)
    }
}
