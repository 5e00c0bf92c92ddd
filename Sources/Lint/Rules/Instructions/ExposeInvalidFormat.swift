import DockerfileSyntax

/// BuildKit check ExposeInvalidFormat.
struct ExposeInvalidFormatCheck: LintRule {
    static let scope = RuleScope.instruction
    static let description = RuleDescription(
        code: "ExposeInvalidFormat", origin: .buildkit, category: .instructions, name: "expose-invalid-format", severity: .warning,
        summary: "IP address and host-port mapping should not be used in EXPOSE instruction. This will become an error in a future release",
        rationale: "BuildKit reports this check during builds; dockerkit reports it offline, before the build.",
        documentation: "https://docs.docker.com/go/dockerfile/rule/expose-invalid-format/",
        triggeringExamples: ["FROM alpine\n↓EXPOSE 127.0.0.1:80:80\n", "FROM alpine\n↓EXPOSE 80:80\n"],
        nonTriggeringExamples: ["FROM alpine\nEXPOSE 80\n"])

    func check(_ file: LintedFile) -> [Finding] {
        file.instructionIndices(of: .expose).flatMap { index -> [Finding] in
            let instruction = file.instructions[index]
            guard let expose = ExposeInstruction(instruction) else { return [] }
            return expose.ports.filter { $0.token.text.contains(":") }
                .map { finding("EXPOSE instruction should not define an IP address or host-port mapping, found '\($0.token.text)'", at: instruction.keyword.range) }
        }
    }
}
