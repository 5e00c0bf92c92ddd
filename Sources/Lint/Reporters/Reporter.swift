import Support
import DockerfileSyntax

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
        case .tty: return tty(results, useColor: useColor)
        case .json: return json(results)
        case .sarif: return sarif(results)
        case .checkstyle: return checkstyle(results)
        case .gnu: return gnu(results)
        case .github: return github(results)
        case .codeclimate: return codeclimate(results)
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
            // The same objects as `json(_:)`, one file at a time inside the one array.
            var first = true
            emit("[")
            for result in results where !result.findings.isEmpty {
                emit((first ? "" : ",") + result.findings.map { jsonObject(path: result.path, finding: $0) }.joined(separator: ","))
                first = false
            }
            emit("]\n")
        case .sarif, .checkstyle, .codeclimate, .gitlabCodeclimate, .codacy, .sonarqube, .junit:
            emit(render(results, format: format, useColor: useColor))
        }
    }

    static func allFindings(_ results: [LintResult]) -> [(path: String, finding: Finding)] {
        results.flatMap { result in result.findings.map { (result.path, $0) } }
    }

    static func tty(_ results: [LintResult], useColor: Bool) -> String {
        var output = ""
        for result in results {
            for finding in result.findings {
                let start = finding.range.start
                let label = useColor ? colored(finding.severity) : finding.severity.rawValue
                output += "\(result.path.escapingControlCharacters()):\(start.line):\(start.column) \(label) \(finding.code) \(finding.message.escapingControlCharacters())\n"
                let lineOffsets = result.lineTable.lineOffsets(start.line, in: result.source)
                let line = String(decoding: result.source[lineOffsets], as: UTF8.self)
                guard !lineOffsets.isEmpty else { continue }
                output += "    " + line.escapingControlCharacters(keepingTabs: true).replacingTabs() + "\n"
                let endColumn = finding.range.end.line == start.line ? max(finding.range.end.column, start.column + 1) : lineOffsets.count + 1
                let caretStart = String(decoding: result.source[lineOffsets.lowerBound..<min(lineOffsets.upperBound, lineOffsets.lowerBound + start.column - 1)], as: UTF8.self)
                let underlined = String(decoding: result.source[min(lineOffsets.upperBound, lineOffsets.lowerBound + start.column - 1)..<min(lineOffsets.upperBound, lineOffsets.lowerBound + endColumn - 1)], as: UTF8.self)
                let caretWidth = caretStart.escapingControlCharacters(keepingTabs: true).replacingTabs().count
                output += "    " + String(repeating: " ", count: caretWidth) + "^" + String(repeating: "~", count: max(0, underlined.escapingControlCharacters(keepingTabs: true).count - 1)) + "\n"
            }
        }
        return output
    }

    /// ANSI colours of the severities: dockerkit's, and hadolint's brighter ones.
    static let dockerkitColors: [Severity: String] = [.error: "31", .warning: "33", .info: "36", .style: "35"]
    static let hadolintColors: [Severity: String] = [.error: "91", .warning: "93", .info: "92", .style: "96"]

    static func colored(_ severity: Severity, palette: [Severity: String] = dockerkitColors) -> String {
        "\u{1B}[\(palette[severity] ?? "0")m\(severity.rawValue)\u{1B}[0m"
    }

    static func json(_ results: [LintResult]) -> String {
        "[" + allFindings(results).map { jsonObject(path: $0.path, finding: $0.finding) }.joined(separator: ",") + "]\n"
    }

    /// One finding as hadolint's JSON format writes it.
    static func jsonObject(path: String, finding: Finding) -> String {
        var writer = JSONWriter()
        writer.beginObject()
        writer.key("code"); writer.string(finding.code)
        writer.key("column"); writer.number(finding.range.start.column)
        writer.key("endColumn"); writer.number(finding.range.end.column)
        writer.key("endLine"); writer.number(finding.range.end.line)
        writer.key("file"); writer.string(path)
        writer.key("level"); writer.string(finding.severity.rawValue)
        writer.key("line"); writer.number(finding.range.start.line)
        writer.key("message"); writer.string(finding.message)
        // Not in hadolint's shape, which readers ignore: whether `--fix` (safe) or `--fix --unsafe-fixes` fixes it.
        writer.key("fix"); writer.optionalString(finding.fix?.applicability.rawValue)
        writer.endObject()
        return writer.output
    }

    static func gnu(_ results: [LintResult]) -> String {
        allFindings(results).map { path, finding in
            "\(path.escapingControlCharacters()):\(finding.range.start.line):\(finding.range.start.column): \(finding.severity.rawValue): \(finding.message.escapingControlCharacters()) [\(finding.code)]\n"
        }.joined()
    }

    static func github(_ results: [LintResult]) -> String {
        allFindings(results).map { path, finding in
            let level: String
            switch finding.severity {
            case .error: level = "error"
            case .warning: level = "warning"
            case .info, .style: level = "notice"
            }
            let range = finding.range
            return "::\(level) file=\(escapeProperty(path)),line=\(range.start.line),col=\(range.start.column),endLine=\(range.end.line),endColumn=\(range.end.column),title=\(finding.code)::\(escapeData(finding.message))\n"
        }.joined()
    }

    static func escapeData(_ text: String) -> String {
        text.replacingAll("%", with: "%25").replacingAll("\r", with: "%0D").replacingAll("\n", with: "%0A").escapingControlCharacters()
    }


    static func escapeProperty(_ text: String) -> String {
        escapeData(text).replacingAll(":", with: "%3A").replacingAll(",", with: "%2C")
    }

    static func checkstyle(_ results: [LintResult]) -> String {
        var output = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<checkstyle version=\"4.3\">\n"
        for result in results {
            output += "  <file name=\"\(xml(result.path))\">\n"
            for finding in result.findings {
                output += "    <error line=\"\(finding.range.start.line)\" column=\"\(finding.range.start.column)\" severity=\"\(finding.severity == .style ? "info" : finding.severity.rawValue)\" message=\"\(xml(finding.message))\" source=\"\(xml(finding.code))\"/>\n"
            }
            output += "  </file>\n"
        }
        return output + "</checkstyle>\n"
    }

    static func xml(_ text: String) -> String {
        Quoting.xml(text)
    }

    static func codeclimate(_ results: [LintResult]) -> String {
        var writer = JSONWriter()
        writer.beginArray()
        for (path, finding) in allFindings(results) {
            let severity: String
            switch finding.severity {
            case .error: severity = "critical"
            case .warning: severity = "major"
            case .info: severity = "minor"
            case .style: severity = "info"
            }
            writer.beginObject()
            writer.key("type"); writer.string("issue")
            writer.key("check_name"); writer.string(finding.code)
            writer.key("description"); writer.string(finding.message)
            writer.key("categories"); writer.stringArray([finding.code.hasPrefix("DK4") ? "Security" : "Style"])
            writer.key("severity"); writer.string(severity)
            writer.key("fingerprint"); writer.string(fingerprint("\(path):\(finding.code):\(finding.range.start.line):\(finding.message)"))
            writer.key("location")
            writer.beginObject()
            writer.key("path"); writer.string(path)
            writer.key("lines")
            writer.beginObject()
            writer.key("begin"); writer.number(finding.range.start.line)
            writer.key("end"); writer.number(finding.range.end.line)
            writer.endObject()
            writer.endObject()
            writer.endObject()
        }
        writer.endArray()
        return writer.output + "\n"
    }

    /// A stable 64-bit FNV-1a hash in hex (GitLab needs a fingerprint per issue).
    static func fingerprint(_ text: String) -> String {
        var hash: UInt64 = 0xcbf29ce484222325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x100000001b3
        }
        let digits = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}

extension String {
    func replacingTabs() -> String { replacingAll("\t", with: "    ") }
}
