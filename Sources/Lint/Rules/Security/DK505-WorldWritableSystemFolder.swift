import DockerfileSyntax
import Shell

/// DK505: `chmod 777` on the root or a system folder.
struct WorldWritableSystemFolderRule: LintRule {
    static let scope = RuleScope.instruction
    static let description = RuleDescription(
        code: "DK505", origin: .dockerkit, category: .security, name: "world-writable-system-folder", severity: .warning,
        summary: "A system folder is made writable by everyone",
        rationale: """
            With /, /etc, /usr, /bin or /var writable by every user, any process in the container (every lab member's) \
            can replace system programs and settings. Give the folder to the user who needs it (chown), or use a \
            folder of their own. Corpus count and hand-checked sample: docs/rules.md.
            """,
        documentation: "https://github.com/dockerkit/dockerkit/blob/main/docs/rules/DK505.md",
        triggeringExamples: ["FROM debian:12\nRUN chmod -R 777 ↓/usr/local\n", "FROM debian:12\nRUN chmod 777 ↓/\n", "FROM debian:12\nRUN chmod a+rwx ↓/etc\n"],
        nonTriggeringExamples: ["FROM debian:12\nRUN chmod 777 /tmp/cache\n", "FROM debian:12\nRUN chmod 1777 /tmp\n", "FROM debian:12\nRUN chmod 755 /usr/local/bin/tool\n",
                                "FROM debian:12\nRUN chmod 777 /usr/local/bin/tool\n"])

    /// Folders whose contents the system runs or reads for everyone.
    static let systemFolders: Set<String> = ["/", "/etc", "/usr", "/usr/local", "/usr/bin", "/usr/sbin", "/usr/lib", "/usr/local/bin",
                                             "/usr/local/lib", "/bin", "/sbin", "/lib", "/lib64", "/var", "/var/lib", "/opt", "/root", "/home", "/boot"]

    static func isWorldWritable(_ mode: String) -> Bool {
        if mode.count >= 3, mode.allSatisfy(\.isNumber) {
            // The last digit (others) has the write bit, and the sticky bit is not there to make it safe.
            let digits = Array(mode)
            let sticky = digits.count == 4 && (Int(String(digits[0])) ?? 0) & 1 == 1
            return (Int(String(digits[digits.count - 1])) ?? 0) & 2 == 2 && !sticky
        }
        return mode.split(separator: ",").contains { clause in
            let who = clause.prefix { "ugoa".contains($0) }
            let rest = clause.dropFirst(who.count)
            return (who.isEmpty || who.contains("a") || who.contains("o")) && (rest.hasPrefix("+") || rest.hasPrefix("=")) && rest.contains("w")
        }
    }

    func check(_ file: LintedFile) -> [Finding] {
        var findings: [Finding] = []
        for located in file.commands(baseNamed: ["chmod"]) {
            let operands = located.command.arguments.filter { !$0.value.hasPrefix("-") }
            guard let mode = operands.first, Self.isWorldWritable(mode.value) else { continue }
            for path in operands.dropFirst() {
                var normalized = path.value
                while normalized.count > 1 && normalized.hasSuffix("/") { normalized.removeLast() }
                if Self.systemFolders.contains(normalized) {
                    findings.append(finding("chmod \(mode.value) makes \(normalized) writable by every user", at: file.range(of: path, in: located)))
                }
            }
        }
        return findings
    }
}
