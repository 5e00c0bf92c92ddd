/// Every rule dockerkit has, in code order.
public enum RuleRegistry {
    public static let all: [any LintRule] = [
        NoInlineIgnoreRule(), AbsoluteWorkdirRule(), PointlessCommandRule(), LastUserRootRule(), UseWorkdirRule(), NoSudoRule(),
        UntaggedImageRule(), LatestTagRule(), AptPinVersionsRule(), AptListsNotDeletedRule(), AptAssumeYesRule(),
        UseAddForArchivesRule(), ValidPortRule(), MultipleHealthcheckRule(), PipPinVersionsRule(),
        AptNoInstallRecommendsRule(), NpmPinVersionsRule(), ApkPinVersionsRule(), ApkNoCacheRule(), CopyInsteadOfAddRule(),
        CopyDestinationSlashRule(), CopyFromKnownStageRule(), CopyFromOwnStageRule(), UniqueStageNameRule(), JSONCommandFormRule(),
        TrustedRegistryRule(), AptInsteadOfAptGetRule(), GemPinVersionsRule(), FromPlatformRule(), YumAssumeYesRule(), YumCleanRule(),
        YumPinVersionsRule(), ZypperNonInteractiveRule(), ZypperDistUpgradeRule(), ZypperCleanRule(), ZypperPinVersionsRule(),
        DnfAssumeYesRule(), DnfCleanRule(), DnfPinVersionsRule(), PipNoCacheDirRule(), OnbuildTriggerRule(), EnvSelfReferenceRule(),
        CopyRelativeWithoutWorkdirRule(), UseraddLogInitRule(), WgetProgressRule(), LabelKeyRule(),
    ] + LabelSchemaRule.all.map { $0 as any LintRule } + [
        HealthcheckMissingRule(), ConsecutiveRunRule(), YarnCacheCleanRule(), InstructionOrderRule(), GoPinVersionsRule(),
        ReservedStageNameHadolintRule(), SensitiveArgOrEnvRule(), RedundantTargetPlatformHadolintRule(), NumericUserRule(),
        CopyWholeFilesystemRule(), MaintainerDeprecatedRule(), WgetOrCurlRule(), MultipleCommandRule.cmd, MultipleCommandRule.entrypoint,
        UseShellInstructionRule(), PipefailRule(),
        ShellTooDeeplyNestedRule(), MirrorHardcodedRule(), MirrorRewriteNoEffectRule(), CudaAptRepositoryRemovedRule(),
        AptUpdateAloneRule(), AptKeyDeprecatedRule(), DebianFrontendEnvRule(), AptUnauthenticatedRule(),
        CudaTagUnknownRule(), CudaTagRemovedRule(), CudaFlavorTooSmallRule(), CudaFlavorTooLargeRule(), CudnnManualInstallRule(),
        CudaTagUnsupportedRule(),
        LiteralPasswordRule(), SshRootPasswordLoginRule(), SshHostKeysBakedRule(), SecretInEnvRule(),
        StageNameCasingCheck(), FromAsCasingCheck(), NoEmptyContinuationCheck(), ConsistentInstructionCasingCheck(),
        DuplicateStageNameCheck(), ReservedStageNameCheck(), JSONArgsRecommendedCheck(), MaintainerDeprecatedCheck(),
        UndefinedArgInFromCheck(), WorkdirRelativePathCheck(), UndefinedVarCheck(), MultipleInstructionsDisallowedCheck(),
        LegacyKeyValueFormatCheck(), InvalidBaseImagePlatformCheck(), RedundantTargetPlatformCheck(), SecretsUsedInArgOrEnvCheck(),
        InvalidDefaultArgInFromCheck(), FromPlatformFlagConstDisallowedCheck(), CopyIgnoredFileCheck(),
        InvalidDefinitionDescriptionCheck(), ExposeProtoCasingCheck(), ExposeInvalidFormatCheck(),
    ]

    /// The rule with this code or name.
    public static func rule(_ codeOrName: String) -> (any LintRule)? {
        all.first { $0.description.code.lowercased() == codeOrName.lowercased() || $0.description.name == codeOrName }
    }
}
