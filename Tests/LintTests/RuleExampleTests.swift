import Foundation
import DockerfileSyntax
import Lint
import Testing

/// An example with its `↓` markers removed and the positions they marked.
struct MarkedExample {
    let source: [UInt8]
    let markers: [SourcePosition]

    init(_ text: String) {
        var bytes: [UInt8] = []
        var offsets: [Int] = []
        let marker = Array("↓".utf8)
        let input = Array(text.utf8)
        var index = 0
        while index < input.count {
            if input[index...].starts(with: marker) {
                offsets.append(bytes.count)
                index += marker.count
            } else {
                bytes.append(input[index])
                index += 1
            }
        }
        source = bytes
        let table = LineTable(bytes)
        markers = offsets.map { table.position(of: $0) }
    }
}

struct ExampleCase: CustomTestStringConvertible, Sendable {
    let code: String
    let example: RuleExample
    let index: Int
    var testDescription: String { "\(code) example \(index + 1)" }
}

/// Every rule's examples are its tests: triggering ones report exactly at the `↓` marks, the others report nothing.
@Suite struct RuleExampleTests {
    static let triggering = RuleRegistry.all.flatMap { rule in
        rule.description.triggeringExamples.enumerated().map { ExampleCase(code: rule.description.code, example: $1, index: $0) }
    }
    static let nonTriggering = RuleRegistry.all.flatMap { rule in
        rule.description.nonTriggeringExamples.enumerated().map { ExampleCase(code: rule.description.code, example: $1, index: $0) }
    }

    func findings(_ code: String, _ source: [UInt8], _ configuration: LintConfiguration) -> [Finding] {
        guard let rule = RuleRegistry.rule(code) else {
            Issue.record("no rule \(code)")
            return []
        }
        var configuration = configuration
        configuration.enabledRules.insert(code)
        return Linter(rules: [rule]).lint(source: source, path: "Dockerfile", configuration: configuration).findings
    }

    @Test("triggering examples report at the marks", arguments: triggering)
    func triggeringExampleReportsAtMarks(_ sample: ExampleCase) {
        let example = MarkedExample(sample.example.text)
        #expect(!example.markers.isEmpty, "an example must mark where it triggers")
        let found = findings(sample.code, example.source, sample.example.configuration)
        // What BuildKit refuses is one finding, DL1000, even when a rule of its own finds it too.
        let refused = RuleRegistry.rule(sample.code)?.description.isRefusedByBuildKit == true
        #expect(found.allSatisfy { $0.code == sample.code || (refused && $0.code == Linter.parseErrorCode) }, "\(found)")
        // One finding per mark, each starting at its mark: a second finding at the same place is a failure too.
        #expect(found.map { [$0.range.start.line, $0.range.start.column] }.sorted { $0.lexicographicallyPrecedes($1) }
            == example.markers.map { [$0.line, $0.column] }.sorted { $0.lexicographicallyPrecedes($1) })
        for finding in found {
            #expect(finding.range.start.offset <= finding.range.end.offset && finding.range.end.offset <= example.source.count, "\(finding)")
        }
    }

    @Test("examples that show a fix are fixed to exactly that text", arguments: triggering.filter { $0.example.fixed != nil })
    func exampleIsFixedToItsText(_ sample: ExampleCase) throws {
        let example = MarkedExample(sample.example.text)
        let linter = Linter(rules: [try #require(RuleRegistry.rule(sample.code))])
        var configuration = sample.example.configuration
        configuration.enabledRules.insert(sample.code)
        let fixed = Fixer.fix(source: example.source, path: "Dockerfile", configuration: configuration, linter: linter, includingUnsafe: true)
        #expect(fixed.map { String(decoding: $0.fixed, as: UTF8.self) } == sample.example.fixed)
    }

    @Test func everyFixableRuleShowsAFix() {
        for rule in RuleRegistry.all where rule.description.isFixable {
            #expect(rule.description.triggeringExamples.contains { $0.fixed != nil }, "\(rule.description.code)")
        }
    }

    @Test("non-triggering examples report nothing", arguments: nonTriggering)
    func nonTriggeringExampleIsClean(_ sample: ExampleCase) {
        let found = findings(sample.code, Array(sample.example.text.utf8), sample.example.configuration)
        #expect(found.isEmpty, "\(found)")
    }

    @Test("fixing twice changes nothing the second time", arguments: triggering.filter { RuleRegistry.rule($0.code)?.description.isFixable == true })
    func fixIsIdempotent(_ sample: ExampleCase) throws {
        let example = MarkedExample(sample.example.text)
        let rule = try #require(RuleRegistry.rule(sample.code))
        let linter = Linter(rules: [rule])
        guard let once = Fixer.fix(source: example.source, path: "Dockerfile", configuration: sample.example.configuration, linter: linter,
                                   includingUnsafe: true) else {
            #expect(sample.example.fixed == nil, "the example shows a fix, but none was made")
            return
        }
        #expect(DockerfileParser.parse(once.fixed).errors.isEmpty)
        #expect(Fixer.fix(source: once.fixed, path: "Dockerfile", configuration: sample.example.configuration, linter: linter,
                          includingUnsafe: true) == nil)
    }

    @Test func everyRuleHasExamplesOfBothKinds() {
        for rule in RuleRegistry.all {
            #expect(!rule.description.triggeringExamples.isEmpty, "\(rule.description.code)")
            #expect(!rule.description.nonTriggeringExamples.isEmpty, "\(rule.description.code)")
        }
    }

    @Test func codesAreUnique() {
        let codes = RuleRegistry.all.map(\.description.code)
        #expect(Set(codes).count == codes.count)
    }
}

/// The registry against the rule files: every `struct …: LintRule` under Sources/Lint/Rules is registered once,
/// the registry is in order (origin, then code), and each rule sits in the folder of its category.
@Suite struct RuleRegistryTests {
    static let rulesFolder = MutationTests.repository.appendingPathComponent("Sources/Lint/Rules")

    /// Rule type name → the folder and file it is declared in.
    static func declaredRules() throws -> [String: (folder: String, file: String)] {
        var declared: [String: (folder: String, file: String)] = [:]
        let enumerator = FileManager.default.enumerator(at: rulesFolder, includingPropertiesForKeys: nil)
        while let url = enumerator?.nextObject() as? URL {
            guard url.pathExtension == "swift" else { continue }
            let text = try String(contentsOf: url, encoding: .utf8)
            for line in text.split(separator: "\n") where line.hasPrefix("struct ") && line.hasSuffix(": LintRule {") {
                let name = String(line.dropFirst("struct ".count).prefix { $0 != ":" })
                #expect(declared[name] == nil, "\(name) is declared twice")
                declared[name] = (url.deletingLastPathComponent().lastPathComponent, url.deletingPathExtension().lastPathComponent)
            }
        }
        return declared
    }

    @Test func everyRuleTypeIsRegisteredExactlyOnce() throws {
        let registered = RuleRegistry.all.map { String(describing: type(of: $0)) }
        #expect(Set(registered).count == registered.count)
        #expect(Set(registered) == Set(try Self.declaredRules().keys))
    }

    @Test func registryIsInOriginThenCodeOrder() {
        let keys = RuleRegistry.all.map { ($0.description.origin, $0.description.code) }
        #expect(zip(keys, keys.dropFirst()).allSatisfy { $0.0 < $1.0 || ($0.0 == $1.0 && $0.1 < $1.1) })
    }

    /// A rule is found from its code in one step: `Rules/Apt/DL3009-AptListsNotDeleted.swift`, a BuildKit check by
    /// its name (`Rules/Instructions/JSONArgsRecommended.swift`).
    @Test func eachRuleFileStartsWithItsCodeAndIsNamedAfterItsTypeInItsCategorysFolder() throws {
        let declared = try Self.declaredRules()
        for rule in RuleRegistry.all {
            let name = String(describing: type(of: rule))
            guard let place = declared[name] else { continue }
            let code = rule.description.code
            #expect(place.folder.lowercased() == rule.description.category.rawValue, "\(name)")
            let base = place.file == code ? code : String(place.file.dropFirst(code.count + 1))
            #expect(place.file == code || place.file.hasPrefix(code + "-"), "\(name) in \(place.file).swift does not start with \(code)")
            #expect(name == base + "Rule" || name == base + "Check", "\(name) in \(place.file).swift")
        }
    }

    /// Rule folders hold rules only; what rules share is in Lint/RuleKit.
    @Test func ruleFoldersHoldRulesOnly() throws {
        let enumerator = FileManager.default.enumerator(at: Self.rulesFolder, includingPropertiesForKeys: nil)
        while let url = enumerator?.nextObject() as? URL {
            guard url.pathExtension == "swift", url.lastPathComponent != "RuleRegistry.swift" else { continue }
            let text = try String(contentsOf: url, encoding: .utf8)
            #expect(text.contains(": LintRule {"), "\(url.lastPathComponent) is not a rule; shared helpers go to Lint/RuleKit")
        }
    }
}
