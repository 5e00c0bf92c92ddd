import Knowledge
import DockerfileSyntax

/// DK302: an nvidia/cuda tag NVIDIA deleted.
struct CudaTagRemovedRule: LintRule {
    static let description = RuleDescription(
        code: "DK302", origin: .dockerkit, category: .cuda, name: "cuda-tag-removed", severity: .error,
        summary: "NVIDIA deleted this nvidia/cuda tag; pulls fail with \"manifest unknown\"",
        rationale: "In 2023 NVIDIA removed end-of-life tags from Docker Hub. Move to the supported patch release of the same minor version.",
        documentation: "dockerkit explain DK302",
        triggeringExamples: ["FROM ↓nvidia/cuda:11.3.0-devel-ubuntu20.04\n"],
        nonTriggeringExamples: ["FROM nvidia/cuda:11.3.1-devel-ubuntu20.04\n"])

    func check(_ file: LintedFile) -> [Finding] {
        file.stages.compactMap { stage in
            guard stage.baseImage.isNvidiaCuda, let tag = stage.baseImage.tag, let image = CudaImageCatalog.shared.image(tag: tag),
                  image.status == .removed, let token = stage.from.image else { return nil }
            return finding("nvidia/cuda:\(tag) was deleted from Docker Hub\(replacementAdvice(for: image)) (status from: \(image.source))", at: token.range)
        }
    }
}
