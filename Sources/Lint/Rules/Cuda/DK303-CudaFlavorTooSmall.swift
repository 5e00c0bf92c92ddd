import DockerfileSyntax
import Knowledge

/// DK303: compiling CUDA code on a base or runtime image, which has no nvcc or headers.
struct CudaFlavorTooSmallRule: LintRule {
    static let description = RuleDescription(
        code: "DK303", origin: .dockerkit, category: .cuda, name: "cuda-flavor-too-small", severity: .error,
        summary: "nvcc and the CUDA headers are only in the devel images",
        rationale: """
            nvidia/cuda base and runtime images carry the runtime libraries only. Build on the devel tag (or install \
            the toolkit packages first), or build in a devel stage and copy the result into a runtime stage.
            """,
        documentation: "https://github.com/dockerkit/dockerkit/blob/main/docs/rules/DK303.md",
        triggeringExamples: ["FROM nvidia/cuda:12.4.1-runtime-ubuntu22.04\nRUN ↓nvcc -o app app.cu\n",
                             "FROM nvidia/cuda:12.4.1-base-ubuntu22.04\nRUN ↓gcc -I/usr/local/cuda/include x.c\n",
                             "FROM nvidia/cuda:12.2.2-runtime-ubuntu22.04\nRUN ↓apt-get install -y cuda-toolkit-12-2\n"],
        nonTriggeringExamples: ["FROM nvidia/cuda:12.4.1-devel-ubuntu22.04\nRUN nvcc -o app app.cu\n",
                                "FROM nvidia/cuda:12.4.1-devel-ubuntu22.04\nRUN apt-get install -y cuda-toolkit-12-4\n"])

    /// The devel tag of the same version, cuDNN and OS, or the published tag that replaces it.
    static func develImage(for base: CudaBase) -> CudaImage? {
        guard let image = base.image else { return nil }
        let develTag = [image.version, image.cudnn ?? "", "devel", image.os].filter { !$0.isEmpty }.joined(separator: "-")
        guard let devel = CudaImageCatalog.shared.image(tag: develTag) else { return nil }
        return devel.isPullable ? devel : CudaImageCatalog.shared.publishedReplacement(for: devel)?.image
    }

    func check(_ file: LintedFile) -> [Finding] {
        var findings: [Finding] = []
        for stage in file.stages {
            guard let base = CudaBase(stage, in: file), let flavor = base.flavor, flavor == "base" || flavor == "runtime" else { continue }
            let devel = Self.develImage(for: base).map { "nvidia/cuda:\($0.tag)" }
            var toolkitInstalled = false
            for index in file.runIndices(of: stage) {
                for located in file.commands(of: index) {
                    if installsCudaToolkit(located.command) {
                        if !toolkitInstalled, let devel {
                            // Installing the toolkit works, so this is style advice (it fails no build), not the rule's error.
                            findings.append(Finding(code: Self.description.code, severity: .style,
                                                    message: "the CUDA toolkit is installed on the \(flavor) image nvidia/cuda:\(base.tag); \(devel) already has it",
                                                    range: file.range(of: located)))
                        }
                        toolkitInstalled = true
                    }
                    if !toolkitInstalled && usesCudaToolkit(located.command) {
                        findings.append(finding(
                            "nvidia/cuda:\(base.tag) is a \(flavor) image without nvcc or CUDA headers; use \(devel ?? "a devel tag")",
                            at: file.range(of: located)))
                    }
                }
            }
        }
        return findings
    }
}
