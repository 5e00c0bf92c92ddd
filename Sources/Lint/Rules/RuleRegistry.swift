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
        YarnCacheCleanRule(), InstructionOrderRule(), GoPinVersionsRule(), ReservedStageNameRule(),
        SensitiveArgOrEnvRule(), RedundantTargetPlatformRule(), NumericUserRule(), CopyWholeFilesystemRule(),
        MaintainerDeprecatedRule(), WgetOrCurlRule(), MultipleCmdRule(), MultipleEntrypointRule(),
        UseShellInstructionRule(), PipefailRule(), ShellTooDeeplyNestedRule(), MirrorHardcodedRule(), MirrorRewriteNoEffectRule(),
        CudaAptRepositoryRemovedRule(), AptUpdateAloneRule(), AptKeyDeprecatedRule(), DebianFrontendEnvRule(),
        AptUnauthenticatedRule(), AptInteractivePromptRule(), CudaTagUnknownRule(), CudaTagRemovedRule(), CudaFlavorTooSmallRule(), CudaFlavorTooLargeRule(),
        CudnnManualInstallRule(), CudaTagUnsupportedRule(), FrameworkCudaMismatchRule(), LiteralPasswordRule(), SshRootPasswordLoginRule(),
        SshHostKeysBakedRule(), SecretInEnvRule(), SshdPrivilegeSeparationDirectoryRule(), FinalStageRunsAsRootRule(), SudoForEveryoneRule(),
        TlsVerificationDisabledRule(), RemoteScriptPipedToShellRule(), RemoteAddUnverifiedRule(), DangerousVolumeRule(),
        WorldWritableSystemFolderRule(),
        ConsistentInstructionCasingCheck(), CopyIgnoredFileCheck(),
        DuplicateStageNameCheck(), ExposeInvalidFormatCheck(), ExposeProtoCasingCheck(), FromAsCasingCheck(),
        FromPlatformFlagConstDisallowedCheck(), InvalidBaseImagePlatformCheck(), InvalidDefaultArgInFromCheck(),
        InvalidDefinitionDescriptionCheck(), JSONArgsRecommendedCheck(), LegacyKeyValueFormatCheck(),
        MultipleInstructionsDisallowedCheck(), NoEmptyContinuationCheck(),
        StageNameCasingCheck(), UndefinedArgInFromCheck(),
        UndefinedVarCheck(), WorkdirRelativePathCheck(),
    ]

    /// The rule with this code, alias or name.
    public static func rule(_ codeOrName: String) -> (any LintRule)? {
        primaryCodes[codeOrName.lowercased()].flatMap { rulesByCode[$0] }
    }

    /// Every rule by its code: reporters ask once per finding, and a description is too large to scan for.
    private static let rulesByCode: [String: any LintRule] = Dictionary(all.map { ($0.description.code, $0) }, uniquingKeysWith: { first, _ in first })

    /// Every rule's code, aliases and name (lower-cased) → its code.
    public static let primaryCodes: [String: String] = {
        var codes: [String: String] = [:]
        for rule in all {
            let description = rule.description
            for key in [description.code, description.name] + description.aliases { codes[key.lowercased()] = description.code }
        }
        return codes
    }()
}
