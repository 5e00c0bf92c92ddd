import DockerfileSyntax

/// DK406: the image's final stage runs as root.
struct FinalStageRunsAsRootRule: LintRule {
    static let description = RuleDescription(
        code: "DK406", origin: .dockerkit, category: .security, name: "final-stage-runs-as-root", severity: .style,
        summary: "The image runs as root",
        rationale: """
            The last stage is what containers run; without a USER (or with USER root last) its processes are root in \
            the container, one kernel bug away from root on the shared host. Add an account and `USER` it. Images whose \
            entrypoint must start as root (sshd, dropping to each member's account) say so with \
            `# dockerkit ignore=DK406` above FROM, as `dockerkit new` does. hadolint's DL3002 only looks at an explicit \
            `USER root`. Corpus count and hand-checked sample: docs/rules.md.
            """,
        documentation: "https://github.com/dockerkit/dockerkit/blob/main/docs/rules/DK406.md",
        triggeringExamples: ["FROM debian:12 AS build\nRUN make\n↓FROM debian:12\nCMD [\"app\"]\n",
                             "FROM debian:12\nRUN useradd -m app\nUSER app\nRUN make\n↓USER root\n"],
        nonTriggeringExamples: ["FROM debian:12\nRUN useradd -m app\nUSER app\n", "FROM debian:12\nUSER 1000:1000\n",
                                "FROM debian:12 AS build\nRUN make\nFROM gcr.io/distroless/static:nonroot\nCOPY --from=build /app /app\n",
                                "FROM scratch\nCOPY app /app\n"])

    func check(_ file: LintedFile) -> [Finding] {
        guard let final = file.stages.last else { return [] }
        // The user a stage ends with, following the stages it builds on.
        var stage: Stage? = final
        while let current = stage {
            if let index = current.instructionIndices.last(where: { file.instructions[$0].kind == .user }),
               let user = file.instructions[index].values.first?.text {
                let name = String(user.prefix { $0 != ":" })
                guard name == "root" || name == "0" else { return [] }
                return [finding("The image ends as USER \(user)", at: file.instructions[index].keyword.range)]
            }
            stage = current.parentStage.map { file.stages[$0] }
        }
        // Images known to run as someone else without a USER line: scratch holds no programs, `nonroot` tags say so.
        let base = final.baseImage.text.lowercased()
        if base == "scratch" || base.contains("nonroot") { return [] }
        return [finding("The image has no USER, so it runs as root", at: final.from.instruction.keyword.range)]
    }
}
