import DockerfileSyntax

/// BuildKit check UndefinedArgInFrom.
struct UndefinedArgInFromCheck: LintRule {
    static let description = RuleDescription(
        code: "UndefinedArgInFrom", origin: .buildkit, category: .images, name: "undefined-arg-in-from", severity: .warning,
        summary: "FROM command must use declared ARGs",
        rationale: "An undeclared variable in FROM expands to nothing, so the build uses a different image than intended.",
        documentation: "https://docs.docker.com/go/dockerfile/rule/undefined-arg-in-from/",
        triggeringExamples: ["↓FROM node:22${VARIANT} AS jsbuilder\n", "ARG VERSION=1\n↓FROM alpine:$VERSIN\n"],
        nonTriggeringExamples: ["ARG VARIANT=\"-alpine3.20\"\nFROM node:22${VARIANT} AS jsbuilder\n",
                                "FROM --platform=$BUILDPLATFORM alpine\n"])

    func check(_ file: LintedFile) -> [Finding] {
        var declared = Set<String>()
        var findings: [Finding] = []
        for index in file.instructionIndices(of: .arg, .from) {
            let instruction = file.instructions[index]
            if file.stageOfInstruction[index] == nil, let arg = ArgInstruction(instruction) {
                declared.formUnion(arg.definitions.map(\.name))
            }
            guard let from = FromInstruction(instruction) else { continue }
            var words = [from.image?.text].compactMap { $0 }
            if let platform = from.platform?.value { words.append(platform) }
            for word in words {
                for name in BuildKitSupport.referencedVariables(in: word, escapeToken: file.tree.escapeToken).sorted()
                where !declared.contains(name) && !BuildKitSupport.predefinedArguments.contains(name) {
                    let hint = BuildKitSupport.suggestion(for: name, among: declared).map { " (did you mean \($0)?)" } ?? ""
                    findings.append(finding("FROM argument '\(name)' is not declared\(hint)", at: instruction.keyword.range))
                }
            }
        }
        return findings
    }
}
