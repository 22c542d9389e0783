import Foundation
import XCTest

@testable import ShopStore

/// `ScratchFile`: the one temporary file of the spools and of a workbook on stdin.
final class ScratchFileTests: XCTestCase {
    private func folder() throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("scratch-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: false)
        addTeardownBlock { try? FileManager.default.removeItem(atPath: dir) }
        return dir
    }

    func testBytesComeBackAndNothingIsLeftInTheFolder() throws {
        let dir = try folder()
        let file = try ScratchFile(prefix: "test", folder: dir)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir), [], "unlinked at once")
        let bytes = (0..<200_000).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        XCTAssertNil(file.write(Array(bytes[0..<70_000]), at: 0))
        XCTAssertNil(file.write(Array(bytes[70_000...]), at: 70_000))
        var back = [UInt8](repeating: 0, count: bytes.count)
        XCTAssertNil(back.withUnsafeMutableBytes { file.read(into: $0, at: 0, count: bytes.count, offset: 0) })
        XCTAssertEqual(back, bytes)
        // Past the end: EIO, not a short read taken as whole.
        var more = [UInt8](repeating: 0, count: 10)
        XCTAssertEqual(more.withUnsafeMutableBytes { file.read(into: $0, at: 0, count: 10, offset: 199_995) }, EIO)
        XCTAssertEqual(fcntl(file.descriptor, F_GETFD) & FD_CLOEXEC, FD_CLOEXEC)
    }

    func testAFolderThatIsNotThereIsTheErrnoOfMkstemp() throws {
        let missing = try folder() + "/none"
        XCTAssertThrowsError(try ScratchFile(prefix: "test", folder: missing)) { e in
            XCTAssertEqual((e as? ScratchFile.Failure)?.errno, ENOENT)
        }
    }

    func testTheFolderRule() {
        XCTAssertEqual(ScratchFile.folder("/var/tmp///"), "/var/tmp")
        XCTAssertEqual(ScratchFile.folder("/"), "/")
        XCTAssertFalse(ScratchFile.folder(nil).isEmpty)
    }

    func testReleaseHandsTheDescriptorOver() throws {
        let file = try ScratchFile(prefix: "test", folder: try folder())
        let fd = file.release()
        XCTAssertEqual(file.descriptor, -1)
        XCTAssertEqual(fcntl(fd, F_GETFD) >= 0, true, "still open after release")
        close(fd)
    }
}
