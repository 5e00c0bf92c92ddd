import Knowledge
import Support

/// Lint settings from `.hadolint.yaml`, `.dockerkit.yaml` and the command line.
public struct LintConfiguration: Sendable, Equatable {
    /// Codes (or BuildKit check names) never reported.
    public var ignored: Set<String> = []
    /// Severity overrides by code.
    public var severityOverrides: [String: Severity] = [:]
    /// Registries allowed in FROM (DL3026); empty allows all.
    public var trustedRegistries: [String] = []
    /// Exit with 1 only for findings at or above this; nil means `none`.
    public var failureThreshold: Severity? = .info
    /// Required labels and their schema type (DL3049–DL3058).
    public var labelSchema: [String: String] = [:]
    /// Only labels in the schema are allowed.
    public var strictLabels = false
    /// Never fail (exit 0 whatever is found).
    public var noFail = false
    /// The package mirror this project uses (`tuna`, `aliyun`, …, or `none`), for DK101.
    public var mirror: String?
    /// Report suppressions that suppressed nothing.
    public var reportUnusedIgnores = false
    /// Opt-in rules switched on (by code).
    public var enabledRules: Set<String> = []
    /// Run ShellCheck over RUN scripts (`--shellcheck` or `shellcheck: true`).
    public var runsShellCheck = false
    /// The `.dockerignore` of the build context, for CopyIgnoredFile (set per file by the command line).
    public var dockerIgnore: String?
    /// `# hadolint ignore=` and `# dockerkit ignore=` pragmas count for nothing (`--disable-ignore-pragma`).
    public var disablesIgnorePragmas = false
    /// Only the stages a build of this stage (`--target`) reaches are linted; nil lints every stage.
    public var target: String?
    /// The baseline file a config names (`baseline:`, absolute): its findings are accepted for now.
    public var baselinePath: String?
    /// The baseline read from `baselinePath` (the command line and the editor load it).
    public var baseline: Baseline?
    /// How an editor shows findings the baseline accepts: as hints (the default) or not at all.
    public var baselineInEditor: BaselineDisplay = .hint

    /// How the language server shows findings a baseline accepts.
    public enum BaselineDisplay: String, Sendable, Equatable {
        case hint, hide
    }

    public init() {}

    /// The severity a finding of `code` gets.
    public func severity(for code: String, default severity: Severity) -> Severity {
        severityOverrides[code] ?? severity
    }
}

extension LintConfiguration {
    /// Applies the lint keys of a parsed config file (hadolint's keys, plus `mirror`, `rules`, `shellcheck`).
    public mutating func apply(_ document: YAMLValue, path: String) throws(ConfigurationError) {
        guard case .map(let entries) = document.value else {
            if case .null = document.value { return }
            throw document.error(path, "expected a mapping at the top level")
        }
        for (key, value) in entries {
            switch key {
            case "ignored":
                ignored.formUnion(try value.stringList(path: path, key: key))
            case "override":
                try applyOverrides(value, path: path)
            case "trustedRegistries":
                trustedRegistries = try value.stringList(path: path, key: key)
            case "failure-threshold":
                let text = try value.string(path: path, key: key)
                if text == "none" {
                    failureThreshold = nil
                } else if let severity = Severity(rawValue: text) {
                    failureThreshold = severity
                } else {
                    throw value.error(path, "failure-threshold: expected error, warning, info, style or none")
                }
            case "label-schema":
                guard case .map(let labels) = value.value else {
                    throw value.error(path, "label-schema: expected a mapping")
                }
                for (label, type) in labels { labelSchema[label] = try type.string(path: path, key: label) }
            case "strict-labels":
                strictLabels = try value.bool(path: path, key: key)
            case "no-fail":
                noFail = try value.bool(path: path, key: key)
            case "mirror":
                let name = try value.string(path: path, key: key).lowercased()
                guard name == "none" || MirrorCatalog.shared.mirror(named: name) != nil else {
                    throw value.error(path, "mirror: expected \((MirrorCatalog.shared.names + ["none"]).joined(separator: ", "))")
                }
                mirror = name
            case "rules":
                try applyRules(value, path: path)
            case "report-unused-ignores":
                reportUnusedIgnores = try value.bool(path: path, key: key)
            case "shellcheck":
                runsShellCheck = try value.bool(path: path, key: key)
            case "disable-ignore-pragma":
                disablesIgnorePragmas = try value.bool(path: path, key: key)
            case "baseline":
                let file = try value.string(path: path, key: key)
                let folder = path.contains("/") ? String(path[..<(path.lastIndex(of: "/") ?? path.endIndex)]) : "."
                baselinePath = file.hasPrefix("/") ? file : folder + "/" + file
            case "baseline-in-editor":
                let text = try value.string(path: path, key: key)
                guard let display = BaselineDisplay(rawValue: text) else { throw value.error(path, "baseline-in-editor: expected hint or hide") }
                baselineInEditor = display
            case "fmt", "format", "no-color", "verbose":
                // `fmt` is the formatter's (FormatSettings); the rest are hadolint's output settings.
                continue
            default:
                throw value.error(path, "unknown key '\(key)'")
            }
        }
    }

    /// `override: {error: [codes], …}`.
    private mutating func applyOverrides(_ value: YAMLValue, path: String) throws(ConfigurationError) {
        guard case .map(let levels) = value.value else {
            throw value.error(path, "override: expected a mapping of levels to codes")
        }
        for (level, codes) in levels {
            guard let severity = Severity(rawValue: level) else {
                throw codes.error(path, "override: unknown level '\(level)'")
            }
            for code in try codes.stringList(path: path, key: level) { severityOverrides[code] = severity }
        }
    }

    /// `rules: {CODE: on|off|LEVEL}`.
    private mutating func applyRules(_ value: YAMLValue, path: String) throws(ConfigurationError) {
        guard case .map(let rules) = value.value else {
            throw value.error(path, "rules: expected a mapping of codes to settings")
        }
        for (code, setting) in rules {
            if case .scalar(let text) = setting.value {
                switch text {
                case "off", "false": ignored.insert(code)
                case "on", "true": enabledRules.insert(code)
                default:
                    guard let severity = Severity(rawValue: text) else {
                        throw ConfigurationError(path: path, line: setting.line, message: "rules.\(code): expected on, off or a level")
                    }
                    severityOverrides[code] = severity
                    enabledRules.insert(code)
                }
            }
        }
    }
}
