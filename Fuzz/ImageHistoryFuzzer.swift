import DockerfileSyntax
import ImageHistory
import Support

/// libFuzzer entry over the history, inspect and archive decoders and the reverser: the first byte picks the
/// decoder; whatever decodes is reversed, and the Dockerfile must parse with no more instructions (ARG lines aside)
/// than entries.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzImageHistory(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size > 0 else { return 0 }
    let selector = data[0]
    let bytes = Array(UnsafeBufferPointer(start: data + 1, count: size - 1))
    var image: ImageMetadata?
    switch selector % 4 {
    case 0:
        if let history = try? ImageMetadataDecoder.decodeHistoryLines(bytes, source: "fuzz") {
            var metadata = ImageMetadata()
            metadata.history = history
            image = metadata
        }
    case 1:
        image = try? ImageMetadataDecoder.decodeInspect(bytes, source: "fuzz")
    case 2:
        image = try? ImageMetadataDecoder.decodeImageConfigBlob(bytes, source: "fuzz")
    default:
        if let archive = try? ImageArchive(bytes: bytes, source: "fuzz") {
            image = archive.metadata
            for index in 0..<min(archive.layerPaths.count, 4) { _ = try? archive.layer(index) }
        }
        _ = try? Inflate.gunzip(bytes, limit: 1 << 24)
    }
    guard let image else { return 0 }
    guard let text = try? DockerfileRecovery.recover(image, sourceName: "fuzz").text else { return 0 }
    let tree = DockerfileParser.parse(text)
    guard tree.errors.isEmpty else { fatalError("reversed Dockerfile does not parse:\n\(text)") }
    // ARG lines come from the build arguments each RUN recorded (a new line whenever a value changes), so only the
    // other instructions are bounded by the entries.
    let instructions = tree.instructions.filter { $0.kind != .arg }
    guard instructions.count <= image.history.count + 1 + (image.config?.onBuild.count ?? 0) + 64 else {
        fatalError("more instructions than history entries:\n\(text)")
    }
    return 0
}
