import Knowledge
import DockerfileSyntax

/// DK101: a package mirror host written into the image.
struct MirrorHardcodedRule: LintRule {
    static let description = RuleDescription(
        code: "DK101", origin: .dockerkit, category: .mirrors, name: "mirror-hardcoded", severity: .style,
        summary: "A package mirror is written into the image",
        rationale: """
            A mirror that is fast from one lab's network is slow or unreachable from another, and the image keeps it \
            for everyone who runs it. Choose the project's mirror once (`mirror:` in .dockerkit.yaml) and dockerkit \
            reports, and can rewrite, every other host.
            """,
        documentation: "https://github.com/dockerkit/dockerkit/blob/main/docs/rules/DK101.md",
        triggeringExamples: [
            "FROM ubuntu:20.04\nRUN sed -i 's/archive.ubuntu.com/↓mirrors.aliyun.com/g' /etc/apt/sources.list\n",
            "FROM python:3.11\nRUN pip install -i https://↓pypi.tuna.tsinghua.edu.cn/simple numpy\n",
            "FROM python:3.11\nENV PIP_INDEX_URL=https://↓mirrors.aliyun.com/pypi/simple/\n",
            RuleExample("FROM ubuntu:20.04\nRUN sed -i 's/archive.ubuntu.com/↓mirrors.aliyun.com/g' /etc/apt/sources.list\n",
                        configuration: .withMirror("tuna"),
                        fixed: "FROM ubuntu:20.04\nRUN sed -i 's/archive.ubuntu.com/mirrors.tuna.tsinghua.edu.cn/g' /etc/apt/sources.list\n"),
            RuleExample("FROM continuumio/miniconda3:24.1.2-0\nRUN conda config --add channels https://↓mirrors.aliyun.com/anaconda/cloud/conda-forge\n",
                        configuration: .withMirror("tuna"),
                        fixed: "FROM continuumio/miniconda3:24.1.2-0\nRUN conda config --add channels https://mirrors.tuna.tsinghua.edu.cn/anaconda/cloud/conda-forge\n"),
        ],
        nonTriggeringExamples: [
            "FROM ubuntu:20.04\nRUN apt-get update\n",
            "FROM python:3.11\nRUN pip install -i https://pypi.org/simple numpy\n",
            "FROM python:3.11\nRUN pip install --no-cache-dir --extra-index-url https://download.pytorch.org/whl/cu124 torch==2.5.1+cu124\n",
            RuleExample("FROM ubuntu:20.04\nRUN sed -i 's/archive.ubuntu.com/mirrors.tuna.tsinghua.edu.cn/g' /etc/apt/sources.list\n",
                        configuration: .withMirror("tuna")),
        ],
        isFixable: true)

    func check(_ file: LintedFile) -> [Finding] {
        let chosen = file.configuration.mirror
        let uses = MirrorUses.find(in: file)
        // The catalog is built on first use; most files write no mirror and never need it.
        guard !uses.isEmpty else { return [] }
        let catalog = MirrorCatalog.shared
        // One finding per host in one word, however often the word names it (a sources.list written by echo names
        // the same mirror on every line); its fix rewrites every place.
        var groups: [(use: MirrorUse, hostRanges: [SourceRange])] = []
        for use in uses {
            if let index = groups.firstIndex(where: { $0.use.range == use.range && $0.use.host == use.host }) {
                if let hostRange = use.hostRange { groups[index].hostRanges.append(hostRange) }
            } else {
                groups.append((use, use.hostRange.map { [$0] } ?? []))
            }
        }
        return groups.compactMap { group in
            let use = group.use
            let known = catalog.mirror(servingHost: use.host)?.name
            let label = known.map { "\(use.host) (\($0))" } ?? use.host
            guard let chosen else {
                return finding("Package mirror \(label) is written into the image", at: use.range)
            }
            if chosen != "none", let mirror = catalog.mirror(named: chosen), mirror.hosts.contains(use.host) { return nil }
            var fix: Fix?
            if chosen == "none" {
                if use.isWholeInstruction {
                    let instruction = file.instructions[use.instructionIndex]
                    fix = Fix(summary: "remove the mirror rewrite", edits: [TextEdit(offsets: instruction.range.offsets, replacement: "")])
                }
            } else if !group.hostRanges.isEmpty, catalog.mirror(servingHost: use.host) != nil || use.host.split(separator: ".").count >= 3,
                      let replacement = catalog.mirror(named: chosen)?.replacementURL(for: use.ecosystem) {
                fix = Fix(summary: "use the \(chosen) mirror", edits: group.hostRanges.map { TextEdit(offsets: $0.offsets, replacement: hostOf(replacement)) })
            }
            return Finding(
                code: description.code, severity: .warning,
                message: "Package mirror \(label) is not the configured mirror (\(chosen))", range: use.range, fix: fix)
        }
    }
}

extension LintConfiguration {
    /// A configuration with a chosen mirror.
    public static func withMirror(_ name: String) -> LintConfiguration {
        var configuration = LintConfiguration()
        configuration.mirror = name
        return configuration
    }
}
