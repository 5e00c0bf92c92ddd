import DockerfileSyntax

/// DL3062: go install without a pinned version.
struct GoPinVersionsRule: LintRule {
    static let scope = RuleScope.instruction
    static let description = RuleDescription(
        code: "DL3062", origin: .hadolint, category: .packages, name: "go-pin-versions", severity: .warning,
        summary: "Pin versions in go. Instead of `go install <package>` use `go install <package>@<version>`",
        rationale: "`@latest` or no version makes the image depend on the day it was built.",
        documentation: "https://github.com/hadolint/hadolint/wiki/DL3062",
        triggeringExamples: ["FROM golang:1.22\n↓RUN go install golang.org/x/tools/gopls@latest\n"],
        nonTriggeringExamples: ["FROM golang:1.22\nRUN go install golang.org/x/tools/gopls@v0.15.3\n", "FROM golang:1.22\nRUN go install ./cmd/app\n"])

    static func isPinned(_ package: String) -> Bool {
        let local = package == "." || package.hasPrefix("/") || package.hasPrefix(".")
        return local || (package.contains("@") && !package.hasSuffix("@latest") && !package.hasSuffix("@none"))
    }

    func check(_ file: LintedFile) -> [Finding] {
        reportRunScripts(in: file, running: ["go"]) { _, commands in
            let goCommands = commands.filter { $0.baseName == "go" }
            var packages = goCommands.filter { $0.argumentValues.contains("run") }.flatMap { command in
                command.nonFlagArguments(droppingValuesOf: []).map(\.value).prefix(2).filter { $0 != "run" }
            }
            if packages.isEmpty {
                packages = goCommands.filter { $0.argumentValues.contains("install") || $0.argumentValues.contains("get") }.flatMap { command in
                    command.nonFlagArguments(droppingValuesOf: []).map(\.value).filter { !["install", "get", "tool"].contains($0) }
                }
            }
            return !packages.allSatisfy(Self.isPinned)
        }
    }
}
