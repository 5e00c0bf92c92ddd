import Support
import Foundation
import Testing
@testable import ImageHistory

/// The hostile `docker save` archives of Tests/Corpus/regressions/archives (made by make.py there).
private func hostileArchive(_ name: String) throws -> ImageArchive {
    let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Corpus/regressions/archives/\(name)")
    return try ImageArchive(bytes: [UInt8](try Data(contentsOf: url)), source: name)
}

/// Reverses `archive` with a build context written into `context`; returns the warnings of the writing.
private func reverseWithContext(_ archive: ImageArchive, into context: String) throws -> [String] {
    let recovered = try DockerfileRecovery.recover(archive.metadata, sourceName: "test", options: RecoveryOptions(usesContext: true), archive: archive)
    var writer = BuildContextWriter(directory: context)
    try writer.write(recovered.contextFiles, from: archive)
    return writer.warnings
}

/// A scratch folder `base/a/b/context` with a file beside `a` that must stay as it is; removed afterwards.
private func withNestedContext(_ body: (_ base: String, _ context: String) throws -> Void) throws {
    let base = FileManager.default.temporaryDirectory.appendingPathComponent("dockerkit-hostile-\(UUID().uuidString)").path
    defer { try? FileManager.default.removeItem(atPath: base) }
    try FileManager.default.createDirectory(atPath: base + "/a/b/context", withIntermediateDirectories: true)
    try Data("original\n".utf8).write(to: URL(fileURLWithPath: base + "/victim"))
    try body(base, base + "/a/b/context")
}

/// Every path under `base`, relative to it.
private func allPaths(under base: String) -> [String] {
    (FileManager.default.enumerator(atPath: base)?.allObjects as? [String] ?? []).sorted()
}

@Test func contextWriterKeepsDotDotSymlinkAbsoluteAndDeviceMembersInsideTheContext() throws {
    try withNestedContext { base, context in
        let warnings = try reverseWithContext(try hostileArchive("escape.tar"), into: context)
        let outside = allPaths(under: base).filter { !$0.hasPrefix("a/b/context") && $0 != "a" && $0 != "a/b" }
        #expect(outside == ["victim"])
        #expect(try String(contentsOfFile: base + "/victim", encoding: .utf8) == "original\n")
        #expect(FileManager.default.fileExists(atPath: context + "/layer-1/app/ok.txt"))
        let skipped = warnings.joined(separator: "\n")
        for name in ["app/../../../victim/x", "app/link/through-symlink", "/app/absolute", "app/hard", "app/device", "app/fifo"] {
            #expect(skipped.contains("skipped \(name):"), "\(name)")
        }
    }
}

@Test func contextWriterSkipsPaxPathsThatLeaveTheContext() throws {
    try withNestedContext { base, context in
        let warnings = try reverseWithContext(try hostileArchive("pax-escape.tar"), into: context)
        #expect(allPaths(under: base).filter { $0.contains("pax-victim") }.isEmpty)
        #expect(warnings.count == 1)
    }
}

@Test func contextWriterSkipsDotDotInACopyToTheRoot() throws {
    try withNestedContext { base, context in
        let warnings = try reverseWithContext(try hostileArchive("copy-to-root.tar"), into: context)
        #expect(allPaths(under: base).filter { $0.contains("escaped-from-root") }.isEmpty)
        #expect(FileManager.default.fileExists(atPath: context + "/layer-1/etc/lab.conf"))
        #expect(warnings == ["layer 1: skipped ../escaped-from-root: its name would leave the context"])
    }
}

@Test func recoveringWritesNoFileItOnlyNamesThem() throws {
    try withNestedContext { base, _ in
        let archive = try hostileArchive("copy-to-root.tar")
        let recovered = try DockerfileRecovery.recover(archive.metadata, sourceName: "root", options: RecoveryOptions(usesContext: true), archive: archive)
        #expect(recovered.contextFiles == [.copyLayer(layer: 0, target: "")])
        #expect(recovered.text.contains("COPY layer-1/ /\n"))
        #expect(allPaths(under: base + "/a/b/context").isEmpty)
    }
}

@Test func contextWriterDoesNotFollowASymlinkAlreadyInTheContext() throws {
    try withNestedContext { base, context in
        try FileManager.default.createDirectory(atPath: base + "/elsewhere", withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: context + "/layer-1", withDestinationPath: base + "/elsewhere")
        let archive = try hostileArchive("copy-to-root.tar")
        #expect(throws: InputError.self) { try reverseWithContext(archive, into: context) }
        #expect(allPaths(under: base + "/elsewhere").isEmpty)
    }
}

@Test func tarSizeFieldOfTwoToTheSixtyThreeIsRefusedWithTheMemberNumber() {
    #expect(throws: InputError(source: "huge-size.tar", message: "member 1: 9223372036854775807 bytes of content run past the end of the archive")) {
        try hostileArchive("huge-size.tar")
    }
}

@Test func gzipLayerPastTheInflationLimitStopsWithAClearError() throws {
    let layer = try makeTar(["zeros": [UInt8](repeating: 0, count: 4 << 20)])
    let compressed = try gzip(layer)
    var limit = InflationLimit(maximumBytes: 1 << 20, maximumRatio: 1000)
    limit.allowance = 0
    var stream = GzipStream(StoreRegionStream(store: .memory(compressed), range: 0..<compressed.count, source: "layer"),
                            limit: limit, compressedSize: compressed.count, source: "layer")
    #expect(throws: InputError.self) { while try !stream.read(1 << 16).isEmpty {} }
}

@Test func gzipLayerPastTheInflationRatioStopsWithAClearError() throws {
    let compressed = try gzip([UInt8](repeating: 0, count: 4 << 20))
    var limit = InflationLimit(maximumBytes: 1 << 40, maximumRatio: 10)
    limit.allowance = 0
    var stream = GzipStream(StoreRegionStream(store: .memory(compressed), range: 0..<compressed.count, source: "layer"),
                            limit: limit, compressedSize: compressed.count, source: "layer")
    do {
        while try !stream.read(1 << 16).isEmpty {}
        Issue.record("a 4 MiB layer of zeros passed a 10:1 ratio")
    } catch {
        #expect(error.message.contains("decompression bomb"))
    }
}

@Test func gzipStreamReadInSmallPiecesGivesTheSameBytes() throws {
    var original: [UInt8] = []
    for index in 0..<200_000 { original.append(UInt8(truncatingIfNeeded: index * 7 + index / 300)) }
    let compressed = try gzip(original)
    var stream = GzipStream(StoreRegionStream(store: .memory(compressed), range: 0..<compressed.count, source: "layer"),
                            limit: .standard, compressedSize: compressed.count, source: "layer")
    var output: [UInt8] = []
    while true {
        let chunk = try stream.read(777)
        if chunk.isEmpty { break }
        output.append(contentsOf: chunk)
    }
    #expect(output == original)
}

@Test func incrementalDigestEqualsOneShotDigest() {
    let bytes = (0..<1000).map { UInt8(truncatingIfNeeded: $0 * 31) }
    var digest = SHA256()
    for start in stride(from: 0, to: bytes.count, by: 37) { digest.update(bytes[start..<min(start + 37, bytes.count)]) }
    #expect(digest.finalize() == SHA256.hexDigest(bytes))
    #expect(SHA256.hexDigest([UInt8]()) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
}
