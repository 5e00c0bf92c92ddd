import FoundationEssentials

/// A minimal reader of tar archives (ustar, GNU long names, pax path records), enough for `docker save` output.
public struct TarArchive: Sendable {
    /// One archive member.
    public struct Entry: Sendable {
        public let path: String
        /// `0` regular file, `5` directory, `2` symlink, `1` hard link, …
        public let type: UInt8
        public let mode: Int
        public let uid: Int
        public let gid: Int
        public let linkTarget: String
        /// Where the member's bytes are in the archive.
        public let contentOffsets: Range<Int>
    }

    public let bytes: [UInt8]
    public let entries: [Entry]

    /// Reads the member headers; `source` names the archive in errors.
    public init(bytes: [UInt8], source: String) throws(ImageInputError) {
        self.bytes = bytes
        var entries: [Entry] = []
        var offset = 0
        var longName: String?
        var longLink: String?
        var paxPath: String?
        while offset + 512 <= bytes.count {
            let header = bytes[offset..<(offset + 512)]
            if header.allSatisfy({ $0 == 0 }) { break }
            guard Self.checksumMatches(header) else {
                throw ImageInputError(source: source, message: "not a tar archive (bad header at byte \(offset))")
            }
            let size = Self.octal(header, 124, 12)
            let type = header[offset + 156]
            let contentStart = offset + 512
            guard size >= 0, contentStart + size <= bytes.count else {
                throw ImageInputError(source: source, message: "truncated tar archive (member at byte \(offset) runs past the end)")
            }
            let content = contentStart..<(contentStart + size)
            switch type {
            case UInt8(ascii: "L"):
                longName = Self.string(bytes[content])
            case UInt8(ascii: "K"):
                longLink = Self.string(bytes[content])
            case UInt8(ascii: "x"):
                paxPath = Self.paxValue(bytes[content], key: "path")
            case UInt8(ascii: "g"):
                break
            default:
                var name = Self.string(header[(offset + 0)..<(offset + 100)])
                let prefix = Self.string(header[(offset + 345)..<(offset + 500)])
                if !prefix.isEmpty && header[offset + 257..<offset + 262].elementsEqual("ustar".utf8) { name = prefix + "/" + name }
                let path = paxPath ?? longName ?? name
                let link = longLink ?? Self.string(header[(offset + 157)..<(offset + 257)])
                entries.append(Entry(path: path, type: type == 0 ? UInt8(ascii: "0") : type, mode: Self.octal(header, 100, 8),
                                     uid: Self.octal(header, 108, 8), gid: Self.octal(header, 116, 8), linkTarget: link, contentOffsets: content))
                longName = nil
                longLink = nil
                paxPath = nil
            }
            offset = contentStart + (size + 511) / 512 * 512
        }
        self.entries = entries
    }

    /// The contents of the member at `path` (a leading `./` ignored).
    public func contents(of path: String) -> [UInt8]? {
        let wanted = Self.normalized(path)
        guard let entry = entries.first(where: { Self.normalized($0.path) == wanted && $0.type == UInt8(ascii: "0") }) else { return nil }
        return Array(bytes[entry.contentOffsets])
    }

    /// A member path without leading `./` or `/` and trailing `/`, as layers and manifests are compared.
    static func normalized(_ path: String) -> String {
        var path = Substring(path)
        while path.hasPrefix("./") || path.hasPrefix("/") { path = path.hasPrefix("/") ? path.dropFirst() : path.dropFirst(2) }
        while path.hasSuffix("/") { path = path.dropLast() }
        return String(path)
    }

    private static func checksumMatches(_ header: ArraySlice<UInt8>) -> Bool {
        let stored = octal(header, 148, 8)
        var sum = 0
        for (index, byte) in header.enumerated() {
            sum += (index >= 148 && index < 156) ? 0x20 : Int(byte)
        }
        return stored == sum
    }

    private static func octal(_ header: ArraySlice<UInt8>, _ at: Int, _ length: Int) -> Int {
        let field = header[(header.startIndex + at)..<(header.startIndex + at + length)]
        if let first = field.first, first & 0x80 != 0 {
            // GNU base-256 for large sizes.
            return field.dropFirst().reduce(Int(first & 0x7F)) { ($0 << 8) | Int($1) }
        }
        var value = 0
        for byte in field {
            if byte == 0 || byte == 0x20 { if value > 0 { break } else { continue } }
            guard byte >= 0x30 && byte <= 0x37 else { return -1 }
            value = value * 8 + Int(byte - 0x30)
        }
        return value
    }

    private static func string(_ bytes: ArraySlice<UInt8>) -> String {
        String(decoding: bytes.prefix { $0 != 0 }, as: UTF8.self)
    }

    private static func paxValue(_ bytes: ArraySlice<UInt8>, key: String) -> String? {
        for record in String(decoding: bytes, as: UTF8.self).split(separator: "\n") {
            guard let space = record.firstIndex(of: " ") else { continue }
            let pair = record[record.index(after: space)...]
            if pair.hasPrefix(key + "=") { return String(pair.dropFirst(key.count + 1)) }
        }
        return nil
    }
}

/// A `docker save` archive: the image's metadata and its layers, oldest first.
public struct ImageArchive: Sendable {
    public let metadata: ImageMetadata
    /// Archive member paths of the layer blobs, oldest first.
    public let layerPaths: [String]
    private let archive: TarArchive
    private let source: String

    /// Reads the legacy layout (`manifest.json`) or the OCI layout (`index.json`).
    public init(bytes: [UInt8], source: String) throws(ImageInputError) {
        let archive = try TarArchive(bytes: bytes, source: source)
        self.archive = archive
        self.source = source
        var configPath: String?
        var repoTags: [String] = []
        var layers: [String] = []
        if let manifestBytes = archive.contents(of: "manifest.json") {
            guard let manifests = (try? JSONValue.parse(manifestBytes))?.array, let first = manifests.first, first.members != nil else {
                throw ImageInputError(source: source, message: "manifest.json is not a docker save manifest")
            }
            configPath = first["Config"]?.string
            repoTags = first["RepoTags"]?.strings ?? []
            layers = first["Layers"]?.strings ?? []
        } else if let indexBytes = archive.contents(of: "index.json") {
            (configPath, layers) = try Self.ociManifest(archive, index: indexBytes, source: source)
        } else {
            throw ImageInputError(source: source, message: "not an image archive: no manifest.json or index.json (expected docker save output)")
        }
        guard let configPath, let configBytes = archive.contents(of: configPath) else {
            throw ImageInputError(source: source, message: "the image config named by the archive's manifest is missing")
        }
        var metadata = try ImageMetadataDecoder.decodeImageConfigBlob(configBytes, source: "\(source):\(configPath)")
        metadata.reference = repoTags.first ?? ""
        metadata.id = "sha256:" + SHA256.hexDigest(configBytes)
        self.metadata = metadata
        layerPaths = layers
    }

    /// Layer `index` (oldest first) as a tar archive, decompressed when it is gzip.
    public func layer(_ index: Int) throws(ImageInputError) -> TarArchive {
        try TarArchive(bytes: try layerBytes(index), source: "\(source):\(layerPaths[index])")
    }

    /// The raw (decompressed) bytes of layer `index`.
    public func layerBytes(_ index: Int) throws(ImageInputError) -> [UInt8] {
        guard index >= 0, index < layerPaths.count, let bytes = archive.contents(of: layerPaths[index]) else {
            throw ImageInputError(source: source, message: "layer \(index + 1) is missing from the archive")
        }
        return try Self.decompressed(bytes, source: source)
    }

    private static func decompressed(_ bytes: [UInt8], source: String) throws(ImageInputError) -> [UInt8] {
        guard Inflate.isGzip(bytes) else { return bytes }
        do {
            return try Inflate.gunzip(bytes)
        } catch {
            throw ImageInputError(source: source, message: "a gzip layer cannot be read: \(error.message)")
        }
    }

    private static func ociManifest(_ archive: TarArchive, index: [UInt8], source: String) throws(ImageInputError) -> (String?, [String]) {
        func blobPath(_ digest: String) -> String { "blobs/" + digest.replacing(":", with: "/") }
        guard let object = try? JSONValue.parse(index), let manifests = object["manifests"]?.array, var descriptor = manifests.first else {
            throw ImageInputError(source: source, message: "index.json is not an OCI image index")
        }
        // An index may point at another index (multi-platform); follow it to the first image manifest.
        for _ in 0..<4 {
            guard let digest = descriptor["digest"]?.string, let blob = archive.contents(of: blobPath(digest)),
                  let manifest = try? JSONValue.parse(blob), manifest.members != nil else { break }
            if let configDigest = manifest["config"]?["digest"]?.string {
                let layers = (manifest["layers"]?.array ?? []).compactMap { $0["digest"]?.string.map(blobPath) }
                return (blobPath(configDigest), layers)
            }
            guard let nested = manifest["manifests"]?.array?.first else { break }
            descriptor = nested
        }
        throw ImageInputError(source: source, message: "the OCI index names no image manifest the archive holds")
    }
}
