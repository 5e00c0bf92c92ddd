import DockerfileSyntax

/// Choosing the base image: `--base`, else the `org.opencontainers.image.base.name` label, else `scratch`.
extension DockerfileRecovery {
    /// The FROM reference and the header comments that say how it was chosen.
    static func chooseBase(_ image: ImageMetadata, options: RecoveryOptions, baseCount: Int) -> (reference: String, comments: [String]) {
        if let base = options.base {
            return (base, options.baseNote.map { [$0] } ?? [])
        }
        if let named = image.config?.labels["org.opencontainers.image.base.name"], DockerfileText.isSingleInstruction("FROM \(named)", kind: .from) {
            return (named, ["Base image from the org.opencontainers.image.base.name label."])
        }
        guard baseCount > 0 else { return ("scratch", []) }
        return ("scratch", ["The base image is unknown (the oldest \(baseCount) history entr\(baseCount == 1 ? "y" : "ies")); its layers are not",
                            "reproduced. Replace scratch with it, or give --base IMAGE."])
    }
}
