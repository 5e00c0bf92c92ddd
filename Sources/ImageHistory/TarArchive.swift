import FoundationEssentials

/// One tar archive member's header.
public struct TarEntry: Sendable {
    /// The path as the archive names it (a pax `path`, a GNU long name, or the ustar prefix and name).
    public let path: String
    /// `0` regular file, `5` directory, `2` symlink, `1` hard link, …
    public let type: UInt8
    public let mode: Int
    public let uid: Int
    public let gid: Int
    public let linkTarget: String
    /// The content's size in bytes.
    public let size: Int
    /// 1-based position among the archive's members (extension headers counted), for error messages.
    public let number: Int

    public var isRegularFile: Bool { type == UInt8(ascii: "0") || type == UInt8(ascii: "7") }
    public var isDirectory: Bool { type == UInt8(ascii: "5") }
    public var isSymbolicLink: Bool { type == UInt8(ascii: "2") }
    public var isHardLink: Bool { type == UInt8(ascii: "1") }
}

/// Reads a tar archive (ustar, GNU long names and base-256 numbers, pax records) member by member from a byte
/// stream, so that neither the archive nor a member has to fit in memory. Every size is checked before use.
public struct TarReader<Stream: ByteStream> {
    private var stream: Stream
    private let source: String
    /// Bytes consumed from the stream so far.
    public private(set) var position = 0
    private var remaining = 0
    private var padding = 0
    private var memberNumber = 0
    private var isFinished = false

    /// Extension records (long names, pax) are metadata: more than this is not a real archive.
    static var extensionLimit: Int { 1 << 20 }

    public init(_ stream: Stream, source: String) {
        self.stream = stream
        self.source = source
    }

    /// The next member, after passing over what is left of the current one; nil at the end of the archive.
    public mutating func next() throws(ImageInputError) -> TarEntry? {
        guard !isFinished else { return nil }
        try skipRest()
        var longName: String?
        var longLink: String?
        var pax: [String: String] = [:]
        while true {
            guard let header = try readHeader() else {
                isFinished = true
                return nil
            }
            memberNumber += 1
            guard Self.checksumMatches(header) else {
                throw failure("not a tar archive (bad header checksum at byte \(position - 512))")
            }
            var size = try number(header, 124, 12, field: "size")
            if let paxSize = pax["size"] {
                guard let value = Int(paxSize), value >= 0 else { throw failure("pax size '\(paxSize)' is not a size") }
                size = value
            }
            let type = header[156]
            switch type {
            case UInt8(ascii: "L"), UInt8(ascii: "K"), UInt8(ascii: "x"):
                guard size <= Self.extensionLimit else { throw failure("extension header of \(size) bytes (at most \(Self.extensionLimit))") }
                let content = try readExactly(size)
                try skipPadding(after: size)
                switch type {
                case UInt8(ascii: "L"): longName = Self.string(content[...])
                case UInt8(ascii: "K"): longLink = Self.string(content[...])
                default: pax = try Self.paxRecords(content, failure: failure)
                }
            case UInt8(ascii: "g"):
                guard try stream.skip(size) == size else { throw failure("runs past the end of the archive") }
                position += size
                try skipPadding(after: size)
            default:
                var name = Self.string(header[0..<100])
                let prefix = Self.string(header[345..<500])
                if !prefix.isEmpty && header[257..<262].elementsEqual("ustar".utf8) { name = prefix + "/" + name }
                let path = pax["path"] ?? longName ?? name
                let link = pax["linkpath"] ?? longLink ?? Self.string(header[157..<257])
                let hasContent = type != UInt8(ascii: "5") && type != UInt8(ascii: "2") && type != UInt8(ascii: "1")
                    && type != UInt8(ascii: "3") && type != UInt8(ascii: "4") && type != UInt8(ascii: "6")
                let contentSize = hasContent ? size : 0
                remaining = contentSize
                padding = Self.paddingLength(contentSize)
                return TarEntry(path: path, type: type == 0 ? UInt8(ascii: "0") : type, mode: max(0, try number(header, 100, 8, field: "mode")),
                                uid: max(0, try number(header, 108, 8, field: "uid")), gid: max(0, try number(header, 116, 8, field: "gid")),
                                linkTarget: link, size: contentSize, number: memberNumber)
            }
        }
    }

    /// Up to `maximum` next bytes of the current member's content; empty when it is all read.
    public mutating func readContent(_ maximum: Int = 1 << 16) throws(ImageInputError) -> ArraySlice<UInt8> {
        guard remaining > 0 else { return [] }
        let chunk = try stream.read(min(maximum, remaining))
        guard !chunk.isEmpty else { throw failure("runs past the end of the archive") }
        remaining -= chunk.count
        position += chunk.count
        return chunk
    }

    /// The current member's whole content, refused past `limit` bytes.
    public mutating func readAllContent(limit: Int) throws(ImageInputError) -> [UInt8] {
        guard remaining <= limit else { throw failure("member of \(remaining) bytes is larger than the \(limit) expected") }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(remaining)
        while true {
            let chunk = try readContent()
            if chunk.isEmpty { return bytes }
            bytes.append(contentsOf: chunk)
        }
    }

    private mutating func skipRest() throws(ImageInputError) {
        if remaining > 0 {
            guard try stream.skip(remaining) == remaining else { throw failure("runs past the end of the archive") }
            position += remaining
            remaining = 0
        }
        if padding > 0 {
            // A last member without its padding still ends the archive cleanly, as tar itself allows.
            position += try stream.skip(padding)
            padding = 0
        }
    }

    private mutating func skipPadding(after size: Int) throws(ImageInputError) {
        let count = Self.paddingLength(size)
        position += try stream.skip(count)
    }

    private static func paddingLength(_ size: Int) -> Int { (512 - size % 512) % 512 }

    /// A 512-byte header, or nil at the end (a zero block or no more bytes).
    private mutating func readHeader() throws(ImageInputError) -> [UInt8]? {
        var header: [UInt8] = []
        while header.count < 512 {
            let chunk = try stream.read(512 - header.count)
            if chunk.isEmpty { break }
            header.append(contentsOf: chunk)
        }
        position += header.count
        if header.isEmpty { return nil }
        guard header.count == 512 else { throw ImageInputError(source: source, message: "member \(memberNumber + 1): truncated header at the end of the archive") }
        return header.allSatisfy({ $0 == 0 }) ? nil : header
    }

    private mutating func readExactly(_ count: Int) throws(ImageInputError) -> [UInt8] {
        var bytes: [UInt8] = []
        while bytes.count < count {
            let chunk = try stream.read(count - bytes.count)
            guard !chunk.isEmpty else { throw failure("runs past the end of the archive") }
            bytes.append(contentsOf: chunk)
        }
        position += count
        return bytes
    }

    private func failure(_ message: String) -> ImageInputError {
        ImageInputError(source: source, message: "member \(memberNumber): \(message)")
    }

    /// A numeric field: octal text, or GNU base-256 (first byte's high bit set). Out of range is an error.
    private func number(_ header: [UInt8], _ at: Int, _ length: Int, field: String) throws(ImageInputError) -> Int {
        let bytes = header[at..<(at + length)]
        if let first = bytes.first, first & 0x80 != 0 {
            guard first & 0x40 == 0 else { throw failure("negative \(field) field") }
            var value = Int(first & 0x3F)
            for byte in bytes.dropFirst() {
                guard value <= (Int.max >> 8) else { throw failure("\(field) field out of range") }
                value = value << 8 | Int(byte)
            }
            return value
        }
        var value = 0
        var seenDigit = false
        for byte in bytes {
            if byte == 0 || byte == 0x20 {
                if seenDigit { break } else { continue }
            }
            guard byte >= 0x30 && byte <= 0x37 else { throw failure("\(field) field is not a number") }
            seenDigit = true
            value = value * 8 + Int(byte - 0x30)
        }
        return value
    }

    private static func checksumMatches(_ header: [UInt8]) -> Bool {
        var stored = 0
        var seenDigit = false
        for byte in header[148..<156] {
            if byte == 0 || byte == 0x20 {
                if seenDigit { break } else { continue }
            }
            guard byte >= 0x30 && byte <= 0x37 else { return false }
            seenDigit = true
            stored = stored * 8 + Int(byte - 0x30)
        }
        var sum = 0
        for (index, byte) in header.enumerated() {
            sum += (index >= 148 && index < 156) ? 0x20 : Int(byte)
        }
        return stored == sum
    }

    private static func string(_ bytes: ArraySlice<UInt8>) -> String {
        String(decoding: bytes.prefix { $0 != 0 }, as: UTF8.self)
    }

    /// pax records: `LENGTH KEY=VALUE\n`, each length counting the whole record.
    private static func paxRecords(_ bytes: [UInt8], failure: (String) -> ImageInputError) throws(ImageInputError) -> [String: String] {
        var records: [String: String] = [:]
        var offset = 0
        while offset < bytes.count {
            var length = 0
            var cursor = offset
            while cursor < bytes.count, bytes[cursor] >= 0x30, bytes[cursor] <= 0x39, length <= bytes.count {
                length = length * 10 + Int(bytes[cursor] - 0x30)
                cursor += 1
            }
            guard cursor < bytes.count, bytes[cursor] == 0x20, length > cursor - offset + 1, length <= bytes.count - offset,
                  bytes[offset + length - 1] == 0x0A else {
                throw failure("malformed pax record at byte \(offset) of the extension header")
            }
            let record = bytes[(cursor + 1)..<(offset + length - 1)]
            if let equals = record.firstIndex(of: UInt8(ascii: "=")) {
                records[string(record[..<equals])] = String(decoding: record[(equals + 1)...], as: UTF8.self)
            }
            offset += length
        }
        return records
    }
}

/// A tar archive indexed for reading members by name, without loading it: `docker save` output.
public struct TarArchive: Sendable {
    /// A member and where its content is in the store.
    public struct Member: Sendable {
        public let entry: TarEntry
        public let contentOffsets: Range<Int>
    }

    public let store: ByteStore
    public let members: [Member]
    let source: String

    /// Reads the member headers; `source` names the archive in errors.
    public init(store: ByteStore, source: String) throws(ImageInputError) {
        self.store = store
        self.source = source
        var reader = TarReader(StoreRegionStream(store: store, range: 0..<store.count, source: source), source: source)
        var members: [Member] = []
        while let entry = try reader.next() {
            guard entry.size <= store.count - reader.position else {
                throw ImageInputError(source: source, message: "member \(entry.number): \(entry.size) bytes of content run past the end of the archive")
            }
            members.append(Member(entry: entry, contentOffsets: reader.position..<(reader.position + entry.size)))
        }
        self.members = members
    }

    /// The contents of the regular file at `path` (a leading `./` ignored), refused past `limit` bytes.
    public func contents(of path: String, limit: Int = 64 << 20) throws(ImageInputError) -> [UInt8]? {
        let wanted = Self.normalized(path)
        guard let member = members.first(where: { Self.normalized($0.entry.path) == wanted && $0.entry.isRegularFile }) else { return nil }
        guard member.entry.size <= limit else {
            throw ImageInputError(source: source, message: "member \(member.entry.number): \(path) has \(member.entry.size) bytes, more than the \(limit) expected")
        }
        return Array(try store.read(member.contentOffsets, source: source))
    }

    /// The content of the regular file at `path` as a stream, or nil when there is none.
    func stream(of path: String) -> (StoreRegionStream, size: Int)? {
        let wanted = Self.normalized(path)
        guard let member = members.first(where: { Self.normalized($0.entry.path) == wanted && $0.entry.isRegularFile }) else { return nil }
        return (StoreRegionStream(store: store, range: member.contentOffsets, source: source), member.entry.size)
    }

    /// A member path without leading `./` or `/` and trailing `/`, as layers and manifests are compared.
    public static func normalized(_ path: String) -> String {
        var path = Substring(path)
        while path.hasPrefix("./") || path.hasPrefix("/") { path = path.hasPrefix("/") ? path.dropFirst() : path.dropFirst(2) }
        while path.hasSuffix("/") { path = path.dropLast() }
        return String(path)
    }
}

/// A layer's bytes as read from the archive: as stored, or gunzipped within the archive's inflation limit.
public enum LayerStream: ByteStream {
    case plain(StoreRegionStream)
    case gzip(GzipStream<StoreRegionStream>)

    public mutating func read(_ maximum: Int) throws(ImageInputError) -> ArraySlice<UInt8> {
        switch self {
        case .plain(var stream):
            let bytes = try stream.read(maximum)
            self = .plain(stream)
            return bytes
        case .gzip(var stream):
            let bytes = try stream.read(maximum)
            self = .gzip(stream)
            return bytes
        }
    }

    public mutating func skip(_ count: Int) throws(ImageInputError) -> Int {
        switch self {
        case .plain(var stream):
            let skipped = try stream.skip(count)
            self = .plain(stream)
            return skipped
        case .gzip(var stream):
            let skipped = try stream.skip(count)
            self = .gzip(stream)
            return skipped
        }
    }
}

/// A `docker save` archive: the image's metadata and its layers, oldest first.
public struct ImageArchive: Sendable {
    public let metadata: ImageMetadata
    /// Archive member paths of the layer blobs, oldest first.
    public let layerPaths: [String]
    /// How far a compressed layer may inflate.
    public var inflationLimit: InflationLimit
    private let archive: TarArchive
    private let source: String

    /// An archive held in memory.
    public init(bytes: [UInt8], source: String, inflationLimit: InflationLimit = .standard) throws(ImageInputError) {
        try self.init(store: .memory(bytes), source: source, inflationLimit: inflationLimit)
    }

    /// Reads the legacy layout (`manifest.json`) or the OCI layout (`index.json`).
    public init(store: ByteStore, source: String, inflationLimit: InflationLimit = .standard) throws(ImageInputError) {
        let archive = try TarArchive(store: store, source: source)
        self.archive = archive
        self.source = source
        self.inflationLimit = inflationLimit
        var configPath: String?
        var repoTags: [String] = []
        var layers: [String] = []
        if let manifestBytes = try archive.contents(of: "manifest.json") {
            guard let manifests = (try? JSONValue.parse(manifestBytes))?.array, let first = manifests.first, first.members != nil else {
                throw ImageInputError(source: source, message: "manifest.json is not a docker save manifest")
            }
            configPath = first["Config"]?.string
            repoTags = first["RepoTags"]?.strings ?? []
            layers = first["Layers"]?.strings ?? []
        } else if let indexBytes = try archive.contents(of: "index.json") {
            (configPath, layers) = try Self.ociManifest(archive, index: indexBytes, source: source)
        } else {
            throw ImageInputError(source: source, message: "not an image archive: no manifest.json or index.json (expected docker save output)")
        }
        guard let configPath, let configBytes = try archive.contents(of: configPath) else {
            throw ImageInputError(source: source, message: "the image config named by the archive's manifest is missing")
        }
        var metadata = try ImageMetadataDecoder.decodeImageConfigBlob(configBytes, source: "\(source):\(configPath)")
        metadata.reference = repoTags.first ?? ""
        metadata.id = "sha256:" + SHA256.hexDigest(configBytes)
        self.metadata = metadata
        layerPaths = layers
    }

    /// Layer `index` (oldest first), decompressed as it is read when it is gzip.
    public func layerStream(_ index: Int) throws(ImageInputError) -> LayerStream {
        guard index >= 0, index < layerPaths.count, let (stream, size) = archive.stream(of: layerPaths[index]) else {
            throw ImageInputError(source: source, message: "layer \(index + 1) is missing from the archive")
        }
        let name = "\(source): layer \(index + 1)"
        var probe = stream
        let magic = try probe.read(2)
        guard Inflate.isGzip(magic) else { return .plain(stream) }
        return .gzip(GzipStream(stream, limit: inflationLimit, compressedSize: size, source: name))
    }

    /// Layer `index` (oldest first) as a tar reader.
    public func layer(_ index: Int) throws(ImageInputError) -> TarReader<LayerStream> {
        TarReader(try layerStream(index), source: "\(source): layer \(index + 1)")
    }

    private static func ociManifest(_ archive: TarArchive, index: [UInt8], source: String) throws(ImageInputError) -> (String?, [String]) {
        func blobPath(_ digest: String) -> String { "blobs/" + digest.replacing(":", with: "/") }
        guard let object = try? JSONValue.parse(index), let manifests = object["manifests"]?.array, var descriptor = manifests.first else {
            throw ImageInputError(source: source, message: "index.json is not an OCI image index")
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
        throw ImageInputError(source: source, message: "the OCI index names no image manifest the archive holds")
    }
}
