import DockerfileSyntax

/// DL3066: non-numeric USER.
struct NumericUserRule: LintRule {
    let description = RuleDescription(
        code: "DL3066", name: "numeric-user", severity: .info,
        summary: "Non-numeric user-id may not be resolvable by host system",
        rationale: "Kubernetes' runAsNonRoot and host tools need a numeric UID to check.",
        documentation: "https://github.com/hadolint/hadolint/wiki/DL3066",
        triggeringExamples: ["FROM debian:12\n↓USER lab\n"],
        nonTriggeringExamples: ["FROM debian:12\nUSER 1000:1000\n", "FROM debian:12\nARG UID=1000\nUSER ${UID}\n"])

    func check(_ file: LintedFile) -> [Finding] {
        var arguments = Set<String>()
        return reportInstructions(in: file, of: .arg, .user) { instruction in
            if let arg = ArgInstruction(instruction) { arguments.formUnion(arg.definitions.map(\.name)) }
            guard instruction.kind == .user, let user = instruction.values.first?.text else { return false }
            let id = user.split(separator: ":", omittingEmptySubsequences: false).first.map(String.init) ?? ""
            if id.allSatisfy({ $0.isASCII && $0.isNumber }) { return false }
            return !arguments.contains { id.contains("${\($0)}") || id.contains("$" + $0) }
        }
    }
}
