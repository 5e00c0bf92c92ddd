import Support
import DockerfileSyntax

/// BuildKit check InvalidDefinitionDescription (experimental in BuildKit, so opt-in here too).
struct InvalidDefinitionDescriptionCheck: LintRule {
    static let description = RuleDescription(
        code: "InvalidDefinitionDescription", origin: .buildkit, category: .instructions, name: "invalid-definition-description", severity: .warning,
        summary: "Comment for build stage or argument should follow the format: `# <arg/stage name> <description>`. If this is not intended to be a description comment, add an empty line or comment between the instruction and the comment.",
        rationale: "`docker build --call=outline` shows these comments as descriptions.",
        documentation: "https://docs.docker.com/go/dockerfile/rule/invalid-definition-description/",
        triggeringExamples: ["# a non-descriptive comment\n↓FROM scratch AS base\n# another non-descriptive comment\n↓ARG VERSION=1\n"],
        nonTriggeringExamples: ["# a non-descriptive comment\n\nFROM scratch AS base\n# another non-descriptive comment\n\nARG VERSION=1\n",
                                "# base is a stage for compiling source\nFROM scratch AS base\n# VERSION This is the version number.\nARG VERSION=1\n"],
        isOptIn: true)

    func check(_ file: LintedFile) -> [Finding] {
        var findings: [Finding] = []
        // The comment's text is read only for the FROM or ARG it stands before.
        var previousComment: Trivia?
        for item in file.tree.items {
            switch item {
            case .comment(let trivia):
                previousComment = trivia
            case .instruction(let instruction):
                defer { previousComment = nil }
                guard instruction.kind == .from || instruction.kind == .arg, let trivia = previousComment else { continue }
                let comment = String(trivia.text.dropFirst()).trimming(" ")
                guard !comment.isEmpty else { continue }
                var names: [(String, String)] = []
                if let name = FromInstruction(instruction)?.stageName?.text { names = [("stage", name)] }
                if let arg = ArgInstruction(instruction), arg.definitions.count == 1 { names = [("arg", arg.definitions[0].name)] }
                for (kind, name) in names where comment.split(separator: " ").first.map(String.init) != name {
                    findings.append(finding("Comment for \(kind == "stage" ? "build stage" : "build argument") should follow the format: `# \(name) <description>`",
                                            at: instruction.keyword.range))
                }
            default:
                previousComment = nil
            }
        }
        return findings
    }
}
