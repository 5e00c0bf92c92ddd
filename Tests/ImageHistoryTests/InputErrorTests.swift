import Support
import Foundation
import Testing
@testable import ImageHistory

@Test func malformedHistoryLineIsReportedWithItsLine() {
    let input = Array("{\"CreatedBy\":\"RUN x\",\"Comment\":\"\"}\n{not json\n".utf8)
    #expect(throws: InputError(source: "h.jsonl", line: 2, message: "not a JSON object (expected the output of docker history --no-trunc --format '{{json .}}')")) {
        try ImageMetadataDecoder.decodeHistoryLines(input, source: "h.jsonl")
    }
}

@Test func historyLinesAreReturnedOldestFirst() throws {
    let input = Array("{\"CreatedBy\":\"second\",\"Comment\":\"\"}\n{\"CreatedBy\":\"first\",\"Comment\":\"\"}\n".utf8)
    #expect(try ImageMetadataDecoder.decodeHistoryLines(input, source: "h").map(\.createdBy) == ["first", "second"])
}

@Test func inspectWithoutConfigIsRefused() {
    #expect(throws: InputError.self) { try ImageMetadataDecoder.decodeInspect(Array("[{\"Id\":\"x\"}]".utf8), source: "i.json") }
}

@Test func notATarIsRefused() {
    #expect(throws: InputError.self) { try ImageArchive(bytes: Array(repeating: 7, count: 1024), source: "x.tar") }
}

@Test func tarWithoutManifestIsNotAnImageArchive() throws {
    let tar = try makeTar(["hello.txt": Array("hi".utf8)])
    #expect(throws: InputError(source: "x.tar", message: "not an image archive: no manifest.json or index.json (expected docker save output)")) {
        try ImageArchive(bytes: tar, source: "x.tar")
    }
}

@Test func truncatedTarIsRefused() throws {
    let tar = try makeTar(["big.txt": Array(repeating: 65, count: 5000)])
    #expect(throws: InputError.self) { try ImageArchive(bytes: Array(tar.prefix(1500)), source: "x.tar") }
}

@Test func ociArchiveWithGzipLayerIsRead() throws {
    let layer = try makeTar(["etc/hello.txt": Array("hello\n".utf8)])
    let gzipped = try gzip(layer)
    let config = Array("""
        {"config":{"Env":["A=1"],"Cmd":["sh"]},"rootfs":{"type":"layers","diff_ids":["sha256:\(SHA256.hexDigest(layer))"]},
         "history":[{"created_by":"COPY hello.txt /etc/hello.txt # buildkit","comment":"buildkit.dockerfile.v0"}]}
        """.utf8)
    let configDigest = SHA256.hexDigest(config)
    let layerDigest = SHA256.hexDigest(gzipped)
    let manifest = Array("""
        {"schemaVersion":2,"config":{"digest":"sha256:\(configDigest)"},"layers":[{"digest":"sha256:\(layerDigest)"}]}
        """.utf8)
    let manifestDigest = SHA256.hexDigest(manifest)
    let index = Array("{\"schemaVersion\":2,\"manifests\":[{\"digest\":\"sha256:\(manifestDigest)\"}]}".utf8)
    let archive = try ImageArchive(bytes: try makeTar([
        "index.json": index, "blobs/sha256/\(manifestDigest)": manifest, "blobs/sha256/\(configDigest)": config, "blobs/sha256/\(layerDigest)": gzipped,
    ]), source: "oci.tar")
    #expect(archive.metadata.config?.env == ["A=1"])
    #expect(archive.metadata.history.map(\.createdBy) == ["COPY hello.txt /etc/hello.txt # buildkit"])
    var reader = try archive.layer(0)
    let entry = try reader.next()
    #expect(entry.map { TarArchive.normalized($0.path) } == "etc/hello.txt")
    #expect(try reader.readAllContent(limit: 100) == Array("hello\n".utf8))
}

/// A tar made by the system's tar from files written to a scratch folder.
func makeTar(_ files: [String: [UInt8]]) throws -> [UInt8] {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("dockerkit-tar-\(UUID().uuidString)")
    for (path, contents) in files {
        let url = directory.appendingPathComponent(path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(contents).write(to: url)
    }
    try shell("cd \"$0\" && tar --format=ustar -cf ../$(basename \"$0\").tar $(find . -type f | sort)", directory.path)
    return [UInt8](try Data(contentsOf: URL(fileURLWithPath: directory.path + ".tar")))
}

func gzip(_ bytes: [UInt8]) throws -> [UInt8] {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("dockerkit-gz-\(UUID().uuidString)")
    try Data(bytes).write(to: url)
    try shell("gzip -9 \"$0\"", url.path)
    return [UInt8](try Data(contentsOf: URL(fileURLWithPath: url.path + ".gz")))
}

func shell(_ script: String, _ argument: String) throws {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/bin/sh")
    process.arguments = ["-c", script, argument]
    try process.run()
    process.waitUntilExit()
}

@Test func podmanHistoryArrayWithLowerCaseKeysIsRead() throws {
    let input = Array("[{\"id\":\"a\",\"createdBy\":\"/bin/sh -c #(nop) CMD [\\\"sh\\\"]\",\"comment\":\"\"},{\"id\":\"b\",\"createdBy\":\"\",\"comment\":\"Imported from -\"}]".utf8)
    let entries = try ImageMetadataDecoder.decodeHistoryLines(input, source: "podman.json")
    #expect(entries.map(\.comment) == ["Imported from -", ""])
    #expect(entries.last?.createdBy == "/bin/sh -c #(nop) CMD [\"sh\"]")
}

@Test func malformedInspectIsReportedWithTheLineAndColumnOfTheError() {
    let input = Array("[{\n\"Config\": {\n\"Env\": [1,, 2]}}]".utf8)
    let expected = InputError(source: "i.json", line: 3, column: 11, message: "malformed JSON (expected docker image inspect output): unexpected character")
    #expect(throws: expected) {
        try ImageMetadataDecoder.decodeInspect(input, source: "i.json")
    }
}

/// docker save writes a layer that appears twice once, and the second as a symlink to the first.
@Test func aLayerSavedAsASymlinkIsReadThroughIt() throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("dockerkit-tar-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: directory) }
    try FileManager.default.createDirectory(at: directory.appendingPathComponent("one"), withIntermediateDirectories: true)
    try FileManager.default.createDirectory(at: directory.appendingPathComponent("two"), withIntermediateDirectories: true)
    try Data("layer bytes".utf8).write(to: directory.appendingPathComponent("one/layer.tar"))
    try FileManager.default.createSymbolicLink(atPath: directory.appendingPathComponent("two/layer.tar").path, withDestinationPath: "../one/layer.tar")
    try FileManager.default.createSymbolicLink(atPath: directory.appendingPathComponent("escape.tar").path, withDestinationPath: "../../etc/passwd")
    try shell("cd \"$0\" && tar --format=ustar -cf ../$(basename \"$0\").tar one two escape.tar", directory.path)
    let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: directory.path + ".tar")))
    let archive = try TarArchive(store: .memory(bytes), source: "dup.tar")
    #expect(try archive.contents(of: "two/layer.tar") == Array("layer bytes".utf8))
    #expect(try archive.contents(of: "escape.tar") == nil)
}

@Test func historyBytesThatAreNotUTF8BecomeACommentWithEscapes() throws {
    let input = Array("{\"CreatedBy\":\"RUN /bin/sh -c echo ".utf8) + [0xFF, 0xFE] + Array(" > /bad # buildkit\",\"Comment\":\"buildkit.dockerfile.v0\"}\n".utf8)
        + Array("{\"CreatedBy\":\"\",\"Comment\":\"Imported from -\"}\n".utf8)
    var image = ImageMetadata()
    image.history = try ImageMetadataDecoder.decodeHistoryLines(input, source: "h")
    let text = try DockerfileRecovery.recover(image, sourceName: "h", options: RecoveryOptions(baseLayers: 1)).text
    #expect(text.hasSuffix("FROM scratch\n# not recoverable as an instruction (it holds bytes that are not UTF-8, shown as \\x..): RUN echo \\xff\\xfe > /bad\n"), "\(text)")
}
