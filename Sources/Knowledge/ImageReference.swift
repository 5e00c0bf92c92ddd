/// An image reference split into registry, repository, tag and digest.
public struct ImageReference: Sendable, Equatable {
    public let text: String
    /// Registry host, when the reference names one (`nvcr.io`).
    public let registry: String?
    /// Repository path without registry (`nvidia/cuda`, `library/ubuntu` is given as `ubuntu`).
    public let repositoryName: String
    public let tag: String?
    public let digest: String?

    public init(_ text: String) {
        self.text = text
        // Separators are found by bytes when the text is ASCII (nearly always): by characters, every FROM of every
        // file paid for grapheme breaking at each search. Other text is searched by characters, as before, so that a
        // mark joined to a separator still keeps it from being one. A separator found is one byte either way.
        let isASCII = text.utf8.allSatisfy { $0 < 0x80 }
        func first(_ separator: UInt8, in part: Substring) -> Substring.Index? {
            isASCII ? part.utf8.firstIndex(of: separator) : part.firstIndex(of: Character(Unicode.Scalar(separator)))
        }
        func last(_ separator: UInt8, in part: Substring) -> Substring.Index? {
            isASCII ? part.utf8.lastIndex(of: separator) : part.lastIndex(of: Character(Unicode.Scalar(separator)))
        }
        var rest = Substring(text)
        var digest: String?
        if let at = first(UInt8(ascii: "@"), in: rest) {
            digest = String(rest[rest.utf8.index(after: at)...])
            rest = rest[..<at]
        }
        var tag: String?
        if let colon = last(UInt8(ascii: ":"), in: rest), !rest[colon...].utf8.contains(UInt8(ascii: "/")) {
            tag = String(rest[rest.utf8.index(after: colon)...])
            rest = rest[..<colon]
        }
        var registry: String?
        if let slash = first(UInt8(ascii: "/"), in: rest) {
            let host = rest[..<slash]
            if host.utf8.contains(UInt8(ascii: ".")) || host.utf8.contains(UInt8(ascii: ":")) || host == "localhost" {
                registry = String(host)
                rest = rest[rest.utf8.index(after: slash)...]
            }
        }
        var repository = String(rest).lowercased()
        if repository.hasPrefix("library/") && (registry == nil || registry == "docker.io") {
            repository = String(repository.dropFirst("library/".count))
        }
        if registry == "docker.io" || registry == "index.docker.io" || registry == "registry-1.docker.io" { registry = nil }
        self.registry = registry
        self.repositoryName = repository
        self.tag = tag
        self.digest = digest
    }

    /// Whether this is NVIDIA's CUDA image (Docker Hub or NGC).
    public var isNvidiaCuda: Bool {
        repositoryName == "nvidia/cuda" && (registry == nil || registry == "nvcr.io")
    }

    /// Whether this is an NVIDIA CUDA or CUDA GL image.
    public var isNvidiaCudaFamily: Bool {
        (repositoryName == "nvidia/cuda" || repositoryName == "nvidia/cudagl") && (registry == nil || registry == "nvcr.io")
    }
}
