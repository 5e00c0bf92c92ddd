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
        // BuildKit counts stage commands only: instructions before the first FROM are not commands of a stage. Most
        // keywords are ASCII in one piece and are classed on their bytes, without making a text for each.
        var casings: [(index: Int, casing: Casing)] = []
        casings.reserveCapacity(file.instructions.count)
        var lower = 0
        var upper = 0
        for index in file.instructions.indices where file.stageOfInstruction[index] != nil {
            let casing = Self.casing(of: file.instructions[index])
            // A keyword without letters counts as lower case: it equals its lower-cased text.
            if casing == .lower || casing == .noLetter { lower += 1 } else if casing == .upper { upper += 1 }
            casings.append((index, casing))
        }
        let majorityLower = lower > upper
        return casings.compactMap { index, casing -> Finding? in
            guard casing != (majorityLower ? .lower : .upper), casing != .noLetter else { return nil }
            let keyword = file.instructions[index].keyword
            let text = keyword.text
            let expected = majorityLower ? text.lowercased() : text.uppercased()
            return finding("Command '\(text)' should match the case of the command majority (\(majorityLower ? "lowercase" : "uppercase"))",
                           at: keyword.range, fix: Fix(summary: "write it \(expected)", edits: [TextEdit(offsets: keyword.range.offsets, replacement: expected)]))
        }
    }

    /// Which letters a keyword has: only lower-case (`lower`), only upper-case (`upper`), both, or none.
    enum Casing { case lower, upper, mixed, noLetter }

    static func casing(of instruction: Instruction) -> Casing {
        if let bytes = instruction.keywordBytes, bytes.allSatisfy({ $0 < 0x80 }) {
            let hasUpper = bytes.contains { (0x41...0x5A).contains($0) }
            let hasLower = bytes.contains { (0x61...0x7A).contains($0) }
            return hasUpper ? (hasLower ? .mixed : .upper) : (hasLower ? .lower : .noLetter)
        }
        let text = instruction.keyword.text
        let noUpper = text == text.lowercased()
        let noLower = text == text.uppercased()
        return noUpper ? (noLower ? .noLetter : .lower) : (noLower ? .upper : .mixed)
    }
}
