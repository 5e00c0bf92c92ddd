import Support
import DockerfileSyntax

/// BuildKit check CopyIgnoredFile: reads the `.dockerignore` beside the Dockerfile.
struct CopyIgnoredFileCheck: LintRule {
    static let scope = RuleScope.instruction
    static let description = RuleDescription(
        code: "CopyIgnoredFile", origin: .buildkit, category: .instructions, name: "copy-ignored-file", severity: .warning,
        summary: "Attempting to Copy file that is excluded by .dockerignore",
        rationale: "Excluded files are not in the build context; the COPY or ADD fails.",
        documentation: "https://docs.docker.com/go/dockerfile/rule/copy-ignored-file/",
        triggeringExamples: [RuleExample("FROM scratch\n↓COPY ./tmp/helloworld.txt /helloworld.txt\n", configuration: .withDockerIgnore("*/tmp/*\ntmp/\n"))],
        nonTriggeringExamples: [RuleExample("FROM scratch\nCOPY ./forever/helloworld.txt /helloworld.txt\n", configuration: .withDockerIgnore("*/tmp/*\ntmp/\n"))])

    func check(_ file: LintedFile) -> [Finding] {
        guard let ignore = file.configuration.dockerIgnore.map(DockerIgnore.init) else { return [] }
        var findings: [Finding] = []
        for index in file.instructionIndices(of: .copy, .add) {
            let instruction = file.instructions[index]
            guard instruction.flag("from") == nil, let copy = CopyInstruction(instruction) else { continue }
            for source in copy.sources {
                let path = droppingQuotes(source.text)
                if path.contains("://") || path.hasPrefix("<<") || path.contains("$") || path.contains("*") || path.contains("?") { continue }
                if ignore.excludes(path) {
                    let verb = instruction.kind == .copy ? "Copy" : "Add"
                    findings.append(finding("Attempting to \(verb) file \(Quoting.go(path)) that is excluded by .dockerignore", at: instruction.keyword.range))
                }
            }
        }
        return findings
    }
}

extension LintConfiguration {
    /// A configuration carrying a `.dockerignore` (for examples).
    public static func withDockerIgnore(_ contents: String) -> LintConfiguration {
        var configuration = LintConfiguration()
        configuration.dockerIgnore = contents
        return configuration
    }
}
