import Support
import DockerfileSyntax

extension Reporter {
    /// SARIF 2.1.0 with the rules' metadata and regions with columns.
    static func sarif(_ results: [LintResult]) -> String {
        let findings = results.placedFindings
        let usedCodes = Set(findings.map(\.finding.code))
        var rules: [(code: String, name: String, summary: String, help: String, severity: Severity)] = RuleRegistry.all
            .map(\.description).filter { usedCodes.contains($0.code) }
            .map { ($0.code, $0.name, $0.summary, $0.documentation, $0.severity) }
        for code in usedCodes.sorted() where !rules.contains(where: { $0.code == code }) {
            rules.append((code, code == Linter.parseErrorCode ? "parse-error" : code.lowercased(),
                          code == Linter.parseErrorCode ? "The Dockerfile does not parse" : code, "dockerkit explain \(code)", .error))
        }
        func level(_ severity: Severity) -> String {
            switch severity {
            case .error: return "error"
            case .warning: return "warning"
            case .info, .style: return "note"
            }
        }
        var writer = JSONWriter()
        writer.beginObject()
        writer.key("$schema"); writer.string("https://json.schemastore.org/sarif-2.1.0.json")
        writer.key("version"); writer.string("2.1.0")
        writer.key("runs")
        writer.beginArray()
        writer.beginObject()
        writer.key("tool")
        writer.beginObject()
        writer.key("driver")
        writer.beginObject()
        writer.key("name"); writer.string("dockerkit")
        writer.key("informationUri"); writer.string(RuleDocumentation.homepage)
        writer.key("rules")
        writer.beginArray()
        for rule in rules {
            writer.beginObject()
            writer.key("id"); writer.string(rule.code)
            writer.key("name"); writer.string(rule.name)
            writer.key("shortDescription"); writer.beginObject(); writer.key("text"); writer.string(rule.summary); writer.endObject()
            writer.key("helpUri"); writer.string(RuleDocumentation.helpURI(for: rule.code))
            writer.key("help"); writer.beginObject(); writer.key("text"); writer.string("dockerkit explain \(rule.code)"); writer.endObject()
            writer.key("defaultConfiguration"); writer.beginObject(); writer.key("level"); writer.string(level(rule.severity)); writer.endObject()
            writer.endObject()
        }
        writer.endArray()
        writer.endObject()
        writer.endObject()
        writer.key("results")
        writer.beginArray()
        for (path, finding) in findings {
            writer.beginObject()
            writer.key("ruleId"); writer.string(finding.code)
            if let index = rules.firstIndex(where: { $0.code == finding.code }) { writer.key("ruleIndex"); writer.number(index) }
            writer.key("level"); writer.string(level(finding.severity))
            writer.key("message"); writer.beginObject(); writer.key("text"); writer.string(finding.message); writer.endObject()
            writer.key("locations")
            writer.beginArray()
            writer.beginObject()
            writer.key("physicalLocation")
            writer.beginObject()
            writer.key("artifactLocation"); writer.beginObject(); writer.key("uri"); writer.string(uri(path)); writer.endObject()
            writer.key("region")
            writer.beginObject()
            writer.key("startLine"); writer.number(finding.range.start.line)
            writer.key("startColumn"); writer.number(finding.range.start.column)
            writer.key("endLine"); writer.number(finding.range.end.line)
            writer.key("endColumn"); writer.number(max(finding.range.end.column, finding.range.end.line == finding.range.start.line ? finding.range.start.column : 1))
            writer.endObject()
            writer.endObject()
            writer.endObject()
            writer.endArray()
            writer.endObject()
        }
        writer.endArray()
        writer.endObject()
        writer.endArray()
        writer.endObject()
        return writer.output + "\n"
    }

    /// A relative URI reference for a path (spaces and `%` escaped).
    static func uri(_ path: String) -> String {
        var output = ""
        for byte in path.utf8 {
            let character = Character(UnicodeScalar(byte))
            if byte < 0x80 && (character.isLetter || character.isNumber || "/-._~".contains(character)) {
                output.append(character)
            } else {
                let digits = String(byte, radix: 16, uppercase: true)
                output += "%" + (digits.count == 1 ? "0" + digits : digits)
            }
        }
        return output
    }
}
