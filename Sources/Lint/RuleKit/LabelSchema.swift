import DockerfileSyntax

/// What DL3049–DL3058 share: labels checked against `label-schema` (and `strict-labels`) from the configuration.
enum LabelSchema {
    enum Check: Sendable {
        case missing, superfluous, empty, format(String)
    }

    /// The rationale of every label rule. The rules spell out the rest of their descriptions, constants all, so that
    /// the compiler lays each out in the binary (a description made by a function is made at run time).
    static let rationale = "With `label-schema` configured, labels must be present and well-formed."

    /// A label rule's example, run with `schema` and strict labels configured.
    static func examples(_ text: String, schema: [String: String]) -> [RuleExample] {
        var configuration = LintConfiguration()
        configuration.labelSchema = schema
        configuration.strictLabels = true
        return [RuleExample(text, configuration: configuration)]
    }

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

    /// The findings of `rule`, which checks `check`.
    static func findings(in file: LintedFile, checking check: Check, rule: some LintRule) -> [Finding] {
        let schema = file.configuration.labelSchema
        guard !schema.isEmpty else { return [] }
        var findings: [Finding] = []
        switch check {
        case .missing:
            // Every stage, as hadolint checks them: its labels and those of the stages it builds on.
            for checked in file.stages {
                var present = Set<String>()
                var stage: Stage? = checked
                while let current = stage {
                    for index in current.instructionIndices {
                        if let label = KeyValueInstruction(file.instructions[index]), file.instructions[index].kind == .label {
                            present.formUnion(label.pairs.map(\.key.text))
                        }
                    }
                    stage = current.parentStage.map { file.stages[$0] }
                }
                for key in schema.keys.sorted() where !present.contains(key) {
                    findings.append(rule.finding("Label `\(key)` is missing.", at: checked.from.instruction.keyword.range))
                }
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
                            findings.append(rule.finding("Superfluous label `\(pair.key.text)` present.", at: instruction.keyword.range))
                        }
                    case .empty:
                        if schema[pair.key.text] != nil && value.isEmpty {
                            findings.append(rule.finding("Label `\(pair.key.text)` is empty.", at: instruction.keyword.range))
                        }
                    case .format(let type):
                        if schema[pair.key.text] == type, !value.isEmpty, !isValid(value, as: type) {
                            findings.append(rule.finding(rule.description.summary.replacingAll("Label", with: "Label `\(pair.key.text)`"), at: instruction.keyword.range))
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
