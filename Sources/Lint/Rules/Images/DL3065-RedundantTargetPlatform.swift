import DockerfileSyntax

/// DL3065 (BuildKit: RedundantTargetPlatform): `FROM --platform=$TARGETPLATFORM`.
struct RedundantTargetPlatformRule: LintRule {
    static let description = RuleDescription(
        code: "DL3065", origin: .hadolint, category: .images, name: "redundant-target-platform", severity: .warning,
        summary: "Setting `FROM --platform` to predefined `$TARGETPLATFORM` in is redundant as this is the default behavior",
        rationale: "The target platform is the default.",
        documentation: "https://github.com/hadolint/hadolint/wiki/DL3065",
        triggeringExamples: ["↓FROM --platform=$TARGETPLATFORM debian:12\n", "↓FROM --platform=${TARGETPLATFORM} alpine AS builder\n"],
        nonTriggeringExamples: ["FROM --platform=$BUILDPLATFORM debian:12\n"],
        aliases: ["RedundantTargetPlatform"])

    func check(_ file: LintedFile) -> [Finding] {
        file.stages.compactMap { stage -> Finding? in
            guard let platform = stage.from.platform?.value, platform == "$TARGETPLATFORM" || platform == "${TARGETPLATFORM}" else { return nil }
            return finding("Setting platform to predefined \(platform) in FROM is redundant as this is the default behavior", at: stage.from.instruction.keyword.range)
        }
    }
}
