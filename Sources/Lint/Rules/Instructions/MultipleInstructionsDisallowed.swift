import DockerfileSyntax

/// BuildKit check MultipleInstructionsDisallowed.
struct MultipleInstructionsDisallowedCheck: LintRule {
    static let description = RuleDescription(
        code: "MultipleInstructionsDisallowed", origin: .buildkit, category: .instructions, name: "multiple-instructions-disallowed", severity: .warning,
        summary: "Multiple instructions of the same type should not be used in the same stage",
        rationale: "BuildKit reports this check during builds; dockerkit reports it offline, before the build.",
        documentation: "https://docs.docker.com/go/dockerfile/rule/multiple-instructions-disallowed/",
        triggeringExamples: ["FROM alpine\n↓ENTRYPOINT [\"echo\", \"Hello, Norway!\"]\nENTRYPOINT [\"echo\", \"Hello, Sweden!\"]\n"],
        nonTriggeringExamples: ["FROM alpine\nENTRYPOINT [\"echo\", \"Hello, Norway!\\nHello, Sweden!\"]\n", "FROM python:alpine\nRUN apk add curl\nHEALTHCHECK --interval=1s --timeout=3s \\\n  CMD [\"curl\", \"-f\", \"http://localhost:8080\"]\nCMD [\"python\", \"-m\", \"http.server\", \"8080\"]\n"])

    func check(_ file: LintedFile) -> [Finding] {
        var findings: [Finding] = []
        for stage in file.stages {
            for kind in [InstructionKind.cmd, .entrypoint, .healthcheck] {
                let indices = stage.instructionIndices.filter { file.instructions[$0].kind == kind }
                for index in indices.dropLast() {
                    findings.append(finding("Multiple \(file.instructions[index].name) instructions should not be used in the same stage because only the last one will be used", at: file.instructions[index].keyword.range))
                }
            }
        }
        return findings
    }
}
