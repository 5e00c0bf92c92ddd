import DockerfileSyntax

/// DL3020: ADD for plain files.
struct CopyInsteadOfAddRule: LintRule {
    static let scope = RuleScope.instruction
    static let description = RuleDescription(
        code: "DL3020", origin: .hadolint, category: .instructions, name: "copy-instead-of-add", severity: .error,
        summary: "Use COPY instead of ADD for files and folders",
        rationale: "ADD also fetches URLs and unpacks archives; COPY says what is meant.",
        documentation: "https://github.com/hadolint/hadolint/wiki/DL3020",
        triggeringExamples: [RuleExample("FROM debian:12\n↓ADD app /app\n", fixed: "FROM debian:12\nCOPY app /app\n"),
                             "FROM debian:12\n↓ADD --checksum=sha256:0 app /app\n"],
        nonTriggeringExamples: ["FROM debian:12\nADD app.tar.gz /app\n", "FROM debian:12\nADD https://example.com/x /x\n"],
        isFixable: true)

    static let archiveExtensions = [".tar", ".Z", ".bz2", ".gz", ".lz", ".lzma", ".tZ", ".tb2", ".tbz", ".tbz2", ".tgz", ".tlz", ".tpz",
                                    ".txz", ".xz", ".zst", ".tzst", ".zip"]

    func check(_ file: LintedFile) -> [Finding] {
        file.instructionIndices(of: .add).compactMap { index in
            let instruction = file.instructions[index]
            guard instruction.kind == .add, let add = CopyInstruction(instruction) else { return nil }
            let local = add.sources.filter { source in
                let path = droppingQuotes(source.text)
                return !(Self.archiveExtensions.contains { path.hasSuffix($0) } || path.hasPrefix("https://") || path.hasPrefix("http://"))
            }
            guard !local.isEmpty else { return nil }
            // COPY takes ADD's flags except these; with every source local, COPY does what ADD did.
            let addOnlyFlags: Set<String> = ["checksum", "keep-git-dir", "unpack"]
            var fix: Fix?
            if local.count == add.sources.count, instruction.heredocs.isEmpty, !instruction.flags.contains(where: { addOnlyFlags.contains($0.name) }) {
                let keyword = instruction.keyword.text
                fix = file.keywordReplacement(keyword == keyword.lowercased() ? "copy" : "COPY", of: instruction, summary: "use COPY")
            }
            return finding(description.summary, at: instruction.keyword.range, fix: fix)
        }
    }
}
