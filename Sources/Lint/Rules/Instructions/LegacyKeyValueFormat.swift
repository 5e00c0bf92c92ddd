import DockerfileSyntax

/// BuildKit check LegacyKeyValueFormat.
struct LegacyKeyValueFormatCheck: LintRule {
    static let description = RuleDescription(
        code: "LegacyKeyValueFormat", origin: .buildkit, category: .instructions, name: "legacy-key-value-format", severity: .warning,
        summary: "Legacy key/value format with whitespace separator should not be used",
        rationale: "BuildKit reports this check during builds; dockerkit reports it offline, before the build.",
        documentation: "https://docs.docker.com/go/dockerfile/rule/legacy-key-value-format/",
        triggeringExamples: ["↓ENV DEPS \\\n    curl \\\n    git \\\n    make\n"],
        nonTriggeringExamples: ["FROM alpine\nARG foo=bar\n", "ENV DEPS=\"\\\n    curl \\\n    git \\\n    make\"\n"])

    func check(_ file: LintedFile) -> [Finding] {
        file.instructionIndices(of: .env, .label).compactMap { index -> Finding? in
            let instruction = file.instructions[index]
            guard let pairs = KeyValueInstruction(instruction), pairs.pairs.contains(where: \.isLegacyForm) else { return nil }
            return finding("\"\(instruction.name) key=value\" should be used instead of legacy \"\(instruction.name) key value\" format", at: instruction.keyword.range)
        }
    }
}
