import DockerfileSyntax

/// DL4001: both wget and curl used.
struct WgetOrCurlRule: LintRule {
    static let description = RuleDescription(
        code: "DL4001", origin: .hadolint, category: .shell, name: "wget-or-curl", severity: .warning,
        summary: "Either use Wget or Curl but not both",
        rationale: "Installing and using two download tools doubles what can go wrong and the image size.",
        documentation: "https://github.com/hadolint/hadolint/wiki/DL4001",
        triggeringExamples: ["FROM debian:12\nRUN wget -q https://example.com/a\n↓RUN curl -fsSLO https://example.com/b\n"],
        nonTriggeringExamples: ["FROM debian:12\nRUN curl -fsSLO https://example.com/a\nRUN curl -fsSLO https://example.com/b\n"])

    func check(_ file: LintedFile) -> [Finding] {
        var seen = Set<String>()
        var findings: [Finding] = []
        for index in (file.instructionIndices(of: .from) + file.runInstructionIndices(running: ["curl", "wget"])).sorted() {
            let instruction = file.instructions[index]
            if instruction.kind == .from { seen.removeAll() }
            guard !file.runScripts[index].isEmpty else { continue }
            let used = Set(file.commands(of: index).map(\.command.name.value).filter { $0 == "curl" || $0 == "wget" })
            seen.formUnion(used)
            if !used.isEmpty && seen.count >= 2 { findings.append(finding(description.summary, at: instruction.keyword.range)) }
        }
        return findings
    }
}
