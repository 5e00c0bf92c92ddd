import DockerfileSyntax

/// DL3011: EXPOSE of a port outside 0–65535.
struct ValidPortRule: LintRule {
    static let scope = RuleScope.instruction
    static let description = RuleDescription(
        code: "DL3011", origin: .hadolint, category: .instructions, name: "valid-port", severity: .error,
        summary: "Valid UNIX ports range from 0 to 65535",
        rationale: "Ports above 65535 do not exist; the image cannot be run with them.",
        documentation: "https://github.com/hadolint/hadolint/wiki/DL3011",
        triggeringExamples: ["FROM debian:12\n↓EXPOSE 80000\n"],
        nonTriggeringExamples: ["FROM debian:12\nEXPOSE 8000-8010/tcp 65535\n"])

    func check(_ file: LintedFile) -> [Finding] {
        reportInstructions(in: file, of: .expose) { instruction in
            guard let expose = ExposeInstruction(instruction) else { return false }
            return expose.ports.contains { ($0.start ?? 0) > 65535 || ($0.end ?? 0) > 65535 }
        }
    }
}
