import DockerfileSyntax

/// DL3064 (BuildKit: SecretsUsedInArgOrEnv): names of sensitive data in ARG or ENV.
struct SensitiveArgOrEnvRule: LintRule {
    static let scope = RuleScope.instruction
    static let description = RuleDescription(
        code: "DL3064", origin: .hadolint, category: .security, name: "sensitive-arg-or-env", severity: .warning,
        summary: "Potentially sensitive data should not be used in the `ARG` or `ENV` commands",
        rationale: """
            ARG and ENV values are stored in the image's history and config; use secret mounts (RUN --mount=type=secret). \
            BuildKit's SecretsUsedInArgOrEnv is this check; names are judged by hadolint's list and words. A literal \
            value is a second problem, a leaked secret to rotate: DK404 reports that.
            """,
        documentation: "https://github.com/hadolint/hadolint/wiki/DL3064",
        triggeringExamples: ["FROM debian:12\n↓ARG GITHUB_TOKEN\n", "FROM alpine\n↓ARG AWS_ACCESS_KEY_ID\n↓ARG AWS_SECRET_ACCESS_KEY\nRUN aws s3 cp s3://my-bucket/file .\n",
                             "FROM alpine\n↓ENV DB_PASSWORD=x\n"],
        nonTriggeringExamples: ["FROM debian:12\nARG VERSION=1\n", "FROM alpine\nENV PUBLIC_KEY=x\n",
                                "FROM alpine\nENV SESSION_SECRET_FILE=/run/secrets/session\n", "FROM alpine\nARG VAULT_TOKEN_PATH=/vault/token\n",
                                "FROM alpine\nARG SECRETS_VERSION=1.2\n",
                                "FROM alpine\nRUN --mount=type=secret,id=aws_key_id,env=AWS_ACCESS_KEY_ID aws s3 cp s3://my-bucket/file .\n"],
        aliases: ["SecretsUsedInArgOrEnv"])

    /// hadolint's list of names.
    static let knownNames: Set<String> = ["ACCESS_TOKEN", "APPLICATION_KEY", "APP_SECRET", "AUTH_TOKEN", "AWS_ACCESS_KEY_ID",
        "AWS_SECRET_ACCESS_KEY", "BITTREX_API_KEY", "BITTREX_API_SECRET", "CF_PASSWORD", "CF_USERNAME", "CIRCLE_TOKEN",
        "CI_DEPLOY_PASSWORD", "CI_DEPLOY_USER", "DOCKERHUB_PASSWORD", "DOCKER_EMAIL", "DOCKER_PASSWORD", "DOCKER_USERNAME",
        "FACEBOOK_ACCESS_TOKEN", "FACEBOOK_APP_ID", "FACEBOOK_APP_SECRET", "FIREBASE_API_TOKEN", "FIREBASE_TOKEN", "FOSSA_API_KEY",
        "GH_ENTERPRISE_TOKEN", "GH_TOKEN", "GITHUB_ENTERPRISE_TOKEN", "GITHUB_TOKEN", "HEROKU_API_KEY", "HEROKU_API_USER",
        "NPM_AUTH_TOKEN", "NPM_TOKEN", "OKTA_AUTHN_GROUPID", "OKTA_CLIENT_ORGURL", "OKTA_CLIENT_TOKEN", "OKTA_OAUTH2_CLIENTID",
        "OKTA_OAUTH2_CLIENTSECRET", "OPENAI_API_KEY", "OS_PASSWORD", "OS_USERNAME", "POSTGRES_PASSWORD", "SLACK_TOKEN",
        "STRIPE_API_KEY", "STRIPE_DEVICE_NAME", "TRAVIS_OS_NAME", "TRAVIS_SECURE_ENV_VARS", "TRAVIS_SUDO", "VAULT_CLIENT_KEY", "VAULT_TOKEN"]
    /// hadolint's words anywhere in a name.
    static let suspicious = ["api_key", "client_key", "password", "private", "secret", "token", "username"]
    /// Whether `name` is sensitive data: hadolint's list and words, except names of where or which a secret is
    /// (`_FILE`, `_PATH`, `_VERSION`, …), which hadolint also flags and BuildKit's users asked not to be.
    static func isSensitive(_ name: String) -> Bool {
        let upper = name.upperCasedName()
        if knownNames.contains(upper) { return true }
        if SecretNameReference.isReference(upper) { return false }
        let lower = name.lowerCasedName()
        return suspicious.contains { lower.contains($0) }
    }

    func check(_ file: LintedFile) -> [Finding] {
        reportInstructions(in: file, of: .arg, .env, .onbuild) { original in
            let instruction = original.trigger ?? original
            if let arg = ArgInstruction(instruction) { return arg.definitions.contains { Self.isSensitive($0.name) } }
            if instruction.kind == .env, let env = KeyValueInstruction(instruction) { return env.pairs.contains { Self.isSensitive($0.key.text) } }
            return false
        }
    }
}
