import DockerfileSyntax

/// DL4000 (BuildKit: MaintainerDeprecated): MAINTAINER is deprecated.
struct MaintainerDeprecatedRule: LintRule {
    static let scope = RuleScope.instruction
    static let description = RuleDescription(
        code: "DL4000", origin: .hadolint, category: .instructions, name: "maintainer-deprecated", severity: .error,
        summary: "MAINTAINER is deprecated",
        rationale: "Use `LABEL org.opencontainers.image.authors=…` instead; MAINTAINER is ignored by modern tooling, and BuildKit warns about it during builds.",
        documentation: "https://github.com/hadolint/hadolint/wiki/DL4000",
        triggeringExamples: [RuleExample("FROM a:1\n↓MAINTAINER Jane Doe <jane@example.com>\n", fixed: "FROM a:1\nLABEL maintainer=\"Jane Doe <jane@example.com>\"\n"),
                             RuleExample("FROM alpine\n↓maintainer moby@example.com\n", fixed: "FROM alpine\nlabel maintainer=\"moby@example.com\"\n")],
        nonTriggeringExamples: ["FROM a:1\nLABEL org.opencontainers.image.authors=\"me@example.com\"\n"],
        isFixable: true, aliases: ["MaintainerDeprecated"])

    func check(_ file: LintedFile) -> [Finding] {
        file.instructionIndices(of: .maintainer).map { file.instructions[$0] }.map { finding(description.summary, at: $0.keyword.range, fix: fix($0)) }
    }

    /// `MAINTAINER x` → `LABEL maintainer="x"`; LABEL expands `$`, so it is escaped, as are quotes and backslashes.
    private func fix(_ instruction: Instruction) -> Fix? {
        guard instruction.trigger == nil, instruction.lines.count == 1, let value = instruction.values.first?.text, instruction.values.count == 1,
              let arguments = instruction.arguments else { return nil }
        var escaped = ""
        for character in value {
            if character == "\"" || character == "\\" || character == "$" { escaped.append("\\") }
            escaped.append(character)
        }
        let keyword = instruction.keyword.text == instruction.keyword.text.lowercased() ? "label" : "LABEL"
        return Fix(summary: "use LABEL maintainer", edits: [TextEdit(offsets: instruction.keyword.range.start.offset..<arguments.range.end.offset,
                                                                    replacement: "\(keyword) maintainer=\"\(escaped)\"")])
    }
}
