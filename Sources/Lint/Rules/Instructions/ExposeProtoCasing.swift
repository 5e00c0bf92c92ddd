import DockerfileSyntax

/// BuildKit check ExposeProtoCasing.
struct ExposeProtoCasingCheck: LintRule {
    static let scope = RuleScope.instruction
    static let description = RuleDescription(
        code: "ExposeProtoCasing", origin: .buildkit, category: .instructions, name: "expose-proto-casing", severity: .warning,
        summary: "Protocol in EXPOSE instruction should be lowercase",
        rationale: "BuildKit reports this check during builds; dockerkit reports it offline, before the build.",
        documentation: "https://docs.docker.com/go/dockerfile/rule/expose-proto-casing/",
        triggeringExamples: ["FROM alpine\n↓EXPOSE 80/TcP\n"],
        nonTriggeringExamples: ["FROM alpine\nEXPOSE 80/tcp\n"])

    func check(_ file: LintedFile) -> [Finding] {
        file.instructionIndices(of: .expose).flatMap { index -> [Finding] in
            let instruction = file.instructions[index]
            guard let expose = ExposeInstruction(instruction) else { return [] }
            return expose.ports.filter { ($0.protocol ?? "") != ($0.protocol ?? "").lowercased() }
                .map { finding("Defined protocol '\($0.token.text)' in EXPOSE instruction should be lowercase", at: instruction.keyword.range) }
        }
    }
}
