import DockerfileSyntax

/// BuildKit check ConsistentInstructionCasing.
struct ConsistentInstructionCasingCheck: LintRule {
    static let description = RuleDescription(
        code: "ConsistentInstructionCasing", origin: .buildkit, category: .instructions, name: "consistent-instruction-casing", severity: .warning,
        summary: "All commands within the Dockerfile should use the same casing (either upper or lower)",
        rationale: "Mixed keyword casing is hard to read; BuildKit reports it during builds.",
        documentation: "https://docs.docker.com/go/dockerfile/rule/consistent-instruction-casing/",
        triggeringExamples: [RuleExample("FROM alpine\n↓run echo hi\n", fixed: "FROM alpine\nRUN echo hi\n"), "↓From alpine\n↓Run echo hello > /greeting.txt\n↓EntRYpOiNT [\"cat\", \"/greeting.txt\"]\n",
                             "FROM alpine\nRUN a\n↓run b\n"],
        nonTriggeringExamples: ["FROM alpine\nRUN echo hello > /greeting.txt\nENTRYPOINT [\"cat\", \"/greeting.txt\"]\n",
                                "from alpine\nrun echo hello > /greeting.txt\nentrypoint [\"cat\", \"/greeting.txt\"]\n"],
        isFixable: true)

    func check(_ file: LintedFile) -> [Finding] {
        // BuildKit counts stage commands only: instructions before the first FROM are not commands of a stage.
        let keywords = file.instructions.indices.filter { file.stageOfInstruction[$0] != nil }.map { file.instructions[$0].keyword }
        var lower = 0
        var upper = 0
        for keyword in keywords where keyword.text == keyword.text.lowercased() || keyword.text == keyword.text.uppercased() {
            if keyword.text == keyword.text.lowercased() { lower += 1 } else { upper += 1 }
        }
        let majorityLower = lower > upper
        return keywords.compactMap { keyword -> Finding? in
            let expected = majorityLower ? keyword.text.lowercased() : keyword.text.uppercased()
            guard keyword.text != expected else { return nil }
            return finding("Command '\(keyword.text)' should match the case of the command majority (\(majorityLower ? "lowercase" : "uppercase"))",
                           at: keyword.range, fix: Fix(summary: "write it \(expected)", edits: [TextEdit(offsets: keyword.range.offsets, replacement: expected)]))
        }
    }
}
