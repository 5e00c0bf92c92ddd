import DockerfileSyntax

/// DL3010: an archive copied with COPY and extracted with RUN.
struct UseAddForArchivesRule: LintRule {
    static let description = RuleDescription(
        code: "DL3010", origin: .hadolint, category: .instructions, name: "use-add-for-archives", severity: .info,
        summary: "Use ADD for extracting archives into an image",
        rationale: "ADD extracts local tar archives in one layer; COPY then tar keeps the archive in a layer too.",
        documentation: "https://github.com/hadolint/hadolint/wiki/DL3010",
        triggeringExamples: ["FROM debian:12\n↓COPY app.tar.gz /tmp/\nRUN tar -xzf /tmp/app.tar.gz\n"],
        nonTriggeringExamples: ["FROM debian:12\nADD app.tar.gz /opt/\n"])

    static let extensions = [".tar", ".tar.bz2", ".tb2", ".tbz", ".tbz2", ".tar.gz", ".tgz", ".tpz", ".tar.lz", ".tar.lzma", ".tlz",
                             ".tar.xz", ".txz", ".tar.Z", ".tZ", ".tar.zst", ".tzst", ".zip", ".gz", ".bz2", ".xz", ".zst", ".lz", ".lzma", ".Z"]
    /// Base names of the commands that may extract (a superset: the test below is on the name as written).
    static let extractCommands = ["tar"] + unzipCommands
    static let unzipCommands = ["unzip", "gunzip", "bunzip2", "unlzma", "unxz", "zgz", "uncompress", "zcat", "gzcat"]

    static func basename(_ path: String) -> String {
        String(droppingQuotes(path).split(whereSeparator: { $0 == "/" || $0 == "\\" }).last ?? "")
    }

    static func isArchive(_ path: String) -> Bool {
        let name = droppingQuotes(path)
        // Every extension starts with a dot; most paths have none after their last slash.
        guard let dot = name.utf8.lastIndex(of: UInt8(ascii: ".")),
              !name.utf8[dot...].contains(UInt8(ascii: "/")) else { return false }
        return extensions.contains { name.hasUTF8Suffix($0) }
    }

    func check(_ file: LintedFile) -> [Finding] {
        var archives: [(name: String, range: SourceRange)] = []
        var extracted: [SourceRange] = []
        for index in (file.instructionIndices(of: .from, .copy) + file.runInstructionIndices(running: Self.extractCommands)).sorted() {
            let instruction = file.instructions[index]
            if instruction.kind == .from { archives.removeAll() }
            if instruction.kind == .copy, instruction.flag("from") == nil, let copy = CopyInstruction(instruction), let destination = copy.destination {
                if Self.isArchive(destination.text) {
                    archives.append((Self.basename(destination.text), instruction.keyword.range))
                } else {
                    archives += copy.sources.filter { Self.isArchive($0.text) }.map { (Self.basename($0.text), instruction.keyword.range) }
                }
            }
            for located in file.commands(of: index) {
                let command = located.command
                let extracts = (command.name.value == "tar" && command.argumentValues.contains { $0 == "--extract" || $0 == "--get" || ($0.hasPrefix("-") && $0.contains("x")) })
                    || Self.unzipCommands.contains(command.name.value)
                guard extracts else { continue }
                let names = Set(command.nonFlagArguments(droppingValuesOf: []).map { Self.basename($0.value) })
                for archive in archives where names.contains(archive.name) && !extracted.contains(archive.range) {
                    extracted.append(archive.range)
                }
            }
        }
        return extracted.map { finding(description.summary, at: $0) }
    }
}
