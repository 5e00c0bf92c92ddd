import DockerfileSyntax

/// DL3016: npm install without pinned versions.
struct NpmPinVersionsRule: LintRule {
    static let scope = RuleScope.instruction
    static let description = RuleDescription(
        code: "DL3016", origin: .hadolint, category: .packages, name: "npm-pin-versions", severity: .warning,
        summary: "Pin versions in npm. Instead of `npm install <package>` use `npm install <package>@<version>`",
        rationale: "Unpinned packages make the image depend on the day it was built.",
        documentation: "https://github.com/hadolint/hadolint/wiki/DL3016",
        triggeringExamples: ["FROM node:20\n↓RUN npm install -g typescript\n"],
        nonTriggeringExamples: ["FROM node:20\nRUN npm install -g typescript@5.4.5\n", "FROM node:20\nRUN npm install\n"])

    static let valueFlags: Set<String> = ["loglevel", "registry", "prefix", "cache", "userconfig", "globalconfig", "tag", "workspace", "w"]

    static func isPinned(_ package: String) -> Bool {
        if ["git", "git+ssh", "git+http", "git+https"].contains(where: { package.hasPrefix($0) }) { return package.contains("#") }
        if [".tar", ".tar.gz", ".tgz"].contains(where: { package.hasSuffix($0) }) { return true }
        if ["/", "./", "../", "~/"].contains(where: { package.hasPrefix($0) }) { return true }
        let unscoped = package.hasPrefix("@") ? String(package.dropFirst()) : package
        return unscoped.contains("@")
    }

    func check(_ file: LintedFile) -> [Finding] {
        reportRuns(in: file, named: ["npm"]) { command in
            guard command.isCommand("npm", withAnyArgument: ["install"]) else { return false }
            let arguments = command.nonFlagArguments(droppingValuesOf: Self.valueFlags).map(\.value)
            guard arguments.first == "install" else { return false }
            return !arguments.dropFirst().allSatisfy(Self.isPinned)
        }
    }
}
