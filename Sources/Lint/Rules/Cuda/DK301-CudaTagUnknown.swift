import Knowledge
import DockerfileSyntax

/// DK301: an nvidia/cuda tag that was never published.
struct CudaTagUnknownRule: LintRule {
    static let description = RuleDescription(
        code: "DK301", origin: .dockerkit, category: .cuda, name: "cuda-tag-unknown", severity: .error,
        summary: "This nvidia/cuda tag was never published",
        rationale: "nvidia/cuda has no `latest` and no short tags like `11.3-devel`; the pull fails. Name a published tag.",
        documentation: "https://github.com/dockerkit/dockerkit/blob/main/docs/rules/DK301.md",
        triggeringExamples: ["FROM ↓nvidia/cuda:11.3-devel\n", "FROM ↓nvidia/cuda\n", "FROM ↓nvcr.io/nvidia/cuda:latest\n"],
        nonTriggeringExamples: ["FROM nvidia/cuda:11.3.1-devel-ubuntu20.04\n", "FROM nvidia/cudagl:11.3.0-devel-ubuntu18.04\n",
                                "ARG CUDA=12.4.1\nFROM nvidia/cuda:${CUDA}-runtime-ubuntu22.04\n"])

    func check(_ file: LintedFile) -> [Finding] {
        file.stages.compactMap { stage in
            guard stage.baseImage.isNvidiaCuda, let image = stage.from.image else { return nil }
            let tag = stage.baseImage.tag ?? "latest"
            guard !tag.contains("$"), CudaImageCatalog.shared.image(tag: tag) == nil else { return nil }
            let suggestions = CudaImageCatalog.shared.suggestions(for: tag).map(\.tag)
            let hint = suggestions.isEmpty ? "" : "; did you mean \(suggestions.joined(separator: ", "))?"
            return finding("nvidia/cuda:\(tag) was never published\(hint)", at: image.range)
        }
    }
}
