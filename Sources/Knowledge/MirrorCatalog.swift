import Support
/// One package mirror's URL patterns per ecosystem (built in from shared/data/mirrors.tsv).
public struct PackageMirror: Sendable {
    public struct Entry: Sendable {
        /// `ubuntu`, `debian`, `pypi`, `conda-forge`, `miniforge`, `npm`, …
        public let ecosystem: String
        public let originalURL: String
        public let replacementURL: String
    }

    /// `tuna`, `aliyun`, `ustc`, `163`, `huawei` or `tencent`.
    public let name: String
    public let entries: [Entry]

    /// The mirror's host names.
    public let hosts: Set<String>

    init(name: String, entries: [Entry]) {
        self.name = name
        self.entries = entries
        hosts = Set(entries.map { hostOf($0.replacementURL) })
    }

    /// The replacement URL for an ecosystem; a family name (`conda`) falls back to its first member (`conda-defaults`).
    public func replacementURL(for ecosystem: String) -> String? {
        (entries.first { $0.ecosystem == ecosystem } ?? entries.first { $0.ecosystem.hasPrefix(ecosystem + "-") })?.replacementURL
    }
}

/// The known mirrors and the upstream hosts they replace.
public struct MirrorCatalog: Sendable {
    public static let shared = MirrorCatalog()

    public let mirrors: [PackageMirror]

    init() {
        var entriesByMirror: [(String, [PackageMirror.Entry])] = []
        for line in MirrorData.rows.utf8.split(separator: UInt8(ascii: "\n")) {
            let fields = line.split(separator: UInt8(ascii: " ")).map { String(decoding: $0, as: UTF8.self) }
            guard fields.count == 4 else { continue }
            let entry = PackageMirror.Entry(ecosystem: fields[1], originalURL: fields[2], replacementURL: fields[3])
            if let index = entriesByMirror.firstIndex(where: { $0.0 == fields[0] }) {
                entriesByMirror[index].1.append(entry)
            } else {
                entriesByMirror.append((fields[0], [entry]))
            }
        }
        mirrors = entriesByMirror.map { PackageMirror(name: $0.0, entries: $0.1) }
        upstreamHosts = Set(mirrors.flatMap { $0.entries.map { hostOf($0.originalURL) } })
    }

    /// The names a user may choose (`none` means upstream).
    public var names: [String] { mirrors.map(\.name) }

    public func mirror(named name: String) -> PackageMirror? {
        mirrors.first { $0.name == name.lowercased() }
    }

    /// The mirror serving a host, if it is a known one.
    public func mirror(servingHost host: String) -> PackageMirror? {
        let host = host.lowercased()
        return mirrors.first { $0.hosts.contains(host) }
    }

    /// Upstream hosts the mirrors stand in for (archive.ubuntu.com, pypi.org, …).
    public let upstreamHosts: Set<String>
}

/// The host of a URL (`https://mirrors.aliyun.com/ubuntu` → `mirrors.aliyun.com`).
public func hostOf(_ url: String) -> String {
    let bytes = Array(url.utf8)
    var start = 0
    if let colon = bytes.firstIndex(of: UInt8(ascii: ":")), colon + 2 < bytes.count,
       bytes[colon + 1] == UInt8(ascii: "/"), bytes[colon + 2] == UInt8(ascii: "/") {
        start = colon + 3
    }
    var end = start
    while end < bytes.count && bytes[end] != UInt8(ascii: "/") && bytes[end] != UInt8(ascii: ":") { end += 1 }
    return String(decoding: bytes[start..<end], as: UTF8.self).asciiLowercased()
}
