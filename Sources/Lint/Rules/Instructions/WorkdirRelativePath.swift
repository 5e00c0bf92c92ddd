import Support
import DockerfileSyntax

/// BuildKit check WorkdirRelativePath.
struct WorkdirRelativePathCheck: LintRule {
    static let description = RuleDescription(
        code: "WorkdirRelativePath", origin: .buildkit, category: .instructions, name: "workdir-relative-path", severity: .warning,
        summary: "Relative workdir without an absolute workdir declared within the build can have unexpected results if the base image changes",
        rationale: "BuildKit reports this check during builds; dockerkit reports it offline, before the build.",
        documentation: "https://docs.docker.com/go/dockerfile/rule/workdir-relative-path/",
        triggeringExamples: ["FROM nginx AS web\n↓WORKDIR usr/share/nginx/html\nCOPY public .\n"],
        nonTriggeringExamples: ["FROM nginx AS web\nWORKDIR /usr/share/nginx/html\nCOPY public .\n"])

    func check(_ file: LintedFile) -> [Finding] {
        var findings: [Finding] = []
        var absolute = Set<Int>()
        for stage in file.stages {
            if let parent = stage.parentStage, absolute.contains(parent) { absolute.insert(stage.index) }
            for index in stage.instructionIndices where file.instructions[index].kind == .workdir {
                let path = droppingQuotes(file.instructions[index].values.first?.text ?? "")
                if path.hasPrefix("/") || path.hasPrefix("$") || isWindowsAbsolute(path) || path.hasPrefix("\\\\") {
                    absolute.insert(stage.index)
                } else if !absolute.contains(stage.index) {
                    findings.append(finding("Relative workdir \(Quoting.go(path)) can have unexpected results if the base image changes", at: file.instructions[index].keyword.range))
                }
            }
        }
        return findings
    }
}
