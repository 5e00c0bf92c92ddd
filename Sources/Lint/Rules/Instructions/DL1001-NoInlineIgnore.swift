import DockerfileSyntax

/// DL1001: inline ignore pragmas (off unless enabled).
struct NoInlineIgnoreRule: LintRule {
    static let description = RuleDescription(
        code: "DL1001", origin: .hadolint, category: .instructions, name: "no-inline-ignore", severity: .info,
        summary: "Please refrain from using inline ignore pragmas `# hadolint ignore=DLxxxx`.",
        rationale: "Some teams want every exception in the config file, where it is reviewed.",
        documentation: "https://github.com/hadolint/hadolint/wiki/DL1001",
        triggeringExamples: ["↓# hadolint ignore=DL3007\nFROM debian:latest\n"],
        nonTriggeringExamples: ["# a comment\nFROM debian:12\n"],
        isOptIn: true)

    func check(_ file: LintedFile) -> [Finding] {
        file.tree.items.compactMap { item in
            guard case .comment(let trivia) = item, Suppressions.mayBePragma(at: trivia.range.offsets, in: file.tree.source) else { return nil }
            let text = trivia.text
            guard text.hasPrefix("#"), let parsed = Suppressions.parsePragma(text), parsed.scope == .instruction else { return nil }
            return finding(description.summary, at: file.tree.lineTable.range(trivia.range.start.offset..<(trivia.range.start.offset + text.utf8.count)))
        }
    }
}
