import Support
import DockerfileSyntax

/// BuildKit check InvalidBaseImagePlatform. BuildKit compares the pulled image's platform; offline, dockerkit can
/// only tell when the image name itself names an architecture (`arm64v8/…`, `amd64/…`) that the constant
/// `--platform` contradicts.
struct InvalidBaseImagePlatformCheck: LintRule {
    static let description = RuleDescription(
        code: "InvalidBaseImagePlatform", origin: .buildkit, category: .images, name: "invalid-base-image-platform", severity: .warning,
        summary: "Base image platform does not match expected target platform",
        rationale: "An image built for another architecture runs under emulation or not at all.",
        documentation: "https://docs.docker.com/reference/build-checks/invalid-base-image-platform/",
        triggeringExamples: ["↓FROM --platform=linux/amd64 arm64v8/alpine:3.20\n"],
        nonTriggeringExamples: ["FROM --platform=linux/arm64 arm64v8/alpine:3.20\n", "FROM alpine:3.20\n"])

    static let namespaces = ["amd64": "amd64", "arm64v8": "arm64", "arm32v7": "arm", "arm32v6": "arm", "arm32v5": "arm",
                             "i386": "386", "ppc64le": "ppc64le", "s390x": "s390x", "riscv64": "riscv64", "mips64le": "mips64le"]

    func check(_ file: LintedFile) -> [Finding] {
        file.stages.compactMap { stage -> Finding? in
            guard let platform = stage.from.platform?.value, !platform.contains("$"),
                  let namespace = stage.baseImage.repositoryName.split(separator: "/").first.map(String.init),
                  stage.baseImage.repositoryName.contains("/"), let architecture = Self.namespaces[namespace] else { return nil }
            let parts = platform.split(separator: "/").map(String.init)
            guard parts.count >= 2, parts[1] != architecture else { return nil }
            return finding("Base image \(stage.baseImage.text) was pulled with platform \(Quoting.go("linux/" + architecture)), expected \(Quoting.go(platform)) for current build",
                           at: stage.from.instruction.keyword.range)
        }
    }
}
