import Knowledge
import DockerfileSyntax

/// DK304: the final image is a devel image that never compiles.
struct CudaFlavorTooLargeRule: LintRule {
    static let description = RuleDescription(
        code: "DK304", origin: .dockerkit, category: .cuda, name: "cuda-flavor-too-large", severity: .style,
        summary: "The final stage runs on a devel image but compiles nothing",
        rationale: "devel images are gigabytes larger than runtime ones. Use the runtime tag, or compile in a devel stage and copy into a runtime stage.",
        documentation: "https://github.com/dockerkit/dockerkit/blob/main/docs/rules/DK304.md",
        triggeringExamples: ["FROM ↓nvidia/cuda:12.4.1-devel-ubuntu22.04\nRUN pip install torch\n"],
        nonTriggeringExamples: ["FROM nvidia/cuda:12.4.1-devel-ubuntu22.04\nRUN nvcc -o app app.cu\n",
                                "FROM nvidia/cuda:12.4.1-devel-ubuntu22.04 AS build\nRUN make\nFROM nvidia/cuda:12.4.1-runtime-ubuntu22.04\nCOPY --from=build /app /app\n"])

    static let compilers: Set<String> = ["nvcc", "make", "cmake", "ninja", "gcc", "g++", "cc", "c++", "clang", "bazel", "cargo", "go", "meson", "scons"]

    func check(_ file: LintedFile) -> [Finding] {
        guard let stage = file.stages.last, let base = CudaBase(stage, in: file), base.flavor == "devel",
              let token = base.fromStage.from.image, base.fromStage.index == stage.index else { return [] }
        let compiles = file.runIndices(of: stage).contains { index in
            file.commands(of: index).contains { located in
                let command = located.command
                return Self.compilers.contains(command.baseName) || usesCudaToolkit(command)
                    || (command.baseName.hasPrefix("python") && command.argumentValues.contains { ["build", "build_ext", "bdist_wheel", "develop"].contains($0) })
                    || (command.baseName.hasPrefix("pip") && command.argumentValues.contains { $0 == "--no-binary" || $0.hasPrefix("--no-build-isolation") || $0 == "-e" || $0 == "." })
            }
        }
        guard !compiles else { return [] }
        let runtimeTag = base.tag.replacingAll("-devel", with: "-runtime")
        let runtime = CudaImageCatalog.shared.image(tag: runtimeTag).flatMap { $0.isPullable ? $0 : CudaImageCatalog.shared.publishedReplacement(for: $0)?.image }
        let hint = runtime.map { "; use nvidia/cuda:\($0.tag)" } ?? "; build in a devel stage and copy into a runtime stage"
        return [finding("The final stage runs on nvidia/cuda:\(base.tag) but compiles nothing\(hint)", at: token.range)]
    }
}
