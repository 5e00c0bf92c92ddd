import DockerfileSyntax

/// DK404: a password or token in ENV or ARG.
struct SecretInEnvRule: LintRule {
    static let scope = RuleScope.instruction
    static let description = RuleDescription(
        code: "DK404", origin: .dockerkit, category: .security, name: "secret-in-env", severity: .warning,
        summary: "A password or token is set with ENV or ARG",
        rationale: "ENV values are stored in the image config and ARG values in its history; both are readable by anyone who pulls it. Pass secrets at run time or with RUN --mount=type=secret.",
        documentation: "https://github.com/dockerkit/dockerkit/blob/main/docs/rules/DK404.md",
        triggeringExamples: ["FROM debian:12\nENV ↓VNC_PASSWORD=1234\n", "FROM debian:12\nARG ↓GITHUB_TOKEN=ghp_abc\n",
                             "FROM debian:12\nENV ↓VNC_PW=123456\n", "FROM debian:12\nENV ↓ROOT_PASSWD=toor\n", "FROM debian:12\nENV ↓PW 123456\n"],
        nonTriggeringExamples: ["FROM debian:12\nENV VNC_PASSWORD_FILE=/run/secrets/vnc\n", "FROM debian:12\nARG GITHUB_TOKEN\n",
                                "FROM debian:12\nENV PASSWORD=$PASSWORD\n", "FROM debian:12\nENV SESSION_SECRET_VERSION=3\n"])

    static let secretWords = ["PASSWORD", "PASSWD", "TOKEN", "SECRET", "API_KEY", "APIKEY", "ACCESS_KEY", "PRIVATE_KEY"]
    /// Short forms labs use (`VNC_PW`, `ROOT_PASS`), as a whole `_`-word.
    static let secretParts = ["PW", "PASS"]

    static func isSecretName(_ name: String) -> Bool {
        let upper = name.upperCasedName()
        if SecretNameReference.isReference(upper) { return false }
        return secretWords.contains { upper.contains($0) } || secretParts.contains { upper.hasUnderscoreWord($0) }
    }

    func check(_ file: LintedFile) -> [Finding] {
        var findings: [Finding] = []
        for index in file.instructionIndices(of: .env, .arg) {
            let instruction = file.instructions[index]
            if instruction.kind == .env, let env = KeyValueInstruction(instruction) {
                for pair in env.pairs where Self.isSecretName(pair.key.text) {
                    let value = pair.unquotedValue(escapeToken: file.tree.escapeToken)
                    if !value.isEmpty && !value.hasPrefix("$") {
                        findings.append(finding("\(pair.key.text) is set to a literal value with ENV", at: pair.key.range))
                    }
                }
            } else if let arg = ArgInstruction(instruction) {
                for definition in arg.definitions where Self.isSecretName(definition.name) {
                    if let value = definition.defaultValue, !value.isEmpty, !value.hasPrefix("$") {
                        findings.append(finding("\(definition.name) has a literal default with ARG", at: definition.token.range))
                    }
                }
            }
        }
        return findings
    }
}
