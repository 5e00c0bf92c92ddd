import DockerfileSyntax

/// DK203: `ENV DEBIAN_FRONTEND=noninteractive` persists into containers.
struct DebianFrontendEnvRule: LintRule {
    static let scope = RuleScope.instruction
    static let description = RuleDescription(
        code: "DK203", origin: .dockerkit, category: .apt, name: "debian-frontend-env", severity: .style,
        summary: "DEBIAN_FRONTEND set with ENV stays set in every container; use ARG",
        rationale: """
            ENV values are part of the image: users who later run apt interactively in the container get no prompts. \
            ARG applies to the build only.
            """,
        documentation: "https://github.com/dockerkit/dockerkit/blob/main/docs/rules/DK203.md",
        triggeringExamples: [
            RuleExample("FROM debian:12\n↓ENV DEBIAN_FRONTEND=noninteractive\n", fixed: "FROM debian:12\nARG DEBIAN_FRONTEND=noninteractive\n"),
            RuleExample("FROM debian:12\n↓ENV DEBIAN_FRONTEND noninteractive\n", fixed: "FROM debian:12\nARG DEBIAN_FRONTEND=noninteractive\n"),
        ],
        nonTriggeringExamples: ["FROM debian:12\nARG DEBIAN_FRONTEND=noninteractive\n", "FROM debian:12\nENV TZ=UTC\n"],
        isFixable: true)

    func check(_ file: LintedFile) -> [Finding] {
        file.instructionIndices(of: .env, .label).compactMap { index in
            let instruction = file.instructions[index]
            guard let env = KeyValueInstruction(instruction),
                  let pair = env.pairs.first(where: { $0.key.text == "DEBIAN_FRONTEND" }) else { return nil }
            var fix: Fix?
            if env.pairs.count == 1, instruction.lines.count == 1 {
                // Rewrite the whole line as ARG NAME=value, keeping its line break.
                let value = pair.isLegacyForm ? quoteIfNeeded(pair.value.text) : pair.value.text
                let replacement = "ARG DEBIAN_FRONTEND=\(value)"
                let offsets = instruction.keyword.range.start.offset..<pair.value.range.end.offset
                fix = Fix(summary: "use ARG", edits: [TextEdit(offsets: offsets, replacement: replacement)])
            }
            return finding(description.summary, at: instruction.keyword.range, fix: fix)
        }
    }

    func quoteIfNeeded(_ value: String) -> String {
        value.contains(where: { $0 == " " || $0 == "\t" || $0 == "\"" || $0 == "'" }) ? "\"" + value.replacingAll("\"", with: "\\\"") + "\"" : value
    }
}
