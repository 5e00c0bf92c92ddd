import DockerfileSyntax

/// DL3018: apk add without pinned versions.
struct ApkPinVersionsRule: LintRule {
    static let scope = RuleScope.instruction
    static let description = RuleDescription(
        code: "DL3018", origin: .hadolint, category: .packages, name: "apk-pin-versions", severity: .warning,
        summary: "Pin versions in apk add. Instead of `apk add <package>` use `apk add <package>=<version>`",
        rationale: "Unpinned packages make the image depend on the day it was built.",
        documentation: "https://github.com/hadolint/hadolint/wiki/DL3018",
        triggeringExamples: ["FROM alpine:3.20\n↓RUN apk add --no-cache curl\n"],
        nonTriggeringExamples: ["FROM alpine:3.20\nRUN apk add --no-cache curl=8.9.0-r0\n"])

    func check(_ file: LintedFile) -> [Finding] {
        reportRuns(in: file, named: ["apk"]) { command in
            guard command.isCommand("apk", withAnyArgument: ["add"]) else { return false }
            let packages = command.nonFlagArguments(droppingValuesOf: ["t", "virtual", "repository", "X"]).map(\.value).filter { $0 != "add" }
            return !packages.allSatisfy { package in
                ["=", "~", ">", "<"].contains { package.contains($0) } || package.hasSuffix(".apk")
            }
        }
    }
}
