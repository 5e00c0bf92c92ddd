
/// Output formats of `dockerkit lint`.
public enum ReportFormat: String, Sendable, CaseIterable {
    case tty, json, sarif, checkstyle, gnu, github, codeclimate
    case gitlabCodeclimate = "gitlab_codeclimate", codacy, sonarqube, junit

    /// Formats that only hadolint defines: their shape is hadolint's (HadolintReporter).
    public var isHadolintShaped: Bool { [.gitlabCodeclimate, .codacy, .sonarqube, .junit].contains(self) }
}

/// Renders lint results in one of the report formats.
public enum Reporter {
    public static func render(_ results: [LintResult], format: ReportFormat, useColor: Bool = false) -> String {
        switch format {
        case .tty: return TTYReport.render(results, dialect: .dockerkit, useColor: useColor)
        case .json: return JSONReport.render(results, dialect: .dockerkit)
        case .sarif: return sarif(results)
        case .checkstyle: return CheckstyleReport.render(results, dialect: .dockerkit)
        case .gnu: return GNUReport.render(results, dialect: .dockerkit)
        case .github: return GitHubReport.render(results)
        case .codeclimate: return CodeClimateReport.render(results)
        case .gitlabCodeclimate, .codacy, .sonarqube, .junit:
            return HadolintReporter.render(results, format: HadolintFormat(rawValue: format.rawValue) ?? .json)
        }
    }

    /// Renders piece by piece, handing each piece to `emit`, so a large report is never held whole in memory.
    /// Formats whose document is not a simple sequence (SARIF, Checkstyle, Code Climate) come in one piece.
    public static func render(_ results: [LintResult], format: ReportFormat, useColor: Bool = false, emit: (String) -> Void) {
        switch format {
        case .tty, .gnu, .github:
            // In pieces of a few hundred findings, so one huge file's report is not built whole either.
            for result in results where !result.findings.isEmpty {
                for start in stride(from: 0, to: result.findings.count, by: 256) {
                    let piece = LintResult(path: result.path, source: result.source, lineTable: result.lineTable,
                                           findings: Array(result.findings[start..<min(start + 256, result.findings.count)]))
                    emit(render([piece], format: format, useColor: useColor))
                }
            }
        case .json:
            // The same objects as `JSONReport`, a few hundred at a time inside the one array.
            var first = true
            emit("[")
            for result in results where !result.findings.isEmpty {
                for start in stride(from: 0, to: result.findings.count, by: 256) {
                    var piece: [UInt8] = []
                    for finding in result.findings[start..<min(start + 256, result.findings.count)] {
                        if !first { piece.append(UInt8(ascii: ",")) }
                        JSONReport.append((result.path, finding), dialect: .dockerkit, to: &piece)
                        first = false
                    }
                    emit(String(decoding: piece, as: UTF8.self))
                }
            }
            emit("]\n")
        case .sarif, .checkstyle, .codeclimate, .gitlabCodeclimate, .codacy, .sonarqube, .junit:
            emit(render(results, format: format, useColor: useColor))
        }
    }
}
