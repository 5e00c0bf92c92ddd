import Knowledge
import DockerfileSyntax

/// DK306: an nvidia/cuda tag no longer updated.
struct CudaTagUnsupportedRule: LintRule {
    static let description = RuleDescription(
        code: "DK306", origin: .dockerkit, category: .cuda, name: "cuda-tag-unsupported", severity: .info,
        summary: "This nvidia/cuda tag is still published but no longer updated",
        rationale: "Unsupported tags get no security fixes; NVIDIA may delete them later as it did in 2023.",
        documentation: "dockerkit explain DK306",
        triggeringExamples: ["FROM ↓nvidia/cuda:11.3.1-devel-ubuntu18.04\n"],
        nonTriggeringExamples: ["FROM nvidia/cuda:12.4.1-devel-ubuntu22.04\n"])

    func check(_ file: LintedFile) -> [Finding] {
        file.stages.compactMap { stage in
            guard stage.baseImage.isNvidiaCuda, let tag = stage.baseImage.tag, let image = CudaImageCatalog.shared.image(tag: tag),
                  image.status == .unsupported, let token = stage.from.image else { return nil }
            return finding("nvidia/cuda:\(tag) is no longer updated\(replacementAdvice(for: image)) (status from: \(image.source))", at: token.range)
        }
    }
}
