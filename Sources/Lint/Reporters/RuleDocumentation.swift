/// The rule pages under docs/rules/ (one Markdown file for each dockerkit rule), made from the rule descriptions so
/// they cannot drift: `dockerkit rules --write-docs docs/rules` writes them, and a test compares.
public enum RuleDocumentation {
    /// Where the project lives; SARIF's informationUri and the rule pages' links start here.
    public static let homepage = "https://github.com/dockerkit/dockerkit"

    /// The rules that have a page here (hadolint's and BuildKit's are documented by their projects).
    public static var documentedRules: [RuleDescription] {
        RuleRegistry.all.map(\.description).filter { $0.origin == .dockerkit }
    }

    /// The page a rule's help links to: its page here, or its project's documentation.
    public static func helpURI(for code: String) -> String {
        if let rule = RuleRegistry.rule(code)?.description {
            return rule.origin == .dockerkit ? pageURI(rule.code) : rule.documentation
        }
        return pageURI(code)
    }

    static func pageURI(_ code: String) -> String { "\(homepage)/blob/main/docs/rules/\(code).md" }

    /// The file name and text of a rule's page.
    public static func page(for rule: RuleDescription) -> (name: String, text: String) {
        var text = "# \(rule.code) \(rule.name)\n\n"
        text += "Severity: \(rule.severity.rawValue). Category: \(rule.category.rawValue)."
        if rule.isFixable { text += " Fixable with `dockerkit lint --fix`." }
        if rule.isOptIn { text += " Off unless enabled (`--enable \(rule.code)`)." }
        if !rule.aliases.isEmpty { text += " Also known as \(rule.aliases.map { "`\($0)`" }.joined(separator: ", "))." }
        text += "\n\n**\(rule.summary)**\n\n\(rule.rationale)\n"
        func examples(_ title: String, _ list: [RuleExample]) {
            guard !list.isEmpty else { return }
            text += "\n## \(title)\n"
            for example in list {
                text += "\n```dockerfile\n\(example.text.replacingAll("↓", with: ""))```\n"
                if let fixed = example.fixed { text += "\nFixed:\n\n```dockerfile\n\(fixed)```\n" }
            }
        }
        examples("Reported", rule.triggeringExamples)
        examples("Not reported", rule.nonTriggeringExamples)
        text += "\nSuppress one finding with `# dockerkit ignore=\(rule.code)` on the line before the instruction.\n"
        return ("\(rule.code).md", text)
    }
}
