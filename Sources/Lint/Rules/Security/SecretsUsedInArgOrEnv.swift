import DockerfileSyntax

/// BuildKit check SecretsUsedInArgOrEnv.
struct SecretsUsedInArgOrEnvCheck: LintRule {
    static let description = RuleDescription(
        code: "SecretsUsedInArgOrEnv", origin: .buildkit, category: .security, name: "secrets-used-in-arg-or-env", severity: .warning,
        summary: "Sensitive data should not be used in the ARG or ENV commands",
        rationale: "ARG and ENV values persist in the image; use secret mounts.",
        documentation: "https://docs.docker.com/go/dockerfile/rule/secrets-used-in-arg-or-env/",
        triggeringExamples: ["FROM alpine\n↓ARG AWS_ACCESS_KEY_ID\n↓ARG AWS_SECRET_ACCESS_KEY\nRUN aws s3 cp s3://my-bucket/file .\n"],
        nonTriggeringExamples: ["FROM alpine\nRUN --mount=type=secret,id=aws_key_id,env=AWS_ACCESS_KEY_ID \\\n    --mount=type=secret,id=aws_secret_key,env=AWS_SECRET_ACCESS_KEY \\\n    aws s3 cp s3://my-bucket/file .\n",
                                "FROM alpine\nENV PUBLIC_KEY=x\n"])

    static let denied: Set<String> = ["apikey", "auth", "credential", "credentials", "key", "password", "pword", "passwd", "secret", "token"]
    static let allowed: Set<String> = ["public", "file", "version"]

    /// BuildKit matches a token as the whole name, its first `_`-word or its last (or one between).
    static func matches(_ lower: String, parts: [String], _ tokens: Set<String>) -> Bool {
        tokens.contains(lower) || parts.contains(where: tokens.contains)
    }

    static func isSecret(_ name: String) -> Bool {
        // Lower-cased and split once for both sets; a name holding no denied word anywhere cannot match one.
        let lower = name.lowercased()
        guard denied.contains(where: { lower.contains($0) }) else { return false }
        let parts = lower.split(separator: "_", omittingEmptySubsequences: false).map(String.init)
        return matches(lower, parts: parts, denied) && !matches(lower, parts: parts, allowed)
    }

    func check(_ file: LintedFile) -> [Finding] {
        var findings: [Finding] = []
        for index in file.instructionIndices(of: .arg, .env) where file.stageOfInstruction[index] != nil {
            let instruction = file.instructions[index]
            if let arg = ArgInstruction(instruction) {
                for definition in arg.definitions where Self.isSecret(definition.name) {
                    findings.append(finding("Do not use ARG or ENV instructions for sensitive data (ARG \(goQuoted(definition.name)))", at: instruction.keyword.range))
                }
            } else if instruction.kind == .env, let env = KeyValueInstruction(instruction) {
                for pair in env.pairs where Self.isSecret(pair.key.text) {
                    findings.append(finding("Do not use ARG or ENV instructions for sensitive data (ENV \(goQuoted(pair.key.text)))", at: instruction.keyword.range))
                }
            }
        }
        return findings
    }
}
