import Knowledge
import DockerfileSyntax

/// DL3007: FROM image:latest.
struct LatestTagRule: LintRule {
    static let description = RuleDescription(
        code: "DL3007", origin: .hadolint, category: .images, name: "latest-tag", severity: .warning,
        summary: "Using latest is prone to errors if the image will ever update. Pin the version explicitly to a release tag",
        rationale: "`latest` moves; a rebuild months later gets a different base.",
        documentation: "https://github.com/hadolint/hadolint/wiki/DL3007",
        triggeringExamples: ["FROM ↓ubuntu:latest\n"],
        nonTriggeringExamples: ["FROM ubuntu:22.04\n", "FROM tensorflow/tensorflow:latest-gpu\n", "FROM ubuntu:latest@sha256:abc\n"])

    func check(_ file: LintedFile) -> [Finding] {
        file.stages.compactMap { stage in
            guard let image = stage.from.image else { return nil }
            let reference = ImageReference(image.text)
            guard reference.tag == "latest", reference.digest == nil else { return nil }
            return finding(description.summary, at: image.range)
        }
    }
}
