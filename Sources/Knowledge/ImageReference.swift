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
        var rest = Substring(text)
        var digest: String?
        if let at = rest.firstIndex(of: "@") {
            digest = String(rest[rest.index(after: at)...])
            rest = rest[..<at]
        }
        var tag: String?
        if let colon = rest.lastIndex(of: ":"), !rest[colon...].utf8.contains(UInt8(ascii: "/")) {
            tag = String(rest[rest.index(after: colon)...])
            rest = rest[..<colon]
        }
        var registry: String?
        if let slash = rest.firstIndex(of: "/") {
            let first = rest[..<slash]
            if first.utf8.contains(UInt8(ascii: ".")) || first.utf8.contains(UInt8(ascii: ":")) || first == "localhost" {
                registry = String(first)
                rest = rest[rest.index(after: slash)...]
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
