import Lint
import Testing

private func codes(_ text: String, _ configuration: LintConfiguration = LintConfiguration()) -> [String] {
    lint(text, configuration).map { "\($0.range.start.line):\($0.code)" }
}

@Test func noTwoRulesShareACodeAnAliasANameOrAnImplementation() {
    var seen: [String: String] = [:]
    for rule in RuleRegistry.all {
        let description = rule.description
        for key in Set([description.code, description.name] + description.aliases).map({ $0.lowercased() }) {
            #expect(seen[key] == nil, "\(key) is \(seen[key] ?? "")'s and \(description.code)'s")
            seen[key] = description.code
        }
    }
    let types = RuleRegistry.all.map { ObjectIdentifier(type(of: $0)) }
    #expect(Set(types).count == types.count, "a rule type is registered twice")
}

@Test func aSecretNameAndItsLiteralValueAreTwoProblemsNotThree() {
    #expect(codes("FROM debian:12\nENV DB_PASSWORD=x\n") == ["2:DL3064", "2:DK404"])
    #expect(codes("FROM debian:12\nENV VNC_PW=123456\n") == ["2:DK404"])
    #expect(codes("FROM debian:12\nARG GITHUB_TOKEN\n") == ["2:DL3064"])
}

@Test func aliasesWorkInIgnoreOverridesPragmasAndCheckSkips() throws {
    let maintainer = "FROM debian:12\nMAINTAINER me\n"
    #expect(codes(maintainer) == ["2:DL4000"])
    var ignoring = LintConfiguration()
    ignoring.ignored = ["MaintainerDeprecated"]
    #expect(codes(maintainer, ignoring) == [])
    var overriding = LintConfiguration()
    overriding.severityOverrides = ["MaintainerDeprecated": .warning]
    let found = lint(maintainer, overriding)
    #expect(found.map(\.code) == ["MaintainerDeprecated"])
    #expect(found.first?.severity == .warning)
    #expect(codes("FROM debian:12\n# hadolint ignore=ReservedStageName\nFROM debian:12 AS scratch\n") == [])
    #expect(codes("# check=skip=MaintainerDeprecated\nFROM debian:12\nMAINTAINER me\n") == [])
    #expect(codes("FROM debian:12 AS Context\n") == ["1:DL3063", "1:StageNameCasing"])
}

@Test func aDevelTagChosenOnPurposeDoesNotFailADefaultRun() {
    let findings = lint("FROM nvidia/cuda:12.4.1-devel-ubuntu22.04\nCMD [\"python3\"]\n")
    #expect(findings.contains { $0.code == "DK304" })
    #expect(findings.allSatisfy { $0.severity < .info || $0.code != "DK304" })
}
