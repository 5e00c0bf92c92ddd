import DockerfileSyntax

/// BuildKit check RedundantTargetPlatform.
struct RedundantTargetPlatformCheck: LintRule {
    static let description = RuleDescription(
        code: "RedundantTargetPlatform", origin: .buildkit, category: .images, name: "redundant-target-platform", severity: .warning,
        summary: "Setting platform to predefined $TARGETPLATFORM in FROM is redundant as this is the default behavior",
        rationale: "BuildKit reports this check during builds; dockerkit reports it offline, before the build.",
        documentation: "https://docs.docker.com/go/dockerfile/rule/redundant-target-platform/",
        triggeringExamples: ["↓FROM --platform=$TARGETPLATFORM alpine AS builder\nRUN apk add --no-cache git\n"],
        nonTriggeringExamples: ["FROM alpine AS builder\nRUN apk add --no-cache git\n"])

    func check(_ file: LintedFile) -> [Finding] {
        file.stages.compactMap { stage -> Finding? in
            guard let platform = stage.from.platform?.value, platform == "$TARGETPLATFORM" || platform == "${TARGETPLATFORM}" else { return nil }
            return finding("Setting platform to predefined \(platform) in FROM is redundant as this is the default behavior", at: stage.from.instruction.keyword.range)
        }
    }
}
