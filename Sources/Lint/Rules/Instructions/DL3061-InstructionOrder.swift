import DockerfileSyntax

/// DL3061: an instruction before the first FROM other than ARG.
struct InstructionOrderRule: LintRule {
    static let description = RuleDescription(
        code: "DL3061", origin: .hadolint, category: .instructions, name: "instruction-order", severity: .error,
        summary: "Invalid instruction order. Dockerfile must begin with `FROM`, `ARG` or comment.",
        rationale: "Only ARG may come before the first FROM.",
        documentation: "https://github.com/hadolint/hadolint/wiki/DL3061",
        triggeringExamples: ["↓RUN echo hi\nFROM debian:12\n"],
        nonTriggeringExamples: ["ARG V=12\nFROM debian:$V\n"])

    func check(_ file: LintedFile) -> [Finding] {
        let firstFrom = file.instructionIndices(of: .from).first ?? file.instructions.count
        return file.instructions[..<firstFrom].compactMap { instruction in
            instruction.kind == .arg ? nil : finding(description.summary, at: instruction.keyword.range)
        }
    }
}
