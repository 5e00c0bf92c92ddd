import Knowledge
import DockerfileSyntax

/// DL3006: FROM an image without a tag.
struct UntaggedImageRule: LintRule {
    static let description = RuleDescription(
        code: "DL3006", origin: .hadolint, category: .images, name: "untagged-image", severity: .warning,
        summary: "Always tag the version of an image explicitly",
        rationale: "An untagged image means `latest`, which changes under you; builds stop being reproducible.",
        documentation: "https://github.com/hadolint/hadolint/wiki/DL3006",
        triggeringExamples: ["FROM ↓debian\n", "FROM ↓nvidia/cuda AS gpu\n"],
        nonTriggeringExamples: ["FROM debian:12\n", "FROM scratch\n", "FROM debian@sha256:abc\n",
                                "FROM debian:12 AS base\nFROM base\n", "ARG IMAGE=x:1\nFROM $IMAGE\n"])

    func check(_ file: LintedFile) -> [Finding] {
        var aliases = Set<String>()
        var findings: [Finding] = []
        for stage in file.stages {
            defer { if let name = stage.name { aliases.insert(name) } }
            guard let image = stage.from.image else { continue }
            let reference = ImageReference(image.text)
            if reference.repositoryName == "scratch" || reference.digest != nil || reference.tag != nil { continue }
            if image.text.hasPrefix("$") || aliases.contains(image.text) { continue }
            findings.append(finding(description.summary, at: image.range))
        }
        return findings
    }
}
