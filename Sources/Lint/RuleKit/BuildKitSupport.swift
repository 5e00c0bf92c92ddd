import Support
import DockerfileSyntax

/// Helpers shared by BuildKit's checks.
enum BuildKitSupport {
    /// Build arguments BuildKit defines itself (platforms and proxies).
    static let predefinedArguments: Set<String> = [
        "BUILDPLATFORM", "BUILDOS", "BUILDARCH", "BUILDVARIANT", "TARGETPLATFORM", "TARGETOS", "TARGETARCH", "TARGETVARIANT",
        "TARGETSTAGE", "BUILDKIT_SYNTAX", "HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "https_proxy", "FTP_PROXY", "ftp_proxy",
        "NO_PROXY", "no_proxy", "ALL_PROXY", "all_proxy", "BUILDKIT_CONTEXT_KEEP_GIT_DIR", "BUILDKIT_INLINE_CACHE",
        "BUILDKIT_MULTI_PLATFORM", "BUILDKIT_SANDBOX_HOSTNAME", "SOURCE_DATE_EPOCH",
    ]

    /// Variables base images commonly set. BuildKit reads them from the base image's config; offline dockerkit
    /// assumes these, so `ENV PATH=$PATH:/x` is not reported.
    static let commonBaseImageVariables: Set<String> = [
        "PATH", "HOME", "HOSTNAME", "LANG", "LANGUAGE", "LC_ALL", "TERM", "USER", "PWD", "SHELL", "LD_LIBRARY_PATH",
        "LIBRARY_PATH", "PYTHONPATH", "JAVA_HOME", "GOPATH", "GOROOT", "CARGO_HOME", "RUSTUP_HOME", "NODE_VERSION",
        "YARN_VERSION", "PYTHON_VERSION", "PYTHON_PIP_VERSION", "GPG_KEY", "JAVA_VERSION", "GOLANG_VERSION", "RUBY_VERSION",
        "CUDA_VERSION", "NV_CUDA_LIB_VERSION", "NVIDIA_VISIBLE_DEVICES", "NVIDIA_DRIVER_CAPABILITIES", "NVIDIA_REQUIRE_CUDA",
        "CUDNN_VERSION", "NCCL_VERSION", "CONDA_DIR", "MAVEN_HOME", "GRADLE_HOME", "PHP_INI_DIR", "NGINX_VERSION",
    ]

    /// The closest candidate within a small edit distance (BuildKit's "did you mean"), compared without case.
    static func suggestion(for name: String, among candidates: some Sequence<String>) -> String? {
        var best: (String, Int)?
        let target = name.lowerCasedName()
        let length = target.unicodeScalars.count
        for candidate in candidates where candidate != name {
            // Names are ASCII identifiers in practice: the byte count bounds the scalar count without decoding, and
            // is the scalar count of an ASCII name (one that also keeps its length when lower-cased).
            let bytes = candidate.utf8.count
            guard bytes >= length - max(1, length / 3) else { continue }
            if bytes - length > max(1, length / 3), candidate.utf8.allSatisfy({ $0 < 0x80 }) { continue }
            let other = candidate.lowerCasedName()
            let otherLength = other.unicodeScalars.count
            guard abs(otherLength - length) <= max(1, length / 3) else { continue }
            let allowed = max(1, min(length, otherLength) / 3)
            // Counting stops past what is allowed.
            let distance = editDistance(target, other, limit: allowed + 1)
            guard distance <= allowed else { continue }
            // Ties go to the first name in byte order, so the message does not depend on set order.
            if let current = best, distance > current.1 || (distance == current.1 && candidate >= current.0) { continue }
            best = (candidate, distance)
        }
        return best?.0
    }

    /// Names referenced with `$NAME` or `${NAME…}` in a word, unexpanded (quotes and escapes honoured).
    static func referencedVariables(in word: String, escapeToken: UInt8) -> Set<String> {
        var word = word
        guard word.withUTF8({ $0.contains(UInt8(ascii: "$")) }) else { return [] }
        var expander = ShellWordExpander(escapeToken: Unicode.Scalar(escapeToken))
        expander.leavesUnsetVariables = true
        guard let result = try? expander.expand(word, environment: [:]) else { return [] }
        return result.unmatched
    }
}


