import Support
import DockerfileSyntax

/// BuildKit check FromPlatformFlagConstDisallowed.
struct FromPlatformFlagConstDisallowedCheck: LintRule {
    static let description = RuleDescription(
        code: "FromPlatformFlagConstDisallowed", origin: .buildkit, category: .images, name: "from-platform-flag-const-disallowed", severity: .warning,
        summary: "FROM --platform flag should not use a constant value",
        rationale: "BuildKit reports this check during builds; dockerkit reports it offline, before the build.",
        documentation: "https://docs.docker.com/go/dockerfile/rule/from-platform-flag-const-disallowed/",
        triggeringExamples: ["↓FROM --platform=linux/amd64 alpine AS base\nRUN apk add --no-cache git\n"],
        nonTriggeringExamples: ["FROM alpine AS base\nRUN apk add --no-cache git\n", "FROM --platform=${BUILDPLATFORM} alpine AS base\nRUN apk add --no-cache git\n", "FROM --platform=linux/amd64 alpine AS build_amd64\nFROM --platform=linux/arm64 alpine AS build_arm64\nFROM build_${TARGETARCH} AS build\n"])

    func check(_ file: LintedFile) -> [Finding] {
        file.stages.compactMap { stage -> Finding? in
            guard let platform = stage.from.platform?.value, !platform.contains("$") else { return nil }
            let parts = platform.split(separator: "/").map(String.init)
            guard parts.count >= 2 else { return nil }
            let name = stage.name ?? ""
            if name.contains(parts[0]) || name.contains(parts[1]) { return nil }
            return finding("FROM --platform flag should not use constant value \(Quoting.go(platform))", at: stage.from.instruction.keyword.range)
        }
    }
}
