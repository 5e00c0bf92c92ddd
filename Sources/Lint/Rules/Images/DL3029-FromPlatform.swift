import DockerfileSyntax

/// DL3029: FROM --platform with a constant.
struct FromPlatformRule: LintRule {
    static let scope = RuleScope.instruction
    static let description = RuleDescription(
        code: "DL3029", origin: .hadolint, category: .images, name: "from-platform", severity: .warning,
        summary: "Do not use --platform flag with FROM",
        rationale: "A fixed platform breaks multi-platform builds; use $BUILDPLATFORM or $TARGETPLATFORM.",
        documentation: "https://github.com/hadolint/hadolint/wiki/DL3029",
        triggeringExamples: ["↓FROM --platform=linux/amd64 debian:12\n"],
        nonTriggeringExamples: ["FROM --platform=$BUILDPLATFORM debian:12\n"])

    func check(_ file: LintedFile) -> [Finding] {
        reportInstructions(in: file, of: .from) { instruction in
            guard instruction.kind == .from, let platform = instruction.flag("platform")?.value else { return false }
            return !(platform.contains("BUILDPLATFORM") || platform.contains("TARGETPLATFORM"))
        }
    }
}
