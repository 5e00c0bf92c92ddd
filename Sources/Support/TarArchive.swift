import FoundationEssentials

/// One tar archive member's header.
package struct TarEntry: Sendable {
    /// The path as the archive names it (a pax `path`, a GNU long name, or the ustar prefix and name).
    package let path: String
    /// `0` regular file, `5` directory, `2` symlink, `1` hard link, …
    package let type: UInt8
    package let mode: Int
    package let uid: Int
    package let gid: Int
    package let linkTarget: String
    /// The content's size in bytes.
    package let size: Int
    /// 1-based position among the archive's members (extension headers counted), for error messages.
    package let number: Int

    package var isRegularFile: Bool { type == UInt8(ascii: "0") || type == UInt8(ascii: "7") }
    package var isDirectory: Bool { type == UInt8(ascii: "5") }
    package var isSymbolicLink: Bool { type == UInt8(ascii: "2") }
    package var isHardLink: Bool { type == UInt8(ascii: "1") }
}

/// Reads a tar archive (ustar, GNU long names and base-256 numbers, pax records) member by member from a byte
/// stream, so that neither the archive nor a member has to fit in memory. Every size is checked before use.
package struct TarReader<Stream: ByteStream> {
    private var stream: Stream
    private let source: String
    /// Bytes consumed from the stream so far.
    package private(set) var position = 0
    private var remaining = 0
    private var padding = 0
    private var memberNumber = 0
    private var isFinished = false

    /// Extension records (long names, pax) are metadata: more than this is not a real archive.
    static var extensionLimit: Int { 1 << 20 }

    package init(_ stream: Stream, source: String) {
        self.stream = stream
        self.source = source
    }

    /// The next member, after passing over what is left of the current one; nil at the end of the archive.
    package mutating func next() throws(InputError) -> TarEntry? {
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
    package mutating func readContent(_ maximum: Int = 1 << 16) throws(InputError) -> ArraySlice<UInt8> {
        guard remaining > 0 else { return [] }
        let chunk = try stream.read(min(maximum, remaining))
        guard !chunk.isEmpty else { throw failure("runs past the end of the archive") }
        remaining -= chunk.count
        position += chunk.count
        return chunk
    }

    /// The current member's whole content, refused past `limit` bytes.
    package mutating func readAllContent(limit: Int) throws(InputError) -> [UInt8] {
        guard remaining <= limit else { throw failure("member of \(remaining) bytes is larger than the \(limit) expected") }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(remaining)
        while true {
            let chunk = try readContent()
            if chunk.isEmpty { return bytes }
            bytes.append(contentsOf: chunk)
        }
    }

    private mutating func skipRest() throws(InputError) {
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

    private mutating func skipPadding(after size: Int) throws(InputError) {
        let count = Self.paddingLength(size)
        position += try stream.skip(count)
    }

    private static func paddingLength(_ size: Int) -> Int { (512 - size % 512) % 512 }

    /// A 512-byte header, or nil at the end (a zero block or no more bytes).
    private mutating func readHeader() throws(InputError) -> [UInt8]? {
        var header: [UInt8] = []
        while header.count < 512 {
            let chunk = try stream.read(512 - header.count)
            if chunk.isEmpty { break }
            header.append(contentsOf: chunk)
        }
        position += header.count
        if header.isEmpty { return nil }
        guard header.count == 512 else { throw InputError(source: source, message: "member \(memberNumber + 1): truncated header at the end of the archive") }
        return header.allSatisfy({ $0 == 0 }) ? nil : header
    }

    private mutating func readExactly(_ count: Int) throws(InputError) -> [UInt8] {
        var bytes: [UInt8] = []
        while bytes.count < count {
            let chunk = try stream.read(count - bytes.count)
            guard !chunk.isEmpty else { throw failure("runs past the end of the archive") }
            bytes.append(contentsOf: chunk)
        }
        position += count
        return bytes
    }

    private func failure(_ message: String) -> InputError {
        InputError(source: source, message: "member \(memberNumber): \(message)")
    }

    /// A numeric field: octal text, or GNU base-256 (first byte's high bit set). Out of range is an error.
    private func number(_ header: [UInt8], _ at: Int, _ length: Int, field: String) throws(InputError) -> Int {
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
    private static func paxRecords(_ bytes: [UInt8], failure: (String) -> InputError) throws(InputError) -> [String: String] {
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
package struct TarArchive: Sendable {
    /// A member and where its content is in the store.
    package struct Member: Sendable {
        package let entry: TarEntry
        package let contentOffsets: Range<Int>
    }

    package let store: ByteStore
    package let members: [Member]
    let source: String

    /// Reads the member headers; `source` names the archive in errors.
    package init(store: ByteStore, source: String) throws(InputError) {
        self.store = store
        self.source = source
        var reader = TarReader(StoreRegionStream.whole(store, source: source), source: source)
        var members: [Member] = []
        while let entry = try reader.next() {
            guard entry.size <= store.count - reader.position else {
                throw InputError(source: source, message: "member \(entry.number): \(entry.size) bytes of content run past the end of the archive")
            }
            members.append(Member(entry: entry, contentOffsets: reader.position..<(reader.position + entry.size)))
        }
        self.members = members
    }

    /// The contents of the regular file at `path` (a leading `./` ignored), refused past `limit` bytes.
    package func contents(of path: String, limit: Int = 64 << 20) throws(InputError) -> [UInt8]? {
        guard let member = regularFile(at: path) else { return nil }
        guard member.entry.size <= limit else {
            throw InputError(source: source, message: "member \(member.entry.number): \(path) has \(member.entry.size) bytes, more than the \(limit) expected")
        }
        return Array(try store.read(member.contentOffsets, source: source))
    }

    /// The content of the regular file at `path` as a stream, or nil when there is none.
    package func stream(of path: String) -> (StoreRegionStream, size: Int)? {
        guard let member = regularFile(at: path) else { return nil }
        return (StoreRegionStream(store: store, range: member.contentOffsets, source: source), member.entry.size)
    }

    /// The regular file at `path`, compared as `normalized` paths. `docker save` writes a layer that appears twice
    /// once, and the second as a symlink to it (`../<id>/layer.tar`): links inside the archive are followed, a few at
    /// most, and never above its root.
    private func regularFile(at path: String) -> Member? {
        var wanted = Self.normalized(path)
        for _ in 0..<8 {
            guard let member = members.first(where: { Self.normalized($0.entry.path) == wanted }) else { return nil }
            if member.entry.isRegularFile { return member }
            guard member.entry.type == UInt8(ascii: "2"), !member.entry.linkTarget.hasPrefix("/") else { return nil }
            var components = wanted.split(separator: "/").dropLast().map(String.init)
            for part in member.entry.linkTarget.split(separator: "/") {
                if part == "." || part.isEmpty { continue }
                if part == ".." {
                    guard !components.isEmpty else { return nil }
                    components.removeLast()
                } else {
                    components.append(String(part))
                }
            }
            wanted = components.joined(separator: "/")
        }
        return nil
    }

    /// A member path without leading `./` or `/` and trailing `/`, as layers and manifests are compared.
    package static func normalized(_ path: String) -> String {
        var path = Substring(path)
        while path.hasPrefix("./") || path.hasPrefix("/") { path = path.hasPrefix("/") ? path.dropFirst() : path.dropFirst(2) }
        while path.hasSuffix("/") { path = path.dropLast() }
        return String(path)
    }
}

/// A layer's bytes as read from the archive: as stored, or gunzipped within the archive's inflation limit.
package enum LayerStream: ByteStream {
    case plain(StoreRegionStream)
    case gzip(GzipStream<StoreRegionStream>)

    package mutating func read(_ maximum: Int) throws(InputError) -> ArraySlice<UInt8> {
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

    package mutating func skip(_ count: Int) throws(InputError) -> Int {
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
