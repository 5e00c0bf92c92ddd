import Foundation
import Lint
import Testing

@Test func rulePagesInDocsEqualTheRuleDescriptions() throws {
    let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("docs/rules")
    let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".md") }.sorted()
    let pages = RuleDocumentation.documentedRules.map(RuleDocumentation.page(for:))
    #expect(names == pages.map(\.name).sorted(), "run: dockerkit rules --write-docs docs/rules")
    for page in pages {
        let text = try? String(contentsOf: folder.appendingPathComponent(page.name), encoding: .utf8)
        #expect(text == page.text, "\(page.name) differs from its rule: run dockerkit rules --write-docs docs/rules")
    }
}

@Test func sarifGivesEveryRuleAHelpURI() throws {
    let result = Linter().lint(source: Array("FROM ubuntu:latest\nRUN echo root:pw | chpasswd\n".utf8), path: "Dockerfile", configuration: LintConfiguration())
    let sarif = Reporter.render([result], format: .sarif)
    let document = try #require(try JSONSerialization.jsonObject(with: Data(sarif.utf8)) as? [String: Any])
    let runs = try #require(document["runs"] as? [[String: Any]])
    let driver = try #require((runs.first?["tool"] as? [String: Any])?["driver"] as? [String: Any])
    let rules = try #require(driver["rules"] as? [[String: Any]])
    #expect(!rules.isEmpty)
    for rule in rules { #expect((rule["helpUri"] as? String)?.hasPrefix("https://") == true, "\(rule["id"] ?? "")") }
    #expect(rules.first { $0["id"] as? String == "DK401" }?["helpUri"] as? String == RuleDocumentation.homepage + "/blob/main/docs/rules/DK401.md")
}

@Test func everyRulesDocumentationIsAURL() {
    for rule in RuleRegistry.all {
        #expect(rule.description.documentation.hasPrefix("https://"), "\(rule.description.code): \(rule.description.documentation)")
    }
}
