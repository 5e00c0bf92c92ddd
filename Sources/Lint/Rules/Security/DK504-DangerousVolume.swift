import DockerfileSyntax

/// DK504: a VOLUME over a host-control path.
struct DangerousVolumeRule: LintRule {
    static let scope = RuleScope.instruction
    static let description = RuleDescription(
        code: "DK504", origin: .dockerkit, category: .security, name: "dangerous-volume", severity: .warning,
        summary: "A VOLUME is declared over a path that controls the host",
        rationale: """
            A volume at /proc, /sys, /dev or the engine's socket invites running the container with that host path \
            mounted, which hands the container the host (the Docker socket is root on the host). Mount such paths \
            explicitly, for the one container that needs them, and never bake the expectation into the image. Corpus count and hand-checked sample: docs/rules.md.
            """,
        documentation: "https://github.com/dockerkit/dockerkit/blob/main/docs/rules/DK504.md",
        triggeringExamples: ["FROM debian:12\nVOLUME ↓/var/run/docker.sock\n", "FROM debian:12\nVOLUME [\"/data\", ↓\"/proc\"]\n"],
        nonTriggeringExamples: ["FROM debian:12\nVOLUME /data\n", "FROM debian:12\nVOLUME /var/lib/docker-data\n"])

    static let paths: Set<String> = ["/proc", "/sys", "/dev", "/var/run/docker.sock", "/run/docker.sock", "/var/run/containerd/containerd.sock",
                                     "/run/containerd/containerd.sock", "/var/run/crio/crio.sock", "/boot", "/"]

    func check(_ file: LintedFile) -> [Finding] {
        var findings: [Finding] = []
        for index in file.instructionIndices(of: .volume) {
            let instruction = file.instructions[index]
            guard instruction.kind == .volume else { continue }
            for value in instruction.values {
                var path = droppingQuotes(value.text)
                while path.count > 1 && path.hasSuffix("/") { path.removeLast() }
                if Self.paths.contains(path) {
                    findings.append(finding("VOLUME \(path) exposes the host", at: value.range))
                }
            }
        }
        return findings
    }
}
