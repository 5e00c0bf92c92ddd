#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import Foundation
import Testing
@testable import Support

/// A file holding `bytes`, opened for reading and already unlinked; the caller closes it.
private func openTemporaryFile(of bytes: [UInt8]) throws -> Int32 {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("dockerkit-fileio-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    let path = directory.appendingPathComponent("input").path
    try Data(bytes).write(to: URL(fileURLWithPath: path))
    defer { try? FileManager.default.removeItem(at: directory) }
    return open(path, O_RDONLY)
}

/// Bytes no run of which repeats at the 64 KiB the reader reads at a time.
private func patterned(_ count: Int) -> [UInt8] {
    (0..<count).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ $0 / 251) }
}

@Test func readAllReadsAFileLargerThanItsBufferWhole() throws {
    let bytes = patterned(200_001)
    let descriptor = try openTemporaryFile(of: bytes)
    defer { close(descriptor) }
    let read = readAll(from: descriptor)
    // A Bool, so that a failure names the counts instead of printing 200,000 bytes.
    let isWhole = read == bytes
    #expect(isWhole, "read \(read?.count ?? -1) of \(bytes.count) bytes")
}

@Test func readAllRefusesMoreThanItsLimit() throws {
    let descriptor = try openTemporaryFile(of: patterned(70_000))
    defer { close(descriptor) }
    #expect(readAll(from: descriptor, limit: 69_999) == nil)
}

@Test func readAllReadsAPipeToItsEnd() throws {
    var ends: [Int32] = [0, 0]
    #expect(pipe(&ends) == 0)
    let bytes = patterned(100_000)
    let writeEnd = ends[1]
    // A writer thread: the pipe holds less than the bytes, so writing them all first would block.
    let writer = Thread {
        _ = bytes.withUnsafeBufferPointer { writeAll($0, to: writeEnd) }
        close(writeEnd)
    }
    writer.start()
    defer { close(ends[0]) }
    let read = readAll(from: ends[0])
    let isWhole = read == bytes
    #expect(isWhole, "read \(read?.count ?? -1) of \(bytes.count) bytes")
}
