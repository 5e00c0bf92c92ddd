import Support
import DockerfileSyntax
import Lint

/// `dockerkit rules [--format json]` and `dockerkit explain CODE`.
enum RulesCommand {
    static let valueOptions: [String] = ["--format", "--write-docs"]
    static let flagOptions: [String] = []
    static let usage = """
        usage: dockerkit rules [CODE...] [--format table|json] [--write-docs DIR]
        Lists the lint rules (or the ones named by code, alias or name); --write-docs writes the pages of docs/rules/.
        """
    static let explainUsage = "usage: dockerkit explain CODE   (a rule's code, alias or name; see `dockerkit rules`)"

    /// Codes dockerkit reports that are not rules of their own.
    static let pseudoRules: [String: String] = [
        "DL1000": """
            DL1000 parse-error (error)

            The Dockerfile does not parse, or BuildKit's frontend refuses an instruction before building (argument \
            counts, unknown flags, bad durations, forbidden ONBUILD triggers, SHELL not in JSON form). The message is \
            BuildKit's; the line is the instruction's first line. `dockerkit build` stops on it.
            """,
        "DK001": """
            DK001 unused-suppression (info)

            A `# hadolint ignore=…` or `# dockerkit ignore=…` pragma that suppressed nothing. Reported with \
            `--report-unused-ignores` or `report-unused-ignores: true`, so stale pragmas can be removed.
            """,
    ]

    static func list(_ arguments: [String]) throws(CommandFailure) -> Int32 {
        let options: CommandLineArguments
        do {
            options = try CommandLineArguments(arguments, valueOptions: valueOptions, flagOptions: flagOptions)
        } catch {
            throw CommandFailure(message: "dockerkit rules: \(error.message)")
        }
        if let directory = options.value("--write-docs") {
            for rule in RuleDocumentation.documentedRules {
                let page = RuleDocumentation.page(for: rule)
                do {
                    try SafeFileWriter.create(Array(page.text.utf8), at: FilePath.appending(page.name, to: directory), mode: 0o644)
                } catch {
                    throw CommandFailure(message: error.message)
                }
            }
            StandardStreams.error("dockerkit rules: wrote \(RuleDocumentation.documentedRules.count) rule pages to \(directory)\n")
            return 0
        }
        // `dockerkit rules CODE…` lists those rules only (codes, aliases or names).
        let rules = options.positional.isEmpty ? RuleRegistry.all.map(\.description)
            : RuleRegistry.all.map(\.description).filter { rule in
                options.positional.contains { RuleRegistry.primaryCodes[$0.lowercased()] == rule.code }
            }
        if rules.isEmpty {
            throw CommandFailure(message: "dockerkit rules: no rule \(options.positional.joined(separator: ", "))")
        }
        switch options.value("--format") ?? "table" {
        case "json":
            var writer = JSONWriter()
            writer.beginArray()
            for rule in rules {
                writer.beginObject()
                writer.key("code"); writer.string(rule.code)
                writer.key("name"); writer.string(rule.name)
                writer.key("aliases"); writer.stringArray(rule.aliases)
                writer.key("origin"); writer.string(rule.origin.rawValue)
                writer.key("category"); writer.string(rule.category.rawValue)
                writer.key("severity"); writer.string(rule.severity.rawValue)
                writer.key("summary"); writer.string(rule.summary)
                writer.key("documentation"); writer.string(rule.documentation)
                writer.key("fixable"); writer.bool(rule.isFixable)
                writer.key("optIn"); writer.bool(rule.isOptIn)
                writer.key("sameProblemAs"); writer.stringArray((Linter.sameProblem[rule.code] ?? []).sorted())
                writer.endObject()
            }
            writer.endArray()
            StandardStreams.write(writer.output + "\n")
        case "table":
            let codeWidth = rules.map(\.code.count).max() ?? 6
            let nameWidth = rules.map(\.name.count).max() ?? 10
            for rule in rules {
                let code = rule.code.padding(codeWidth)
                let name = rule.name.padding(nameWidth)
                StandardStreams.write("\(code)  \(rule.severity.rawValue.padding(7))  \(name)  \(rule.summary)\n")
            }
        default:
            throw CommandFailure(message: "dockerkit rules: unknown format; expected table or json")
        }
        return 0
    }

    static func explain(_ arguments: [String]) throws(CommandFailure) -> Int32 {
        guard arguments.count == 1 else { throw CommandFailure(message: "dockerkit explain: error: name one rule\n\(explainUsage)") }
        if let text = pseudoRules[arguments[0].uppercased()] {
            StandardStreams.write(text + "\n")
            return 0
        }
        guard let rule = RuleRegistry.rule(arguments[0])?.description else {
            let known = RuleRegistry.primaryCodes.keys.sorted() + pseudoRules.keys.map { $0.lowercased() }
            let guess = nearest(arguments[0].lowercased(), among: known).map { RuleRegistry.primaryCodes[$0] ?? $0.uppercased() }
            throw CommandFailure(message: "dockerkit explain: error: no rule \(arguments[0])" + (guess.map { " (did you mean \($0)?)" } ?? "") + "; `dockerkit rules` lists them")
        }
        var text = "\(rule.code) \(rule.name) (\(rule.severity.rawValue)\(rule.isFixable ? ", fixable" : ""))\n"
        if !rule.aliases.isEmpty { text += "Also known as \(rule.aliases.joined(separator: ", ")): configuration and pragmas may use any of these codes.\n" }
        text += "\n\(rule.summary)\n\n\(rule.rationale)\n"
        if rule.documentation.hasPrefix("http") { text += "\nMore: \(rule.documentation)\n" }
        text += "\nReported:\n"
        for example in rule.triggeringExamples { text += indent(example.text.replacingAll("↓", with: "")) }
        text += "\nNot reported:\n"
        for example in rule.nonTriggeringExamples { text += indent(example.text) }
        StandardStreams.write(text)
        return 0
    }

    static func indent(_ text: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map { "    " + $0 }.joined(separator: "\n") + "\n\n"
    }
}

extension String {
    func padding(_ width: Int) -> String { self + String(repeating: " ", count: max(0, width - count)) }
}
