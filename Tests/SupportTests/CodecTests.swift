import Foundation
import Testing
@testable import Support

@Test func sha256MatchesKnownDigests() {
    #expect(SHA256.hexDigest([UInt8]()) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    #expect(SHA256.hexDigest(Array("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    #expect(SHA256.hexDigest(Array(repeating: UInt8(ascii: "a"), count: 1000)) == "41edece42d63e8d9bf515a9ba6932e1c20cbc9f5a5d134645adb5db1b9737ea3")
}

/// `printf 'hello hello hello hello\n' | gzip -9 -n | xxd -i` (a fixed-Huffman block with a back reference).
@Test func gunzipReadsFixedHuffmanMember() throws {
    let compressed: [UInt8] = [0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0x03, 0xcb, 0x48, 0xcd, 0xc9, 0xc9, 0x57, 0xc8, 0x40,
                               0x27, 0xb9, 0x00, 0x00, 0x88, 0x59, 0x0b, 0x18, 0x00, 0x00, 0x00]
    #expect(String(decoding: try Inflate.gunzip(compressed), as: UTF8.self) == "hello hello hello hello\n")
}

/// Whether the system's gzip is there to make test data.
let systemHasGzip = ["/bin/gzip", "/usr/bin/gzip"].contains { FileManager.default.isExecutableFile(atPath: $0) }

@Test(.enabled(if: systemHasGzip, "no gzip command")) func gunzipRoundTripsThroughTheSystemGzip() throws {
    var original: [UInt8] = []
    var seed: UInt64 = 42
    for index in 0..<200_000 {
        seed = seed &* 6364136223846793005 &+ 1442695040888963407
        original.append(index % 3 == 0 ? UInt8(truncatingIfNeeded: seed >> 56) : UInt8(ascii: "a") + UInt8(index % 7))
    }
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("dockerkit-gzip-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    let file = directory.appendingPathComponent("data")
    try Data(original).write(to: file)
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/bin/sh")
    process.arguments = ["-c", "gzip -6 -c \"$0\" > \"$0.gz\"", file.path]
    try process.run()
    process.waitUntilExit()
    defer { try? FileManager.default.removeItem(at: directory) }
    #expect(process.terminationStatus == 0)
    let compressed = try #require(FileManager.default.contents(atPath: file.path + ".gz"))
    #expect(try Inflate.gunzip([UInt8](compressed)) == original)
}

@Test func gunzipRejectsCorruptData() {
    #expect(throws: Inflate.Failure.self) { try Inflate.gunzip([0x1f, 0x8b, 0x08, 0x00, 0, 0, 0, 0, 0, 3, 0xff, 0xff, 0xff]) }
}
