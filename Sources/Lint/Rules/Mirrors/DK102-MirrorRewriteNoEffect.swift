import DockerfileSyntax

/// DK102: sed on /etc/apt/sources.list on a base whose sources are deb822 files.
struct MirrorRewriteNoEffectRule: LintRule {
    static let description = RuleDescription(
        code: "DK102", origin: .dockerkit, category: .mirrors, name: "mirror-rewrite-no-effect", severity: .warning,
        summary: "This rewrite of /etc/apt/sources.list changes nothing: the base keeps its sources in deb822 files",
        rationale: """
            Ubuntu 24.04 and Debian 12 moved their apt sources to /etc/apt/sources.list.d/*.sources; \
            /etc/apt/sources.list is empty, so the sed edits nothing and apt keeps the upstream servers.
            """,
        documentation: "https://github.com/dockerkit/dockerkit/blob/main/docs/rules/DK102.md",
        triggeringExamples: ["FROM ubuntu:24.04\nRUN ↓sed -i 's/archive.ubuntu.com/mirrors.ustc.edu.cn/g' /etc/apt/sources.list\n",
                             "FROM debian:bookworm\nRUN ↓sed -i 's/deb.debian.org/mirrors.ustc.edu.cn/g' /etc/apt/sources.list\n"],
        nonTriggeringExamples: ["FROM ubuntu:22.04\nRUN sed -i 's/archive.ubuntu.com/mirrors.ustc.edu.cn/g' /etc/apt/sources.list\n",
                                "FROM ubuntu:24.04\nRUN sed -i 's/archive.ubuntu.com/m.example.org/g' /etc/apt/sources.list.d/ubuntu.sources\n"])

    func check(_ file: LintedFile) -> [Finding] {
        file.commands(baseNamed: ["sed"]).compactMap { located in
            guard located.command.baseName == "sed",
                  located.command.argumentValues.contains(where: { $0 == "/etc/apt/sources.list" }),
                  let distribution = file.stage(of: located.instructionIndex)?.distribution, distribution.usesDeb822Sources
            else { return nil }
            return finding(
                "\(distribution.name) \(distribution.version ?? "") keeps its apt sources in /etc/apt/sources.list.d/*.sources; this sed changes nothing",
                at: file.range(of: located))
        }
    }
}
