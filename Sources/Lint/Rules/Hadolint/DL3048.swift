import DockerfileSyntax

/// DL3048: invalid label key.
struct LabelKeyRule: LintRule {
    let description = RuleDescription(
        code: "DL3048", name: "label-key", severity: .style,
        summary: "Invalid label key.",
        rationale: "Label keys should be lower-case reverse-DNS names without reserved namespaces.",
        documentation: "https://github.com/hadolint/hadolint/wiki/DL3048",
        triggeringExamples: ["FROM debian:12\n↓LABEL Maintainer=x\n"],
        nonTriggeringExamples: ["FROM debian:12\nLABEL org.opencontainers.image.title=x\n"])

    static func isValid(_ key: String) -> Bool {
        let valid = Set("0123456789abcdefghijklmnopqrstuvwxyz.-_/")
        guard let first = key.first, let last = key.last, first.isLowercase, first.isASCII,
              (last.isLowercase || last.isNumber), last.isASCII else { return false }
        if key.contains(where: { !valid.contains($0) }) { return false }
        if ["com.docker.", "io.docker.", "org.dockerproject."].contains(where: { key.hasPrefix($0) }) { return false }
        return !key.contains("..") && !key.contains("--")
    }

    func check(_ file: LintedFile) -> [Finding] {
        reportInstructions(in: file) { instruction in
            guard instruction.kind == .label, let label = KeyValueInstruction(instruction) else { return false }
            return label.pairs.contains { !Self.isValid($0.key.text) }
        }
    }
}
