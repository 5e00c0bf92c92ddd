/// A setting given as text (a flag or a variable) that does not read as one; `message` says what was expected.
public struct LintSettingError: Error, Sendable, Equatable {
    public let message: String
}

extension LintConfiguration {
    /// Sets the failure threshold from its name; `none` and `ignore` mean nothing fails the run.
    public mutating func setFailureThreshold(_ threshold: String) throws(LintSettingError) {
        if threshold == "none" || threshold == "ignore" {
            failureThreshold = nil
        } else if let severity = Severity(rawValue: threshold) {
            failureThreshold = severity
        } else {
            throw LintSettingError(message: "unknown failure threshold '\(threshold)' (error, warning, info, style, ignore, none)")
        }
    }

    /// Requires a label, from `maintainer:text` as hadolint's `--require-label` takes it.
    public mutating func requireLabel(_ schema: String) throws(LintSettingError) {
        guard let colon = schema.firstIndex(of: ":"), colon != schema.startIndex else {
            throw LintSettingError(message: "--require-label takes LABEL:FORMAT (e.g. maintainer:text), not '\(schema)'")
        }
        labelSchema[String(schema[..<colon])] = String(schema[schema.index(after: colon)...])
    }

    /// Applies hadolint's environment variables (`HADOLINT_NOFAIL`, `HADOLINT_IGNORE`, `HADOLINT_OVERRIDE_*`, …), which
    /// rank between the config file and the flags.
    public mutating func applyHadolintEnvironment(_ environment: [String: String]) throws(LintSettingError) {
        func list(_ key: String) -> [String] {
            (environment[key] ?? "").split(separator: ",").map { $0.trimming(" ") }.filter { !$0.isEmpty }
        }
        func isOn(_ key: String) -> Bool {
            guard let value = environment[key]?.lowercased() else { return false }
            return !["", "0", "false", "no", "off"].contains(value)
        }
        if isOn("HADOLINT_NOFAIL") { noFail = true }
        if let threshold = environment["HADOLINT_FAILURE_THRESHOLD"], !threshold.isEmpty { try setFailureThreshold(threshold) }
        let ignoredCodes = list("HADOLINT_IGNORE")
        if !ignoredCodes.isEmpty { ignored = Set(ignoredCodes) }
        for (key, severity) in [("HADOLINT_OVERRIDE_ERROR", Severity.error), ("HADOLINT_OVERRIDE_WARNING", .warning),
                                ("HADOLINT_OVERRIDE_INFO", .info), ("HADOLINT_OVERRIDE_STYLE", .style)] {
            for code in list(key) { severityOverrides[code] = severity }
        }
        trustedRegistries += list("HADOLINT_TRUSTED_REGISTRIES")
        for schema in list("HADOLINT_REQUIRE_LABELS") { try requireLabel(schema) }
        if isOn("HADOLINT_STRICT_LABELS") { strictLabels = true }
        if isOn("HADOLINT_DISABLE_IGNORE_PRAGMA") { disablesIgnorePragmas = true }
    }

    /// Whether any finding of `results` reaches the failure threshold (never with `noFail`).
    public func fails(_ results: [LintResult]) -> Bool {
        guard !noFail, let threshold = failureThreshold else { return false }
        return results.contains { $0.findings.contains { $0.severity >= threshold } }
    }
}
