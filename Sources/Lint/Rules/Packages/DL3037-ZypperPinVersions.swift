import DockerfileSyntax

/// DL3037: zypper install without versions.
struct ZypperPinVersionsRule: LintRule {
    static let scope = RuleScope.instruction
    static let description = RuleDescription(
        code: "DL3037", origin: .hadolint, category: .packages, name: "zypper-pin-versions", severity: .warning,
        summary: "Specify version with `zypper install -y <package>=<version>`.",
        rationale: "Unpinned packages make the image depend on the day it was built.",
        documentation: "https://github.com/hadolint/hadolint/wiki/DL3037",
        triggeringExamples: ["FROM opensuse/leap:15.5\n↓RUN zypper install -y httpd && zypper clean\n"],
        nonTriggeringExamples: ["FROM opensuse/leap:15.5\nRUN zypper install -y httpd=2.4 && zypper clean\n"])

    func check(_ file: LintedFile) -> [Finding] {
        reportRuns(in: file, named: ["zypper"]) { command in
            guard command.isCommand("zypper", withAnyArgument: ["install", "in"]) else { return false }
            let packages = command.nonFlagArguments(droppingValuesOf: []).map(\.value).filter { $0 != "install" && $0 != "in" }
            return !packages.allSatisfy { package in ["=", ">", "<"].contains { package.contains($0) } || package.hasSuffix(".rpm") }
        }
    }
}
