import Foundation

/// A minimal reader of tar archives (ustar, GNU long names, pax path records), enough for `docker save` output.
public struct TarArchive: Sendable {
    /// One archive member.
    public struct Entry: Sendable {
        public let path: String
        /// `0` regular file, `5` directory, `2` symlink, `1` hard link, …
        public let type: UInt8
        public let mode: Int
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
                entries.append(Entry(path: path, type: type == 0 ? UInt8(ascii: "0") : type, mode: Self.octal(header, 100, 8), linkTarget: link, contentOffsets: content))
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

    static func normalized(_ path: String) -> String {
        var path = Substring(path)
        while path.hasPrefix("./") { path = path.dropFirst(2) }
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

/// Reads `docker save` output: the legacy layout (`manifest.json`) and the OCI layout (`index.json`).
public enum ImageArchiveReader {
    public static func read(_ bytes: [UInt8], source: String) throws(ImageInputError) -> ImageMetadata {
        let archive = try TarArchive(bytes: bytes, source: source)
        var configPath: String?
        var repoTags: [String] = []
        if let manifestBytes = archive.contents(of: "manifest.json") {
            guard let manifests = try? JSONSerialization.jsonObject(with: Data(manifestBytes)) as? [[String: Any]], let first = manifests.first else {
                throw ImageInputError(source: source, message: "manifest.json is not a docker save manifest")
            }
            configPath = first["Config"] as? String
            repoTags = first["RepoTags"] as? [String] ?? []
        } else if let indexBytes = archive.contents(of: "index.json") {
            configPath = try ociConfigPath(archive, index: indexBytes, source: source)
        } else {
            throw ImageInputError(source: source, message: "not an image archive: no manifest.json or index.json (expected docker save output)")
        }
        guard let configPath, let configBytes = archive.contents(of: configPath) else {
            throw ImageInputError(source: source, message: "the image config named by the archive's manifest is missing")
        }
        var metadata = try ImageMetadataDecoder.decodeImageConfigBlob(configBytes, source: "\(source):\(configPath)")
        metadata.reference = repoTags.first ?? ""
        let digest = (configPath as NSString).lastPathComponent.replacingOccurrences(of: ".json", with: "")
        metadata.id = "sha256:" + digest
        return metadata
    }

    private static func ociConfigPath(_ archive: TarArchive, index: [UInt8], source: String) throws(ImageInputError) -> String? {
        func blobPath(_ digest: String) -> String { "blobs/" + digest.replacingOccurrences(of: ":", with: "/") }
        guard let object = try? JSONSerialization.jsonObject(with: Data(index)) as? [String: Any],
              let manifests = object["manifests"] as? [[String: Any]], var descriptor = manifests.first else {
            throw ImageInputError(source: source, message: "index.json is not an OCI image index")
        }
        // An index may point at another index (multi-platform); follow it to the first image manifest.
        for _ in 0..<4 {
            guard let digest = descriptor["digest"] as? String, let blob = archive.contents(of: blobPath(digest)),
                  let manifest = try? JSONSerialization.jsonObject(with: Data(blob)) as? [String: Any] else { return nil }
            if let config = manifest["config"] as? [String: Any], let configDigest = config["digest"] as? String {
                return blobPath(configDigest)
            }
            guard let nested = (manifest["manifests"] as? [[String: Any]])?.first else { return nil }
            descriptor = nested
        }
        return nil
    }
}
