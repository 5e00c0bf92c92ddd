import DockerfileSyntax

/// DL3020: ADD for plain files.
struct CopyInsteadOfAddRule: LintRule {
    static let description = RuleDescription(
        code: "DL3020", origin: .hadolint, category: .instructions, name: "copy-instead-of-add", severity: .error,
        summary: "Use COPY instead of ADD for files and folders",
        rationale: "ADD also fetches URLs and unpacks archives; COPY says what is meant.",
        documentation: "https://github.com/hadolint/hadolint/wiki/DL3020",
        triggeringExamples: ["FROM debian:12\n↓ADD app /app\n"],
        nonTriggeringExamples: ["FROM debian:12\nADD app.tar.gz /app\n", "FROM debian:12\nADD https://example.com/x /x\n"])

    static let archiveExtensions = [".tar", ".Z", ".bz2", ".gz", ".lz", ".lzma", ".tZ", ".tb2", ".tbz", ".tbz2", ".tgz", ".tlz", ".tpz",
                                    ".txz", ".xz", ".zst", ".tzst", ".zip"]

    func check(_ file: LintedFile) -> [Finding] {
        reportInstructions(in: file, of: .add) { instruction in
            guard instruction.kind == .add, let add = CopyInstruction(instruction) else { return false }
            return add.sources.contains { source in
                let path = droppingQuotes(source.text)
                return !(Self.archiveExtensions.contains { path.hasSuffix($0) } || path.hasPrefix("https://") || path.hasPrefix("http://"))
            }
        }
    }
}
