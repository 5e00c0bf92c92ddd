import DockerfileSyntax
import Foundation
import Testing
@testable import ImageHistory

/// Inputs the decoder fuzzer once crashed on (Tests/Corpus/regressions/image-history): the first byte picks the
/// decoder as in Fuzz/ImageHistoryFuzzer.swift; each must now decode or fail cleanly, and reverse to text that parses.
@Test func fuzzCrashesStayFixed() throws {
    let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Corpus/regressions/image-history")
    let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
    #expect(!names.isEmpty)
    for name in names {
        let data = [UInt8](try Data(contentsOf: folder.appendingPathComponent(name)))
        guard let selector = data.first else { continue }
        let bytes = Array(data.dropFirst())
        var image: ImageMetadata?
        switch selector % 4 {
        case 0:
            if let history = try? ImageMetadataDecoder.decodeHistoryLines(bytes, source: name) {
                var metadata = ImageMetadata()
                metadata.history = history
                image = metadata
            }
        case 1: image = try? ImageMetadataDecoder.decodeInspect(bytes, source: name)
        case 2: image = try? ImageMetadataDecoder.decodeImageConfigBlob(bytes, source: name)
        default: image = (try? ImageArchive(bytes: bytes, source: name))?.metadata
        }
        guard let image else { continue }
        let text = try DockerfileRecovery.recover(image, sourceName: name).text
        #expect(DockerfileParser.parse(text).errors.isEmpty, "\(name)")
    }
}

@Test func exposeWithoutAPortGivesNoPort() {
    #expect(DockerfileRecovery.expandPort("/") == [])
    #expect(DockerfileRecovery.expandPort("") == [])
    #expect(DockerfileRecovery.expandPort("53/udp") == ["53/udp"])
}
