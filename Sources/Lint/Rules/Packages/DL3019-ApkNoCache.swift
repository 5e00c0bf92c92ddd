import DockerfileSyntax

/// DL3019: apk add without --no-cache.
struct ApkNoCacheRule: LintRule {
    static let scope = RuleScope.instruction
    static let description = RuleDescription(
        code: "DL3019", origin: .hadolint, category: .packages, name: "apk-no-cache", severity: .info,
        summary: "Use the `--no-cache` switch to avoid the need to use `--update` and remove `/var/cache/apk/*` when done installing packages",
        rationale: "The apk index stays in the layer otherwise.",
        documentation: "https://github.com/hadolint/hadolint/wiki/DL3019",
        triggeringExamples: ["FROM alpine:3.20\n↓RUN apk add curl=8.9.0-r0\n"],
        nonTriggeringExamples: ["FROM alpine:3.20\nRUN apk add --no-cache curl=8.9.0-r0\n"])

    func check(_ file: LintedFile) -> [Finding] {
        file.runInstructionIndices(running: ["apk"]).compactMap { index in
            if hasCacheMount(file.effectiveInstruction(index), containing: "/var/cache/apk") { return nil }
            guard let located = file.commands(of: index).first(where: {
                $0.command.isCommand("apk", withAnyArgument: ["add"]) && !$0.command.hasFlag("no-cache")
            }) else { return nil }
            return finding(description.summary, at: file.instructionRange(through: located))
        }
    }
}
