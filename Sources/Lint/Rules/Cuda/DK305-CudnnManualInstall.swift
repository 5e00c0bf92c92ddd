import Knowledge
import DockerfileSyntax

/// DK305: installing cuDNN by hand where a cudnn tag exists.
struct CudnnManualInstallRule: LintRule {
    static let description = RuleDescription(
        code: "DK305", origin: .dockerkit, category: .cuda, name: "cudnn-manual-install", severity: .style,
        summary: "cuDNN is installed by hand on a tag that has a published cudnn variant",
        rationale: "The cudnn tags carry a cuDNN that matches the CUDA version; installing it by hand risks a mismatch and a bigger image.",
        documentation: "https://github.com/dockerkit/dockerkit/blob/main/docs/rules/DK305.md",
        triggeringExamples: ["FROM nvidia/cuda:11.3.1-runtime-ubuntu20.04\nRUN ↓apt-get install -y libcudnn8=8.2.1.32-1+cuda11.3\n"],
        nonTriggeringExamples: ["FROM nvidia/cuda:11.3.1-cudnn8-runtime-ubuntu20.04\nRUN apt-get install -y libcudnn8-dev=8.2.1.32-1+cuda11.3\n"])

    func check(_ file: LintedFile) -> [Finding] {
        var findings: [Finding] = []
        for stage in file.stages {
            guard let base = CudaBase(stage, in: file), let image = base.image, image.cudnn == nil else { continue }
            // The installs first: the variant that ships cuDNN is looked up in the whole catalog only for a stage
            // that installs it by hand.
            var installs: [LocatedCommand] = []
            for index in file.runIndices(of: stage) {
                for located in file.commands(of: index) where located.command.isAptInstall || located.command.isCommand("yum", "dnf", withAnyArgument: ["install"]) {
                    if located.command.argumentValues.contains(where: { $0.lowercased().hasPrefix("libcudnn") }) { installs.append(located) }
                }
            }
            guard !installs.isEmpty else { continue }
            let variants = CudaImageCatalog.shared.images.filter {
                $0.version == image.version && $0.flavor == image.flavor && $0.os == image.os && $0.cudnn != nil && $0.isPullable
            }
            guard let variant = CudaImageCatalog.mostPreferred(variants, count: 1).first else { continue }
            for located in installs {
                findings.append(finding("cuDNN is installed by hand; nvidia/cuda:\(variant.tag) ships it", at: file.range(of: located)))
            }
        }
        return findings
    }
}
