/// Every rule dockerkit has: hadolint's, then dockerkit's, then BuildKit's, each by code (a test keeps it so).
public enum RuleRegistry {
    public static let all: [any LintRule] = [
        NoInlineIgnoreRule(), AbsoluteWorkdirRule(), PointlessCommandRule(), LastUserRootRule(), UseWorkdirRule(), NoSudoRule(),
        UntaggedImageRule(), LatestTagRule(), AptPinVersionsRule(), AptListsNotDeletedRule(), UseAddForArchivesRule(),
        ValidPortRule(), MultipleHealthcheckRule(), PipPinVersionsRule(), AptAssumeYesRule(), AptNoInstallRecommendsRule(),
        NpmPinVersionsRule(), ApkPinVersionsRule(), ApkNoCacheRule(), CopyInsteadOfAddRule(), CopyDestinationSlashRule(),
        CopyFromKnownStageRule(), CopyFromOwnStageRule(), UniqueStageNameRule(), JSONCommandFormRule(), TrustedRegistryRule(),
        AptInsteadOfAptGetRule(), GemPinVersionsRule(), FromPlatformRule(), YumAssumeYesRule(), YumCleanRule(),
        YumPinVersionsRule(), ZypperNonInteractiveRule(), ZypperDistUpgradeRule(), ZypperCleanRule(), ZypperPinVersionsRule(),
        DnfAssumeYesRule(), DnfCleanRule(), DnfPinVersionsRule(), PipNoCacheDirRule(), OnbuildTriggerRule(),
        EnvSelfReferenceRule(), CopyRelativeWithoutWorkdirRule(), UseraddLogInitRule(), WgetProgressRule(), LabelKeyRule(),
        LabelMissingRule(), LabelSuperfluousRule(), LabelEmptyRule(), LabelURLRule(), LabelTimeRule(), LabelSPDXRule(),
        LabelGitHashRule(), LabelSemverRule(), HealthcheckMissingRule(), LabelEmailRule(), ConsecutiveRunRule(),
        YarnCacheCleanRule(), InstructionOrderRule(), GoPinVersionsRule(), ReservedStageNameHadolintRule(),
        SensitiveArgOrEnvRule(), RedundantTargetPlatformHadolintRule(), NumericUserRule(), CopyWholeFilesystemRule(),
        MaintainerDeprecatedHadolintRule(), WgetOrCurlRule(), MultipleCmdRule(), MultipleEntrypointRule(),
        UseShellInstructionRule(), PipefailRule(), ShellTooDeeplyNestedRule(), MirrorHardcodedRule(), MirrorRewriteNoEffectRule(),
        CudaAptRepositoryRemovedRule(), AptUpdateAloneRule(), AptKeyDeprecatedRule(), DebianFrontendEnvRule(),
        AptUnauthenticatedRule(), CudaTagUnknownRule(), CudaTagRemovedRule(), CudaFlavorTooSmallRule(), CudaFlavorTooLargeRule(),
        CudnnManualInstallRule(), CudaTagUnsupportedRule(), LiteralPasswordRule(), SshRootPasswordLoginRule(),
        SshHostKeysBakedRule(), SecretInEnvRule(), ConsistentInstructionCasingCheck(), CopyIgnoredFileCheck(),
        DuplicateStageNameCheck(), ExposeInvalidFormatCheck(), ExposeProtoCasingCheck(), FromAsCasingCheck(),
        FromPlatformFlagConstDisallowedCheck(), InvalidBaseImagePlatformCheck(), InvalidDefaultArgInFromCheck(),
        InvalidDefinitionDescriptionCheck(), JSONArgsRecommendedCheck(), LegacyKeyValueFormatCheck(), MaintainerDeprecatedCheck(),
        MultipleInstructionsDisallowedCheck(), NoEmptyContinuationCheck(), RedundantTargetPlatformCheck(),
        ReservedStageNameCheck(), SecretsUsedInArgOrEnvCheck(), StageNameCasingCheck(), UndefinedArgInFromCheck(),
        UndefinedVarCheck(), WorkdirRelativePathCheck(),
    ]

    /// The rule with this code or name.
    public static func rule(_ codeOrName: String) -> (any LintRule)? {
        all.first { $0.description.code.lowercased() == codeOrName.lowercased() || $0.description.name == codeOrName }
    }
}
