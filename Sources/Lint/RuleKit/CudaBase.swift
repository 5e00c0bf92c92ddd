import Knowledge
import DockerfileSyntax
import Shell

/// The nvidia/cuda tag a stage builds on, directly or through earlier stages.
struct CudaBase {
    let stage: Stage
    /// The FROM stage whose image is nvidia/cuda.
    let fromStage: Stage
    let tag: String
    let image: CudaImage?

    init?(_ stage: Stage, in file: LintedFile) {
        var current = stage
        while let parent = current.parentStage { current = file.stages[parent] }
        guard current.baseImage.isNvidiaCuda, let tag = current.baseImage.tag, !tag.contains("$") else { return nil }
        self.stage = stage
        fromStage = current
        self.tag = tag
        image = CudaImageCatalog.shared.image(tag: tag)
    }

    /// The flavor written in the tag (`base`, `runtime`, `devel`), even for tags not in the catalog.
    var flavor: String? { image?.flavor ?? CudaTagParts(tag: tag).flavor }
}

extension LintedFile {
    /// Instruction indices of a stage's RUNs.
    func runIndices(of stage: Stage) -> [Int] {
        stage.instructionIndices.filter { !runScripts[$0].isEmpty }
    }
}

/// Whether a command compiles CUDA code or needs the toolkit's headers.
func usesCudaToolkit(_ command: ShellCommand) -> Bool {
    if command.baseName == "nvcc" { return true }
    return command.argumentValues.contains { argument in
        argument.contains("/usr/local/cuda/include") || argument.hasSuffix("cuda.h") || argument.contains("/usr/local/cuda/bin/nvcc")
    }
}

/// Whether a command installs the CUDA toolkit or CUDA development packages.
func installsCudaToolkit(_ command: ShellCommand) -> Bool {
    guard command.isAptInstall || command.isCommand("yum", "dnf", "microdnf", withAnyArgument: ["install"]) else { return false }
    return command.argumentValues.contains { package in
        let name = package.lowercased()
        return name.hasPrefix("cuda-toolkit") || name.hasPrefix("cuda-nvcc") || name.hasPrefix("cuda-compiler")
            || (name.hasPrefix("cuda-") && name.contains("-dev")) || name.hasPrefix("cuda-libraries-dev")
    }
}

extension LintRule {
    /// One finding per stage whose nvidia/cuda tag has `status`: `what` says what that means, then the advice and
    /// where the status comes from (DK302, DK306).
    func reportCudaTags(in file: LintedFile, withStatus status: CudaImageStatus, saying what: String) -> [Finding] {
        file.stages.compactMap { stage in
            guard stage.baseImage.isNvidiaCuda, let tag = stage.baseImage.tag, let image = CudaImageCatalog.shared.image(tag: tag),
                  image.status == status, let token = stage.from.image else { return nil }
            return finding("nvidia/cuda:\(tag) \(what)\(replacementAdvice(for: image)) (status from: \(image.source))", at: token.range)
        }
    }

    /// What to use instead of a removed or unsupported tag: a published tag that keeps its flavor and cuDNN, or,
    /// when its line has none, the nearest supported line, said plainly.
    func replacementAdvice(for image: CudaImage) -> String {
        guard let replacement = CudaImageCatalog.shared.publishedReplacement(for: image) else {
            return "; no supported nvidia/cuda \(image.flavor) tag is newer"
        }
        if replacement.isSameLine { return "; use nvidia/cuda:\(replacement.image.tag)" }
        let kept = image.status == .unsupported ? "supported" : "published"
        return "; no \(kept) CUDA \(image.minorVersion) tag keeps its flavor and cuDNN; the nearest supported line is nvidia/cuda:\(replacement.image.tag)"
    }
}
