import DockerfileSyntax

/// DL3041: dnf install without versions.
struct DnfPinVersionsRule: LintRule {
    static let description = RuleDescription(
        code: "DL3041", origin: .hadolint, category: .packages, name: "dnf-pin-versions", severity: .warning,
        summary: "Specify version with `dnf install -y <package>-<version>`.",
        rationale: "Unpinned packages make the image depend on the day it was built.",
        documentation: "https://github.com/hadolint/hadolint/wiki/DL3041",
        triggeringExamples: ["FROM fedora:40\n↓RUN dnf install -y httpd && dnf clean all\n"],
        nonTriggeringExamples: ["FROM fedora:40\nRUN dnf install -y httpd-2.4.6 && dnf clean all\n"])

    func check(_ file: LintedFile) -> [Finding] {
        let known = RpmVersions.KnownVariables(file)
        return reportRunScripts(in: file, running: ["dnf", "microdnf"]) { index, commands in
            guard commands.contains(where: { ["dnf", "microdnf"].contains($0.baseName) }) else { return false }
            return RpmVersions.unpinned(commands, names: ["dnf", "microdnf"], knownVariables: { known.before(index) })
        }
    }
}
