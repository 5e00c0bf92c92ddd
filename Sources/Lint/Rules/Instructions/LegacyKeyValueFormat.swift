import DockerfileSyntax

/// BuildKit check LegacyKeyValueFormat.
struct LegacyKeyValueFormatCheck: LintRule {
    static let scope = RuleScope.instruction
    static let description = RuleDescription(
        code: "LegacyKeyValueFormat", origin: .buildkit, category: .instructions, name: "legacy-key-value-format", severity: .warning,
        summary: "Legacy key/value format with whitespace separator should not be used",
        rationale: "BuildKit reports this check during builds; dockerkit reports it offline, before the build.",
        documentation: "https://docs.docker.com/go/dockerfile/rule/legacy-key-value-format/",
        triggeringExamples: ["↓ENV DEPS \\\n    curl \\\n    git \\\n    make\n",
                             RuleExample("FROM alpine\n↓ENV PATH /opt/bin:$PATH\n", fixed: "FROM alpine\nENV PATH=/opt/bin:$PATH\n"),
                             RuleExample("FROM alpine\n↓LABEL description a small image\n", fixed: "FROM alpine\nLABEL description=\"a small image\"\n")],
        nonTriggeringExamples: ["FROM alpine\nARG foo=bar\n", "ENV DEPS=\"\\\n    curl \\\n    git \\\n    make\"\n"],
        isFixable: true)

    func check(_ file: LintedFile) -> [Finding] {
        file.instructionIndices(of: .env, .label).compactMap { index -> Finding? in
            let instruction = file.instructions[index]
            guard let pairs = KeyValueInstruction(instruction), pairs.pairs.contains(where: \.isLegacyForm) else { return nil }
            return finding("\"\(instruction.name) key=value\" should be used instead of legacy \"\(instruction.name) key value\" format", at: instruction.keyword.range,
                           fix: fix(pairs, in: instruction))
        }
    }

    /// `KEY value words` → `KEY="value words"`: the same value for BuildKit, when the value is on one line and holds no
    /// quote or backslash whose meaning would change inside double quotes.
    private func fix(_ pairs: KeyValueInstruction, in instruction: Instruction) -> Fix? {
        guard pairs.pairs.count == 1, let pair = pairs.pairs.first, pair.isLegacyForm, instruction.lines.count == 1,
              pair.key.range.start.line == pair.value.range.end.line else { return nil }
        let value = pair.value.text
        guard !value.isEmpty, !value.contains(where: { $0 == "\"" || $0 == "'" || $0 == "\\" || $0 == "`" }) else { return nil }
        let written = value.contains(where: { $0 == " " || $0 == "\t" }) ? "\"\(value)\"" : value
        return Fix(summary: "write \(pair.key.text)=…", edits: [TextEdit(offsets: pair.key.range.start.offset..<pair.value.range.end.offset,
                                                                        replacement: "\(pair.key.text)=\(written)")])
    }
}
