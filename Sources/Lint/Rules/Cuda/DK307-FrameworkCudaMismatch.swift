import Knowledge
import DockerfileSyntax
import Shell

/// DK307: a torch or tensorflow built for another CUDA than the nvidia/cuda base.
struct FrameworkCudaMismatchRule: LintRule {
    static let description = RuleDescription(
        code: "DK307", origin: .dockerkit, category: .cuda, name: "framework-cuda-mismatch", severity: .warning,
        summary: "PyTorch or TensorFlow is installed for another CUDA version than the nvidia/cuda base's",
        rationale: """
            PyTorch's wheels are built for one CUDA version (`+cu121`, PyTorch's `…/whl/cu118` index) and TensorFlow \
            before 2.14 loads the CUDA and cuDNN it was built with from the image. On a base of another CUDA, \
            extensions compiled with the base's nvcc refuse to load ("The detected CUDA version mismatches the version \
            that was used to compile PyTorch") and TensorFlow finds no GPU. Pick the tag of the framework's CUDA \
            (`dockerkit new --torch VERSION` does).
            """,
        documentation: "https://github.com/dockerkit/dockerkit/blob/main/docs/rules/DK307.md",
        triggeringExamples: [
            "FROM nvidia/cuda:11.8.0-runtime-ubuntu22.04\nRUN ↓pip install --no-cache-dir torch==2.5.1+cu121\n",
            "FROM nvidia/cuda:12.4.1-devel-ubuntu22.04\nRUN ↓pip install --no-cache-dir torch==2.1.2 --index-url https://download.pytorch.org/whl/cu118\n",
            "FROM nvidia/cuda:12.2.2-cudnn8-runtime-ubuntu22.04\nRUN ↓pip install --no-cache-dir tensorflow==2.11.1\n",
            "FROM nvidia/cuda:12.4.1-runtime-ubuntu22.04\nRUN ↓conda install -y pytorch=2.5.1 pytorch-cuda=12.1 -c pytorch -c nvidia\n",
        ],
        nonTriggeringExamples: [
            "FROM nvidia/cuda:12.1.1-runtime-ubuntu22.04\nRUN pip install --no-cache-dir torch==2.5.1+cu121\n",
            "FROM nvidia/cuda:12.4.1-runtime-ubuntu22.04\nRUN pip install --no-cache-dir --extra-index-url https://download.pytorch.org/whl/cu124 torch==2.5.1+cu124\n",
            "FROM nvidia/cuda:11.8.0-runtime-ubuntu22.04\nRUN pip install --no-cache-dir \"tensorflow[and-cuda]==2.15.1\"\n",
            "FROM nvidia/cuda:11.8.0-runtime-ubuntu22.04\nRUN pip install --no-cache-dir torch==2.1.2\n",
            "FROM python:3.11\nRUN pip install --no-cache-dir torch==2.5.1+cu121\n",
        ])

    func check(_ file: LintedFile) -> [Finding] {
        var findings: [Finding] = []
        let candidates = file.commands(baseNameWhere: { ShellCommand.mayInstallWithPip($0) || ["conda", "mamba", "micromamba"].contains($0) })
        for located in candidates {
            guard let stageIndex = file.stageOfInstruction[located.instructionIndex],
                  let base = CudaBase(file.stages[stageIndex], in: file),
                  let baseCuda = base.image?.minorVersion ?? CudaTagParts(tag: base.tag).version.map(majorMinorVersion),
                  let wanted = Self.frameworkCuda(of: located.command), wanted.cuda != baseCuda else { continue }
            let advice = Self.fittingTag(cuda: wanted.cuda, like: base, cudnnMajor: wanted.cudnnMajor)
                .map { "; nvidia/cuda:\($0.tag) fits" } ?? "; no nvidia/cuda tag of CUDA \(wanted.cuda) is published"
            findings.append(finding(
                "\(wanted.what) is built for CUDA \(wanted.cuda), but the base nvidia/cuda:\(base.tag) has CUDA \(baseCuda)\(advice)",
                at: file.range(of: located)))
        }
        return findings
    }

    /// The framework a pip or conda install command installs, and the CUDA it was built for, when it says so.
    static func frameworkCuda(of command: ShellCommand) -> (what: String, cuda: String, cudnnMajor: String?)? {
        let values = command.argumentValues
        let isConda = ["conda", "mamba", "micromamba"].contains(command.baseName)
        guard isConda ? values.contains("install") || values.contains("create") : command.isPipInstall else { return nil }
        var indexLabel: String?
        var condaCuda: String?
        var pins: [FrameworkPin] = []
        var installsTorch = false
        for (index, value) in values.enumerated() {
            if let url = Self.indexURL(value, next: index + 1 < values.count ? values[index + 1] : nil) {
                indexLabel = pytorchWheelLabel(ofIndexURL: url) ?? indexLabel
                continue
            }
            let name = value.split(separator: ":").last.map(String.init) ?? value
            if name.lowercased().hasPrefix("pytorch-cuda=") {
                condaCuda = String(name.dropFirst("pytorch-cuda=".count).prefix { $0 != "=" }).filter { $0 != "*" }
            } else if let pin = FrameworkPin(requirement: name) {
                pins.append(pin)
            }
            if name == "torch" || name == "pytorch" { installsTorch = true }
        }
        if let torch = pins.first(where: { $0.framework == .torch }) {
            if let label = torch.wheelLabel, let cuda = cudaVersion(ofWheelLabel: label) { return ("torch \(torch.version)+\(label)", cuda, nil) }
            if let label = indexLabel, let cuda = cudaVersion(ofWheelLabel: label) { return ("torch \(torch.version) from PyTorch's \(label) index", cuda, nil) }
            if let condaCuda, !condaCuda.isEmpty { return ("pytorch \(torch.version) with pytorch-cuda=\(condaCuda)", condaCuda, nil) }
        } else if installsTorch, let label = indexLabel, let cuda = cudaVersion(ofWheelLabel: label) {
            return ("torch from PyTorch's \(label) index", cuda, nil)
        }
        if let tensorflow = pins.first(where: { $0.framework == .tensorflow }), !tensorflow.bringsCuda,
           let release = FrameworkCatalog.shared.tensorflowRelease(tensorflow.version) {
            return ("tensorflow \(tensorflow.version) (built with cuDNN \(release.cudnn))", release.cuda, release.bringsCuda ? nil : release.cudnnMajor)
        }
        return nil
    }

    /// The URL of `--index-url URL`, `-i URL`, `--extra-index-url=URL`, `-f URL`, `--find-links URL`.
    private static func indexURL(_ value: String, next: String?) -> String? {
        for flag in ["--index-url", "--extra-index-url", "--find-links"] where value.hasPrefix(flag + "=") {
            return String(value.dropFirst(flag.count + 1))
        }
        if ["--index-url", "--extra-index-url", "--find-links", "-i", "-f"].contains(value) { return next }
        return nil
    }

    /// The published tag of that CUDA line most like the base (flavor, OS, cuDNN).
    private static func fittingTag(cuda: String, like base: CudaBase, cudnnMajor: String?) -> CudaImage? {
        let line = CudaImageCatalog.shared.images.filter { image in
            guard image.minorVersion == cuda, image.isPullable, !image.os.isEmpty, image.flavor == (base.flavor ?? "runtime") else { return false }
            if let cudnnMajor { return image.cudnnMajor == cudnnMajor }
            return (image.cudnn == nil) == (base.image?.cudnn == nil)
        }
        let os = base.image?.os
        return CudaImageCatalog.mostPreferred(line.filter { $0.os == os }, count: 1).first ?? CudaImageCatalog.mostPreferred(line, count: 1).first
    }
}
