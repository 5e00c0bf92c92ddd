import DockerfileSyntax

/// DL3033: yum install without versions.
struct YumPinVersionsRule: LintRule {
    static let description = RuleDescription(
        code: "DL3033", origin: .hadolint, category: .packages, name: "yum-pin-versions", severity: .warning,
        summary: "Specify version with `yum install -y <package>-<version>`.",
        rationale: "Unpinned packages make the image depend on the day it was built.",
        documentation: "https://github.com/hadolint/hadolint/wiki/DL3033",
        triggeringExamples: ["FROM centos:7\n↓RUN yum install -y httpd && yum clean all\n"],
        nonTriggeringExamples: ["FROM centos:7\nRUN yum install -y httpd-2.4.6 && yum clean all\n"])

    func check(_ file: LintedFile) -> [Finding] {
        let known = RpmVersions.KnownVariables(file)
        return reportRunScripts(in: file, running: ["yum"]) { index, commands in
            guard commands.contains(where: { ["yum"].contains($0.baseName) }) else { return false }
            return RpmVersions.unpinned(commands, names: ["yum"], knownVariables: { known.before(index) })
        }
    }
}
