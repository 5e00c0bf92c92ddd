import DockerfileSyntax
import Support

/// DK503: ADD of a URL without --checksum, or of a git repository without a pinned commit.
struct RemoteAddUnverifiedRule: LintRule {
    static let scope = RuleScope.instruction
    static let description = RuleDescription(
        code: "DK503", origin: .dockerkit, category: .security, name: "remote-add-unverified", severity: .warning,
        summary: "ADD fetches from the network without pinning what it gets",
        rationale: """
            `ADD https://…` takes whatever the server returns; `--checksum=sha256:…` (BuildKit, Dockerfile 1.6+) makes \
            the build fail when it changes. A git source should name a commit (`…git#<40-hex commit>`), not a branch. \
            Corpus count and hand-checked sample: docs/rules.md.
            """,
        documentation: "https://github.com/dockerkit/dockerkit/blob/main/docs/rules/DK503.md",
        triggeringExamples: [
            "FROM debian:12\nADD ↓https://example.com/tool.tar.gz /opt/\n",
            "FROM debian:12\nADD ↓https://github.com/moby/buildkit.git#v0.12.0 /src\n",
            "FROM debian:12\nADD ↓git@github.com:moby/buildkit.git /src\n",
        ],
        nonTriggeringExamples: [
            "FROM debian:12\nADD --checksum=sha256:24454f830cdb571e2c4ad15481119c43b3cafd48dd869a9b2945d1036d1dc68d https://example.com/tool.tar.gz /opt/\n",
            "FROM debian:12\nADD https://github.com/moby/buildkit.git#a9f94ef8b53e2da6f0d1b5c5c3c0c6ab2b2c5a1e /src\n",
            "FROM debian:12\nADD tool.tar.gz /opt/\n",
            "FROM debian:12\nADD https://api.github.com/repos/o/r/git/refs/heads/main /.git-hashref\n",
            "FROM debian:12\nADD https://github.com/krallin/tini/releases/download/v0.19.0/tini.asc /tini.asc\n",
        ])

    static func isGitSource(_ source: String) -> Bool {
        let repository = source.split(separator: "#").first.map { $0.split(separator: "?").first.map(String.init) ?? "" } ?? ""
        return source.hasPrefix("git@") || source.hasPrefix("git://") || repository.hasSuffix(".git")
    }

    /// `…git#<commit>` or `…git?ref=<commit>`.
    static func isPinnedCommit(_ source: String) -> Bool {
        let reference: Substring
        if let hash = source.firstIndex(of: "#") {
            reference = source[source.index(after: hash)...].prefix { $0 != ":" }
        } else if let ref = source.utf8Offset(of: "ref=") {
            reference = source.dropFirst(ref + 4).prefix { $0 != "&" }
        } else {
            return false
        }
        return reference.count == 40 && reference.allSatisfy(\.isHexDigit)
    }

    /// Downloads whose content is meant to change or is itself a check: GitHub's ref endpoints (used to bust the
    /// build cache when a branch moves) and signature or checksum files.
    static func isExempt(_ url: String) -> Bool {
        (url.contains("api.github.com/repos/") && url.contains("/git/refs/"))
            || [".asc", ".sig", ".sha256", ".sha256sum", ".sha512", ".md5", ".gpg"].contains { url.hasSuffix($0) }
    }

    func check(_ file: LintedFile) -> [Finding] {
        var findings: [Finding] = []
        for index in file.instructionIndices(of: .add) {
            let instruction = file.instructions[index]
            guard instruction.kind == .add, let add = CopyInstruction(instruction) else { continue }
            for source in add.sources {
                let text = droppingQuotes(source.text)
                if Self.isGitSource(text) {
                    if !Self.isPinnedCommit(text) {
                        findings.append(finding("ADD of a git repository without a pinned commit (\(text)); add #<commit>", at: source.range))
                    }
                } else if (text.hasPrefix("https://") || text.hasPrefix("http://")) && instruction.flag("checksum") == nil && !Self.isExempt(text) {
                    findings.append(finding("ADD of \(text) without --checksum=sha256:…", at: source.range))
                }
            }
        }
        return findings
    }
}
