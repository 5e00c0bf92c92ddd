import DockerfileSyntax
import Shell

/// DL3013: pip install without pinned versions.
struct PipPinVersionsRule: LintRule {
    static let scope = RuleScope.instruction
    static let description = RuleDescription(
        code: "DL3013", origin: .hadolint, category: .packages, name: "pip-pin-versions", severity: .warning,
        summary: "Pin versions in pip. Instead of `pip install <package>` use `pip install <package>==<version>` or `pip install --requirement <requirements file>`",
        rationale: "Unpinned packages make the image depend on the day it was built.",
        documentation: "https://github.com/hadolint/hadolint/wiki/DL3013",
        triggeringExamples: ["FROM python:3.12\n↓RUN pip install requests\n"],
        nonTriggeringExamples: ["FROM python:3.12\nRUN pip install requests==2.31.0\n", "FROM python:3.12\nRUN pip install -r requirements.txt\n",
                                "FROM python:3.12\nRUN pip install ./dist/pkg.whl\n"])

    static let valueFlags: Set<String> = ["abi", "b", "build", "e", "editable", "extra-index-url", "f", "find-links", "i", "index-url",
        "implementation", "no-binary", "only-binary", "platform", "prefix", "progress-bar", "proxy", "python", "python-version",
        "root", "root-user-action", "src", "t", "target", "trusted-host", "upgrade-strategy"]
    static let versionSymbols = ["==", ">=", "<=", ">", "<", "!=", "~=", "==="]
    static let vcsSchemes = ["git+", "git", "hg+", "svn", "bzr+"]

    static func isPinned(_ package: String) -> Bool {
        let isVcs = vcsSchemes.contains { package.hasPrefix($0) }
        return versionSymbols.contains { package.contains($0) } || (isVcs && package.contains("@"))
            || package.hasSuffix(".whl") || package.hasSuffix(".tar.gz") || (!isVcs && package.contains("/"))
    }

    func check(_ file: LintedFile) -> [Finding] {
        reportRuns(in: file, among: file.commands(baseNameWhere: ShellCommand.mayInstallWithPip)) { command in
            guard command.isPipInstall else { return false }
            let values = command.argumentValues
            if values.contains("--requirement") || values.contains("-r") || values.contains(".") { return false }
            if command.hasFlag("constraint") || command.hasFlag("c") { return false }
            var packages = command.nonFlagArguments(droppingValuesOf: Self.valueFlags).map(\.value)
            packages = Array(packages.drop { $0 != "install" }.drop { $0 == "install" })
            return !packages.allSatisfy(Self.isPinned)
        }
    }
}
