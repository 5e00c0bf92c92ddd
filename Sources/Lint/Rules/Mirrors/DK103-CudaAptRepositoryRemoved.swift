import DockerfileSyntax

/// DK103: removing NVIDIA's apt repository on a CUDA base.
struct CudaAptRepositoryRemovedRule: LintRule {
    static let description = RuleDescription(
        code: "DK103", origin: .dockerkit, category: .mirrors, name: "cuda-apt-repo-removed", severity: .warning,
        summary: "This removes NVIDIA's CUDA apt repository from the base image",
        rationale: """
            nvidia/cuda images ship /etc/apt/sources.list.d/cuda*.list; deleting sources.list.d (often done to speed up \
            apt behind a firewall) makes cuDNN, NCCL and toolkit packages uninstallable later.
            """,
        documentation: "https://github.com/dockerkit/dockerkit/blob/main/docs/rules/DK103.md",
        triggeringExamples: ["FROM nvidia/cuda:12.4.1-runtime-ubuntu22.04\nRUN ↓rm /etc/apt/sources.list.d/*\n",
                             "FROM nvidia/cudagl:11.3.0-devel-ubuntu18.04\nRUN ↓rm -f /etc/apt/sources.list.d/cuda.list\n"],
        nonTriggeringExamples: ["FROM ubuntu:22.04\nRUN rm /etc/apt/sources.list.d/*\n",
                                "FROM nvidia/cuda:12.4.1-runtime-ubuntu22.04\nRUN rm -rf /var/lib/apt/lists/*\n"])

    func check(_ file: LintedFile) -> [Finding] {
        file.commands(baseNamed: ["rm"]).compactMap { located in
            guard located.command.baseName == "rm",
                  located.command.argumentValues.contains(where: { argument in
                      argument.contains("/etc/apt/sources.list.d")
                          && (argument.hasSuffix("/*") || argument.hasSuffix("sources.list.d") || argument.hasSuffix("sources.list.d/")
                              || argument.lowercased().contains("cuda") || argument.lowercased().contains("nvidia"))
                  }),
                  let stage = file.stage(of: located.instructionIndex), isCudaBased(stage, file) else { return nil }
            return finding(description.summary, at: file.range(of: located))
        }
    }

    func isCudaBased(_ stage: Stage, _ file: LintedFile) -> Bool {
        if stage.baseImage.isNvidiaCudaFamily { return true }
        return stage.parentStage.map { isCudaBased(file.stages[$0], file) } ?? false
    }
}
