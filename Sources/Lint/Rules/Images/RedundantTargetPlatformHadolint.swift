import DockerfileSyntax

/// DL3065: FROM --platform=$TARGETPLATFORM.
struct RedundantTargetPlatformHadolintRule: LintRule {
    static let description = RuleDescription(
        code: "DL3065", origin: .hadolint, category: .images, name: "redundant-target-platform", severity: .warning,
        summary: "Setting `FROM --platform` to predefined `$TARGETPLATFORM` in is redundant as this is the default behavior",
        rationale: "The target platform is the default.",
        documentation: "https://github.com/hadolint/hadolint/wiki/DL3065",
        triggeringExamples: ["↓FROM --platform=$TARGETPLATFORM debian:12\n"],
        nonTriggeringExamples: ["FROM --platform=$BUILDPLATFORM debian:12\n"])

    func check(_ file: LintedFile) -> [Finding] {
        reportInstructions(in: file, of: .from) { instruction in
            guard instruction.kind == .from, let platform = instruction.flag("platform")?.value else { return false }
            return platform == "$TARGETPLATFORM" || platform == "${TARGETPLATFORM}"
        }
    }
}
