import DockerfileSyntax

/// BuildKit check JSONArgsRecommended.
struct JSONArgsRecommendedCheck: LintRule {
    static let description = RuleDescription(
        code: "JSONArgsRecommended", origin: .buildkit, category: .instructions, name: "json-args-recommended", severity: .warning,
        summary: "JSON arguments recommended for ENTRYPOINT/CMD to prevent unintended behavior related to OS signals",
        rationale: "BuildKit reports this check during builds; dockerkit reports it offline, before the build.",
        documentation: "https://docs.docker.com/go/dockerfile/rule/json-args-recommended/",
        triggeringExamples: [RuleExample("FROM alpine\n↓ENTRYPOINT my-program start\n", fixed: "FROM alpine\nENTRYPOINT [\"my-program\", \"start\"]\n")],
        nonTriggeringExamples: ["FROM alpine\nENTRYPOINT [\"my-program\", \"start\"]\n", "FROM alpine\nSHELL [\"/bin/bash\", \"-c\"]\nENTRYPOINT my-program start\n"],
        isFixable: true)

    func check(_ file: LintedFile) -> [Finding] {
        var shellSet = false
        return file.instructionIndices(of: .from, .shell, .cmd, .entrypoint).compactMap { index -> Finding? in
            let instruction = file.instructions[index]
            switch instruction.kind {
            case .from:
                shellSet = file.stageOfInstruction[index].flatMap { file.stages[$0].parentStage }.map { parent in
                    file.stages[parent].instructionIndices.contains { file.instructions[$0].kind == .shell }
                } ?? false
            case .shell:
                shellSet = true
            case .cmd, .entrypoint:
                if !instruction.isJSON && !instruction.values.isEmpty && !shellSet {
                    return finding("JSON arguments recommended for \(instruction.name) to prevent unintended behavior related to OS signals", at: instruction.keyword.range,
                                   fix: file.execFormFix(instruction))
                }
            default:
                break
            }
            return nil
        }
    }
}
