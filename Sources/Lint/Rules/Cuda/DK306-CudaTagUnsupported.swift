import Knowledge
import DockerfileSyntax

/// DK306: an nvidia/cuda tag no longer updated.
struct CudaTagUnsupportedRule: LintRule {
    static let description = RuleDescription(
        code: "DK306", origin: .dockerkit, category: .cuda, name: "cuda-tag-unsupported", severity: .style,
        summary: "This nvidia/cuda tag is still published but no longer updated",
        rationale: "Unsupported tags get no security fixes; NVIDIA may delete them later as it did in 2023.",
        documentation: "https://github.com/dockerkit/dockerkit/blob/main/docs/rules/DK306.md",
        triggeringExamples: ["FROM ↓nvidia/cuda:11.3.1-devel-ubuntu18.04\n"],
        nonTriggeringExamples: ["FROM nvidia/cuda:12.4.1-devel-ubuntu22.04\n"])

    func check(_ file: LintedFile) -> [Finding] {
        reportCudaTags(in: file, withStatus: .unsupported, saying: "is no longer updated")
    }
}
