import Foundation
import ImageHistory
import Support

/// One scratch folder per fuzzing process: `base/context` is where archives are unpacked, and nothing else may
/// ever appear in `base`.
private let scratch: (base: String, context: String) = {
    let base = NSTemporaryDirectory() + "dockerkit-fuzz-archive-\(getpid())"
    try? FileManager.default.createDirectory(atPath: base + "/context", withIntermediateDirectories: true)
    return (base, base + "/context")
}()

/// Small limits, so a decompression bomb is found to be stopped rather than filling memory.
private let limit: InflationLimit = {
    var limit = InflationLimit(maximumBytes: 8 << 20, maximumRatio: 100)
    limit.allowance = 1 << 20
    return limit
}()

/// libFuzzer entry over tar and gzip: the first byte picks a raw tar stream, a gzip stream, or a `docker save`
/// archive that is reversed with a build context written. Every member is read to its end; nothing may be
/// written outside the context folder.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzArchive(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size > 0 else { return 0 }
    let bytes = Array(UnsafeBufferPointer(start: data + 1, count: size - 1))
    let store = ByteStore.memory(bytes)
    switch data[0] % 3 {
    case 0:
        var reader = TarReader(StoreRegionStream.whole(store, source: "fuzz"), source: "fuzz")
        while let entry = try? reader.next() {
            guard entry.size >= 0 else { fatalError("negative member size") }
            _ = try? reader.readAllContent(limit: 1 << 20)
        }
    case 1:
        var stream = GzipStream(StoreRegionStream.whole(store, source: "fuzz"), limit: limit, compressedSize: bytes.count, source: "fuzz")
        var total = 0
        while let chunk = try? stream.read(1 << 16), !chunk.isEmpty {
            total += chunk.count
            guard total <= 8 << 20 else { fatalError("inflated past the limit") }
        }
    default:
        guard let archive = try? ImageArchive(store: store, source: "fuzz", inflationLimit: limit) else { return 0 }
        if let recovered = try? DockerfileRecovery.recover(archive.metadata, sourceName: "fuzz", options: RecoveryOptions(usesContext: true), archive: archive) {
            var writer = BuildContextWriter(directory: scratch.context)
            try? writer.write(recovered.contextFiles, from: archive)
        }
        let inBase = (try? FileManager.default.contentsOfDirectory(atPath: scratch.base)) ?? []
        guard inBase == ["context"] else { fatalError("written outside the context folder: \(inBase)") }
        for name in (try? FileManager.default.contentsOfDirectory(atPath: scratch.context)) ?? [] {
            try? FileManager.default.removeItem(atPath: scratch.context + "/" + name)
        }
    }
    return 0
}
