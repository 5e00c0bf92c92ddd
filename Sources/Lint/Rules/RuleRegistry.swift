/// Every rule dockerkit has, in code order.
public enum RuleRegistry {
    public static let all: [any LintRule] = [
        UntaggedImageRule(), LatestTagRule(), AptPinVersionsRule(), AptListsNotDeletedRule(), AptAssumeYesRule(),
        AptNoInstallRecommendsRule(), AptInsteadOfAptGetRule(), MaintainerDeprecatedRule(),
        MirrorHardcodedRule(), MirrorRewriteNoEffectRule(), CudaAptRepositoryRemovedRule(),
        AptUpdateAloneRule(), AptKeyDeprecatedRule(), DebianFrontendEnvRule(), AptUnauthenticatedRule(),
        CudaTagUnknownRule(), CudaTagRemovedRule(), CudaFlavorTooSmallRule(), CudaFlavorTooLargeRule(), CudnnManualInstallRule(),
        CudaTagUnsupportedRule(),
        LiteralPasswordRule(), SshRootPasswordLoginRule(), SshHostKeysBakedRule(), SecretInEnvRule(),
    ]

    /// The rule with this code or name.
    public static func rule(_ codeOrName: String) -> (any LintRule)? {
        all.first { $0.description.code.lowercased() == codeOrName.lowercased() || $0.description.name == codeOrName }
    }
}
