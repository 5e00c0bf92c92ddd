import FoundationEssentials
import Support

/// A `docker save` archive: the image's metadata and its layers, oldest first.
package struct ImageArchive: Sendable {
    package let metadata: ImageMetadata
    /// Archive member paths of the layer blobs, oldest first.
    package let layerPaths: [String]
    /// How far a compressed layer may inflate.
    package var inflationLimit: InflationLimit
    private let archive: TarArchive
    private let source: String

    /// An archive held in memory.
    package init(bytes: [UInt8], source: String, inflationLimit: InflationLimit = .standard) throws(InputError) {
        try self.init(store: .memory(bytes), source: source, inflationLimit: inflationLimit)
    }

    /// Reads the legacy layout (`manifest.json`) or the OCI layout (`index.json`).
    package init(store: ByteStore, source: String, inflationLimit: InflationLimit = .standard) throws(InputError) {
        let archive = try TarArchive(store: store, source: source)
        self.archive = archive
        self.source = source
        self.inflationLimit = inflationLimit
        var configPath: String?
        var repoTags: [String] = []
        var layers: [String] = []
        if let manifestBytes = try archive.contents(of: "manifest.json") {
            guard let manifests = (try? JSONValue.parse(manifestBytes))?.array, let first = manifests.first, first.members != nil else {
                throw InputError(source: source, message: "manifest.json is not a docker save manifest")
            }
            configPath = first["Config"]?.string
            repoTags = first["RepoTags"]?.strings ?? []
            layers = first["Layers"]?.strings ?? []
        } else if let indexBytes = try archive.contents(of: "index.json") {
            (configPath, layers) = try Self.ociManifest(archive, index: indexBytes, source: source)
        } else {
            throw InputError(source: source, message: "not an image archive: no manifest.json or index.json (expected docker save output)")
        }
        guard let configPath, let configBytes = try archive.contents(of: configPath) else {
            throw InputError(source: source, message: "the image config named by the archive's manifest is missing")
        }
        var metadata = try ImageMetadataDecoder.decodeImageConfigBlob(configBytes, source: "\(source):\(configPath)")
        metadata.reference = repoTags.first ?? ""
        metadata.id = "sha256:" + SHA256.hexDigest(configBytes)
        self.metadata = metadata
        layerPaths = layers
    }

    /// Layer `index` (oldest first), decompressed as it is read when it is gzip.
    package func layerStream(_ index: Int) throws(InputError) -> LayerStream {
        guard index >= 0, index < layerPaths.count, let (stream, size) = archive.stream(of: layerPaths[index]) else {
            throw InputError(source: source, message: "layer \(index + 1) is missing from the archive")
        }
        let name = "\(source): layer \(index + 1)"
        var probe = stream
        let magic = try probe.read(2)
        guard Inflate.isGzip(magic) else { return .plain(stream) }
        return .gzip(GzipStream(stream, limit: inflationLimit, compressedSize: size, source: name))
    }

    /// Layer `index` (oldest first) as a tar reader.
    package func layer(_ index: Int) throws(InputError) -> TarReader<LayerStream> {
        TarReader(try layerStream(index), source: "\(source): layer \(index + 1)")
    }

    private static func ociManifest(_ archive: TarArchive, index: [UInt8], source: String) throws(InputError) -> (String?, [String]) {
        func blobPath(_ digest: String) -> String { "blobs/" + digest.replacing(":", with: "/") }
        guard let object = try? JSONValue.parse(index), let manifests = object["manifests"]?.array, var descriptor = manifests.first else {
            throw InputError(source: source, message: "index.json is not an OCI image index")
        }
        // An index may point at another index (multi-platform); follow it to the first image manifest.
        for _ in 0..<4 {
            guard let digest = descriptor["digest"]?.string, let blob = try archive.contents(of: blobPath(digest)),
                  let manifest = try? JSONValue.parse(blob), manifest.members != nil else { break }
            if let configDigest = manifest["config"]?["digest"]?.string {
                let layers = (manifest["layers"]?.array ?? []).compactMap { $0["digest"]?.string.map(blobPath) }
                return (blobPath(configDigest), layers)
            }
            guard let nested = manifest["manifests"]?.array?.first else { break }
            descriptor = nested
        }
        throw InputError(source: source, message: "the OCI index names no image manifest the archive holds")
    }
}
