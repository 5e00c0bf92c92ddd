import DockerfileSyntax

/// DL3022: COPY --from naming no earlier stage.
struct CopyFromKnownStageRule: LintRule {
    static let description = RuleDescription(
        code: "DL3022", origin: .hadolint, category: .stages, name: "copy-from-known-stage", severity: .warning,
        summary: "`COPY --from` should reference a previously defined `FROM` alias",
        rationale: "An unknown name is pulled as an image, which is rarely what was meant. Stage names are compared case-insensitively, as BuildKit does.",
        documentation: "https://github.com/hadolint/hadolint/wiki/DL3022",
        triggeringExamples: ["FROM debian:12\n↓COPY --from=build /a /a\n"],
        nonTriggeringExamples: ["FROM debian:12 AS Build\nFROM debian:12\nCOPY --from=build /a /a\n", "FROM debian:12\nFROM debian:12\nCOPY --from=0 /a /a\n",
                                "FROM debian:12\nCOPY --from=nginx:1.27 /etc/nginx /etc/nginx\n"])

    func check(_ file: LintedFile) -> [Finding] {
        var names = Set<String>()
        var count = 0
        return reportInstructions(in: file, of: .from, .copy) { instruction in
            if instruction.kind == .from {
                count += 1
                if let name = FromInstruction(instruction)?.stageName?.text { names.insert(name.lowercased()) }
                return false
            }
            guard instruction.kind == .copy, let source = instruction.flag("from")?.value else { return false }
            let value = droppingQuotes(source)
            if value.contains(":") || names.contains(value.lowercased()) { return false }
            if let number = Int(value), number < count { return false }
            return true
        }
    }
}
