import Knowledge
import DockerfileSyntax

/// DL3026: FROM an image outside the trusted registries.
struct TrustedRegistryRule: LintRule {
    static let description = RuleDescription(
        code: "DL3026", origin: .hadolint, category: .images, name: "trusted-registry", severity: .error,
        summary: "Use only an allowed registry in the FROM image",
        rationale: "With `trustedRegistries` configured, images must come from those registries.",
        documentation: "https://github.com/hadolint/hadolint/wiki/DL3026",
        triggeringExamples: [RuleExample("FROM ↓quay.io/app/base:1\n", configuration: .withTrustedRegistries(["docker.io"]))],
        nonTriggeringExamples: [RuleExample("FROM debian:12\n", configuration: .withTrustedRegistries(["docker.io"])),
                                "FROM quay.io/app/base:1\n"])

    static func matches(_ allowed: String, _ registry: String) -> Bool {
        if allowed == "*" { return true }
        if allowed.hasPrefix("*") { return registry.hasSuffix(String(allowed.dropFirst())) }
        if allowed.hasSuffix("*") { return registry.hasPrefix(String(allowed.dropLast())) }
        return allowed == registry
    }

    func check(_ file: LintedFile) -> [Finding] {
        let allowed = file.configuration.trustedRegistries
        guard !allowed.isEmpty else { return [] }
        var aliases = Set<String>()
        func isAllowed(_ text: String) -> Bool {
            let reference = ImageReference(text)
            if aliases.contains(text) { return true }
            if let registry = reference.registry { return allowed.contains { Self.matches($0, registry) } }
            return reference.repositoryName == "scratch" || allowed.contains { Self.matches($0, "docker.io") || Self.matches($0, "hub.docker.com") }
        }
        var findings: [Finding] = []
        for index in file.instructionIndices(of: .from, .copy) {
            let instruction = file.instructions[index]
            if let from = FromInstruction(instruction), let image = from.image {
                if !isAllowed(image.text) { findings.append(finding(description.summary, at: image.range)) }
                if let name = from.stageName?.text { aliases.insert(name) }
            } else if instruction.kind == .copy, let source = instruction.flag("from")?.value, !isAllowed(source) {
                findings.append(finding(description.summary, at: instruction.keyword.range))
            }
        }
        return findings
    }
}

extension LintConfiguration {
    /// A configuration with trusted registries (for examples).
    public static func withTrustedRegistries(_ registries: [String]) -> LintConfiguration {
        var configuration = LintConfiguration()
        configuration.trustedRegistries = registries
        return configuration
    }
}
