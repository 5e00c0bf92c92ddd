import Knowledge
import DockerfileSyntax

/// DK302: an nvidia/cuda tag NVIDIA deleted.
struct CudaTagRemovedRule: LintRule {
    static let description = RuleDescription(
        code: "DK302", origin: .dockerkit, category: .cuda, name: "cuda-tag-removed", severity: .error,
        summary: "NVIDIA deleted this nvidia/cuda tag; pulls fail with \"manifest unknown\"",
        rationale: "In 2023 NVIDIA removed end-of-life tags from Docker Hub. Move to the supported patch release of the same minor version.",
        documentation: "https://github.com/dockerkit/dockerkit/blob/main/docs/rules/DK302.md",
        triggeringExamples: ["FROM ↓nvidia/cuda:11.3.0-devel-ubuntu20.04\n"],
        nonTriggeringExamples: ["FROM nvidia/cuda:11.3.1-devel-ubuntu20.04\n"])

    func check(_ file: LintedFile) -> [Finding] {
        reportCudaTags(in: file, withStatus: .removed, saying: "was deleted from Docker Hub")
    }
}
