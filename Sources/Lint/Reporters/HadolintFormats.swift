import FoundationEssentials

/// hadolint's report formats, byte for byte in shape, for tools that read hadolint's output (vscode-hadolint,
/// reviewdog, GitLab and Sonar imports): each finding at its instruction's line, column 1.
public enum HadolintFormat: String, Sendable, CaseIterable {
    case tty, json, checkstyle, codeclimate, gitlabCodeclimate = "gitlab_codeclimate", gnu, codacy, sonarqube, sarif, junit

    /// hadolint exits 0 with these whatever it finds: their readers decide.
    public var alwaysSucceeds: Bool { self == .codeclimate || self == .codacy }
}

/// Renders lint results as hadolint does.
public enum HadolintReporter {
    /// `filePathInReport` replaces the file's path where hadolint's `--file-path-in-report` does (checkstyle, the
    /// Code Climate formats, SonarQube, JUnit).
    public static func render(_ results: [LintResult], format: HadolintFormat, useColor: Bool = false, filePathInReport: String? = nil,
                              now: Date = Date()) -> String {
        let reported: (String) -> String = { filePathInReport ?? $0 }
        switch format {
        case .tty: return TTYReport.render(results, dialect: .hadolint, useColor: useColor)
        case .gnu: return GNUReport.render(results, dialect: .hadolint)
        case .json: return JSONReport.render(results, dialect: .hadolint)
        case .checkstyle: return CheckstyleReport.render(results, dialect: .hadolint, reportedPath: reported)
        case .codeclimate: return CodeClimateReport.renderHadolint(results, gitlab: false, reportedPath: reported)
        case .gitlabCodeclimate: return CodeClimateReport.renderHadolint(results, gitlab: true, reportedPath: reported)
        case .codacy: return CodacyReport.render(results)
        case .sonarqube: return SonarQubeReport.render(results, reportedPath: reported)
        case .sarif: return Reporter.render(results, format: .sarif)
        case .junit: return JUnitReport.render(results, reportedPath: reported, now: now)
        }
    }
}
