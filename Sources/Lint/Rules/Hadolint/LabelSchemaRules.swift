import DockerfileSyntax

/// DL3049–DL3058: labels checked against `label-schema` (and `strict-labels`) from the configuration.
struct LabelSchemaRule: LintRule {
    enum Check: Sendable {
        case missing, superfluous, empty, format(String)
    }

    let description: RuleDescription
    let check: Check

    static func make(_ code: String, _ name: String, _ severity: Severity, _ summary: String, _ check: Check,
                     _ triggering: String, _ clean: String, schema: [String: String]) -> LabelSchemaRule {
        var configuration = LintConfiguration()
        configuration.labelSchema = schema
        configuration.strictLabels = true
        return LabelSchemaRule(description: RuleDescription(
            code: code, name: name, severity: severity, summary: summary,
            rationale: "With `label-schema` configured, labels must be present and well-formed.",
            documentation: "https://github.com/hadolint/hadolint/wiki/\(code)",
            triggeringExamples: [RuleExample(triggering, configuration: configuration)],
            nonTriggeringExamples: [RuleExample(clean, configuration: configuration)]), check: check)
    }

    static let all: [LabelSchemaRule] = [
        make("DL3049", "label-missing", .info, "Label is missing.", .missing,
             "↓FROM debian:12\n", "FROM debian:12\nLABEL author=me\n", schema: ["author": "text"]),
        make("DL3050", "label-superfluous", .info, "Superfluous label(s) present.", .superfluous,
             "FROM debian:12\n↓LABEL author=me other=x\n", "FROM debian:12\nLABEL author=me\n", schema: ["author": "text"]),
        make("DL3051", "label-empty", .warning, "Label is empty.", .empty,
             "FROM debian:12\n↓LABEL author=\"\"\n", "FROM debian:12\nLABEL author=me\n", schema: ["author": "text"]),
        make("DL3052", "label-url", .warning, "Label is not a valid URL.", .format("url"),
             "FROM debian:12\n↓LABEL home=nowhere\n", "FROM debian:12\nLABEL home=https://example.com\n", schema: ["home": "url"]),
        make("DL3053", "label-time", .warning, "Label is not a valid time format - must conform to RFC3339.", .format("rfc3339"),
             "FROM debian:12\n↓LABEL created=yesterday\n", "FROM debian:12\nLABEL created=2024-01-02T03:04:05Z\n", schema: ["created": "rfc3339"]),
        make("DL3054", "label-spdx", .warning, "Label is not a valid SPDX license identifier.", .format("spdx"),
             "FROM debian:12\n↓LABEL license=\"my license\"\n", "FROM debian:12\nLABEL license=MIT\n", schema: ["license": "spdx"]),
        make("DL3055", "label-git-hash", .warning, "Label is not a valid git hash.", .format("hash"),
             "FROM debian:12\n↓LABEL revision=xyz\n", "FROM debian:12\nLABEL revision=0123456789abcdef0123456789abcdef01234567\n", schema: ["revision": "hash"]),
        make("DL3056", "label-semver", .warning, "Label does not conform to semantic versioning.", .format("semver"),
             "FROM debian:12\n↓LABEL version=one\n", "FROM debian:12\nLABEL version=1.2.3\n", schema: ["version": "semver"]),
        make("DL3058", "label-email", .warning, "Label is not a valid email format - must conform to RFC5322.", .format("email"),
             "FROM debian:12\n↓LABEL author=nobody\n", "FROM debian:12\nLABEL author=a@example.com\n", schema: ["author": "email"]),
    ]

    static func isValid(_ value: String, as type: String) -> Bool {
        switch type {
        case "url":
            guard let colon = value.firstIndex(of: ":") else { return false }
            return value[..<colon].allSatisfy { $0.isLetter || $0.isNumber || "+-.".contains($0) } && value[colon...].count > 1
        case "rfc3339":
            let characters = Array(value)
            guard characters.count >= 20, characters[4] == "-", characters[7] == "-", characters[10] == "T" || characters[10] == "t",
                  characters[13] == ":", characters[16] == ":" else { return false }
            return [0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18].allSatisfy { characters[$0].isNumber }
        case "spdx":
            return !value.isEmpty && value.allSatisfy { $0.isLetter || $0.isNumber || "-.+ ()".contains($0) } && !value.contains("  ")
                && (value.contains(" ") ? ["AND", "OR", "WITH"].contains { value.contains(" \($0) ") } : true)
        case "hash":
            return (value.count == 40 || value.count == 64 || (value.count >= 7 && value.count <= 12)) && value.allSatisfy(\.isHexDigit)
        case "semver":
            var core = Substring(value)
            if core.first == "v" { core = core.dropFirst() }
            let main = core.prefix { $0 != "-" && $0 != "+" }
            let parts = main.split(separator: ".", omittingEmptySubsequences: false)
            return parts.count == 3 && parts.allSatisfy { !$0.isEmpty && $0.allSatisfy(\.isNumber) }
        case "email":
            let parts = value.split(separator: "@", omittingEmptySubsequences: false)
            return parts.count == 2 && !parts[0].isEmpty && parts[1].contains(".") && !parts[1].hasPrefix(".") && !parts[1].hasSuffix(".")
        default:
            return true
        }
    }

    func check(_ file: LintedFile) -> [Finding] {
        let schema = file.configuration.labelSchema
        guard !schema.isEmpty else { return [] }
        var findings: [Finding] = []
        switch check {
        case .missing:
            guard let last = file.stages.last else { return [] }
            var present = Set<String>()
            var stage: Stage? = last
            while let current = stage {
                for index in current.instructionIndices {
                    if let label = KeyValueInstruction(file.instructions[index]), file.instructions[index].kind == .label {
                        present.formUnion(label.pairs.map(\.key.text))
                    }
                }
                stage = current.parentStage.map { file.stages[$0] }
            }
            for key in schema.keys.sorted() where !present.contains(key) {
                findings.append(finding("Label `\(key)` is missing.", at: last.from.instruction.keyword.range))
            }
        case .superfluous, .empty, .format:
            for index in file.instructionIndices(of: .label) {
                let instruction = file.instructions[index]
                guard let label = KeyValueInstruction(instruction) else { continue }
                for pair in label.pairs {
                    let value = pair.unquotedValue(escapeToken: file.tree.escapeToken)
                    switch check {
                    case .superfluous:
                        if file.configuration.strictLabels && schema[pair.key.text] == nil {
                            findings.append(finding("Superfluous label `\(pair.key.text)` present.", at: instruction.keyword.range))
                        }
                    case .empty:
                        if schema[pair.key.text] != nil && value.isEmpty {
                            findings.append(finding("Label `\(pair.key.text)` is empty.", at: instruction.keyword.range))
                        }
                    case .format(let type):
                        if schema[pair.key.text] == type, !value.isEmpty, !Self.isValid(value, as: type) {
                            findings.append(finding(description.summary.replacingAll("Label", with: "Label `\(pair.key.text)`"), at: instruction.keyword.range))
                        }
                    case .missing:
                        break
                    }
                }
            }
        }
        return findings
    }
}
