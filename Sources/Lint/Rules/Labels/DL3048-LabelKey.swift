import DockerfileSyntax

/// DL3048: invalid label key.
struct LabelKeyRule: LintRule {
    static let scope = RuleScope.instruction
    static let description = RuleDescription(
        code: "DL3048", origin: .hadolint, category: .labels, name: "label-key", severity: .style,
        summary: "Invalid label key.",
        rationale: "Label keys should be lower-case reverse-DNS names without reserved namespaces.",
        documentation: "https://github.com/hadolint/hadolint/wiki/DL3048",
        triggeringExamples: ["FROM debian:12\n↓LABEL Maintainer=x\n"],
        nonTriggeringExamples: ["FROM debian:12\nLABEL org.opencontainers.image.title=x\n"])

    /// Lower-case ASCII reverse-DNS: `[a-z0-9._/-]`, starting with a letter and ending with a letter or digit, outside
    /// Docker's reserved namespaces. Read as bytes: any non-ASCII byte makes a key invalid anyway.
    static func isValid(_ key: String) -> Bool {
        func isLetter(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z") }
        func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }
        let bytes = key.utf8
        guard let first = bytes.first, let last = bytes.last, isLetter(first), isLetter(last) || isDigit(last) else { return false }
        for byte in bytes where !(isLetter(byte) || isDigit(byte) || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "-")
                                  || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "/")) {
            return false
        }
        if key.hasPrefix("com.docker.") || key.hasPrefix("io.docker.") || key.hasPrefix("org.dockerproject.") { return false }
        return !key.contains("..") && !key.contains("--")
    }

    func check(_ file: LintedFile) -> [Finding] {
        reportInstructions(in: file, of: .label) { instruction in
            guard instruction.kind == .label, let label = KeyValueInstruction(instruction) else { return false }
            return label.pairs.contains { !Self.isValid($0.key.text) }
        }
    }
}
