import DockerfileSyntax

/// DL3025: CMD/ENTRYPOINT in shell form.
struct JSONCommandFormRule: LintRule {
    static let description = RuleDescription(
        code: "DL3025", origin: .hadolint, category: .instructions, name: "json-command-form", severity: .warning,
        summary: "Use arguments JSON notation for CMD and ENTRYPOINT arguments",
        rationale: "In shell form the process runs under /bin/sh -c and does not get signals such as SIGTERM.",
        documentation: "https://github.com/hadolint/hadolint/wiki/DL3025",
        triggeringExamples: ["FROM debian:12\n↓CMD nginx -g 'daemon off;'\n"],
        nonTriggeringExamples: ["FROM debian:12\nCMD [\"nginx\", \"-g\", \"daemon off;\"]\n"])

    func check(_ file: LintedFile) -> [Finding] {
        reportInstructions(in: file, of: .cmd, .entrypoint, .healthcheck) { instruction in
            switch instruction.kind {
            case .cmd, .entrypoint:
                return !instruction.isJSON && !instruction.values.isEmpty
            case .healthcheck:
                return HealthcheckInstruction(instruction).map { check in
                    if case .shell = check.command { return true }
                    return false
                } ?? false
            default:
                return false
            }
        }
    }
}
