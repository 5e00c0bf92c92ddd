import Support
import DockerfileSyntax

/// BuildKit check DuplicateStageName.
struct DuplicateStageNameCheck: LintRule {
    static let description = RuleDescription(
        code: "DuplicateStageName", origin: .buildkit, category: .stages, name: "duplicate-stage-name", severity: .warning,
        summary: "Stage names should be unique",
        rationale: "BuildKit reports this check during builds; dockerkit reports it offline, before the build.",
        documentation: "https://docs.docker.com/go/dockerfile/rule/duplicate-stage-name/",
        triggeringExamples: ["FROM debian:latest AS builder\nRUN apt-get update; apt-get install -y curl\n↓FROM golang:latest AS builder\n"],
        nonTriggeringExamples: ["FROM debian:latest AS deb-builder\nRUN apt-get update; apt-get install -y curl\nFROM golang:latest AS go-builder\n"])

    func check(_ file: LintedFile) -> [Finding] {
        var seen = Set<String>()
        return file.stages.compactMap { stage -> Finding? in
            guard let name = stage.name?.lowercased() else { return nil }
            return seen.insert(name).inserted ? nil
                : finding("Duplicate stage name \(Quoting.go(name)), stage names should be unique", at: stage.from.instruction.keyword.range)
        }
    }
}
