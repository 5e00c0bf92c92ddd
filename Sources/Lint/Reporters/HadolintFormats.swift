import FoundationEssentials
import Support

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
        func reported(_ path: String) -> String { filePathInReport ?? path }
        let findings = results.flatMap { result in result.findings.map { (path: result.path, finding: $0) } }
        switch format {
        case .tty:
            return findings.map { item in
                let level = useColor ? Reporter.colored(item.finding.severity, palette: Reporter.hadolintColors) : item.finding.severity.rawValue
                return "\(item.path.escapingControlCharacters()):\(item.finding.range.start.line) \(item.finding.code) \(level): \(item.finding.message.escapingControlCharacters())\n"
            }.joined()
        case .gnu:
            return findings.map { item in
                "hadolint:\(item.path.escapingControlCharacters()):\(item.finding.range.start.line): \(item.finding.code) \(item.finding.severity.rawValue): \(item.finding.message.escapingControlCharacters())\n"
            }.joined()
        case .json:
            return "[" + findings.map { item in
                var writer = JSONWriter()
                writer.beginObject()
                writer.key("code"); writer.string(item.finding.code)
                writer.key("column"); writer.number(1)
                writer.key("file"); writer.string(item.path)
                writer.key("level"); writer.string(item.finding.severity.rawValue)
                writer.key("line"); writer.number(item.finding.range.start.line)
                writer.key("message"); writer.string(item.finding.message)
                writer.endObject()
                return writer.output
            }.joined(separator: ",") + "]"
        case .checkstyle:
            var output = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><checkstyle version=\"4.3\">"
            for result in results {
                let name = xmlAttribute(reported(result.path))
                if result.findings.isEmpty {
                    output += "<file name=\"\(name)\"/>"
                    continue
                }
                output += "<file name=\"\(name)\">"
                for finding in result.findings {
                    output += "<error column=\"1\" line=\"\(finding.range.start.line)\" message=\"\(xmlAttribute(finding.message))\" "
                        + "severity=\"\(finding.severity.rawValue)\" source=\"\(xmlAttribute(finding.code))\"/>"
                }
                output += "</file>"
            }
            return output + "</checkstyle>"
        case .codeclimate:
            return findings.map { codeClimateIssue($0.finding, path: reported($0.path), fingerprint: false) + " " }.joined()
        case .gitlabCodeclimate:
            return "[" + findings.map { codeClimateIssue($0.finding, path: reported($0.path), fingerprint: true) }.joined(separator: ",") + "]"
        case .codacy:
            return findings.map { item in
                var writer = JSONWriter()
                writer.beginObject()
                writer.key("filename"); writer.string(item.path)
                writer.key("line"); writer.number(item.finding.range.start.line)
                writer.key("message"); writer.string(item.finding.message)
                writer.key("patternId"); writer.string(item.finding.code)
                writer.endObject()
                return writer.output
            }.joined()
        case .sonarqube:
            return "{\"issues\":[" + findings.map { item in
                let line = item.finding.range.start.line
                let (severity, type): (String, String)
                switch item.finding.severity {
                case .error: (severity, type) = ("CRITICAL", "BUG")
                case .warning: (severity, type) = ("MAJOR", "CODE_SMELL")
                case .info: (severity, type) = ("MINOR", "CODE_SMELL")
                case .style: (severity, type) = ("INFO", "CODE_SMELL")
                }
                var writer = JSONWriter()
                writer.beginObject()
                writer.key("engineId"); writer.string("Hadolint")
                writer.key("primaryLocation")
                writer.beginObject()
                writer.key("filePath"); writer.string(reported(item.path))
                writer.key("message"); writer.string(item.finding.message)
                writer.key("textRange")
                writer.beginObject()
                writer.key("endColumn"); writer.number(1)
                writer.key("endLine"); writer.number(line)
                writer.key("startColumn"); writer.number(0)
                writer.key("startLine"); writer.number(line)
                writer.endObject()
                writer.endObject()
                writer.key("ruleId"); writer.string(item.finding.code)
                writer.key("severity"); writer.string(severity)
                writer.key("type"); writer.string(type)
                writer.endObject()
                return writer.output
            }.joined(separator: ",") + "]}"
        case .sarif:
            return Reporter.render(results, format: .sarif)
        case .junit:
            let (stamp, readable) = timestamps(now)
            var output = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><testsuites id=\"\(stamp)\" name=\"Hadolint run at \(readable)\" time=\"0.001\">"
            output += "<testsuite errors=\"0\" failures=\"\(findings.count)\" id=\"hadolint\" name=\"Hadolint 2.15.1\" time=\"0.001\""
            guard !findings.isEmpty else { return output + "/></testsuites>" }
            output += ">"
            for item in findings {
                let finding = item.finding
                output += "<testcase id=\"hadolint.rule.\(xmlAttribute(finding.code))\" time=\"0.001\"><failure id=\"\(xmlAttribute(finding.code))\" "
                    + "message=\"\(xmlAttribute(finding.message))\" type=\"\(finding.severity.rawValue)\">File: \(xmlText(reported(item.path)))\n"
                    + "Line: \(finding.range.start.line)\nCategory: Hadolint - Dockerfile Static Analysis\n"
                    + "\(finding.severity.rawValue): \(xmlText(finding.message))\n</failure></testcase>"
            }
            return output + "</testsuite></testsuites>"
        }
    }

    private static func codeClimateIssue(_ finding: Finding, path: String, fingerprint: Bool) -> String {
        let severity: String
        switch finding.severity {
        case .error: severity = "blocker"
        case .warning: severity = "major"
        case .info: severity = "info"
        case .style: severity = "minor"
        }
        var writer = JSONWriter()
        writer.beginObject()
        writer.key("categories"); writer.stringArray(["Bug Risk"])
        writer.key("check_name"); writer.string(finding.code)
        writer.key("description"); writer.string(finding.message)
        if fingerprint {
            // Stable across runs for the same problem at the same place, which is what GitLab compares.
            writer.key("fingerprint")
            writer.string(String(SHA256.hexDigest(Array("\(path):\(finding.range.start.line):\(finding.code):\(finding.message)".utf8)).prefix(40)))
        }
        writer.key("location")
        writer.beginObject()
        writer.key("lines")
        writer.beginObject()
        writer.key("begin"); writer.number(finding.range.start.line)
        writer.key("end"); writer.number(finding.range.start.line)
        writer.endObject()
        writer.key("path"); writer.string(path)
        writer.endObject()
        writer.key("severity"); writer.string(severity)
        writer.key("type"); writer.string("issue")
        writer.endObject()
        return writer.output
    }

    /// hadolint's attribute escaping: `&`, `<` and `"` (it leaves `>` alone).
    private static func xmlAttribute(_ text: String) -> String {
        Quoting.xml(text, controls: .escape, apostrophe: false, greaterThan: false)
    }

    private static func xmlText(_ text: String) -> String {
        Quoting.xml(text, controls: .escape, apostrophe: false, quote: false)
    }

    /// `20261129_052239` and `2026-11-29 05:22:39` (UTC).
    private static func timestamps(_ date: Date) -> (String, String) {
        let time = UTCTime(secondsSince1970: Int(date.timeIntervalSince1970))
        func two(_ value: Int) -> String { value < 10 ? "0\(value)" : String(value) }
        let (year, month, day) = (time.year, two(time.month), two(time.day))
        let (hour, minute, second) = (two(time.hour), two(time.minute), two(time.second))
        return ("\(year)\(month)\(day)_\(hour)\(minute)\(second)", "\(year)-\(month)-\(day) \(hour):\(minute):\(second)")
    }
}
