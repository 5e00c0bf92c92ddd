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
        // Each keyword's text is made once: the counting and the reporting both read it.
        let texts = keywords.map(\.text)
        var lower = 0
        var upper = 0
        for text in texts {
            let isLower = Self.hasNoLetter(text, in: 0x41...0x5A)
            if isLower || Self.hasNoLetter(text, in: 0x61...0x7A) {
                if isLower { lower += 1 } else { upper += 1 }
            }
        }
        let majorityLower = lower > upper
        return keywords.indices.compactMap { index -> Finding? in
            let (keyword, text) = (keywords[index], texts[index])
            guard !Self.hasNoLetter(text, in: majorityLower ? 0x41...0x5A : 0x61...0x7A) else { return nil }
            let expected = majorityLower ? text.lowercased() : text.uppercased()
            return finding("Command '\(text)' should match the case of the command majority (\(majorityLower ? "lowercase" : "uppercase"))",
                           at: keyword.range, fix: Fix(summary: "write it \(expected)", edits: [TextEdit(offsets: keyword.range.offsets, replacement: expected)]))
        }
    }

    /// Whether `text` holds no letter of one ASCII case (`0x41...0x5A`: no upper case), the same as comparing it with
    /// its lower- or upper-cased self for the ASCII keywords BuildKit knows; other text is compared that way.
    static func hasNoLetter(_ text: String, in letters: ClosedRange<UInt8>) -> Bool {
        guard text.utf8.allSatisfy({ $0 < 0x80 }) else {
            return letters.lowerBound == 0x41 ? text == text.lowercased() : text == text.uppercased()
        }
        return !text.utf8.contains(where: letters.contains)
    }
}
