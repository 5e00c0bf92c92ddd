import DockerfileSyntax
@testable import Lint
import Testing

/// Linting an edited document against its previous version (its tree and memo, as the editor does) gives exactly the
/// findings of a full parse and lint of the same text, whatever the edits.
@Suite struct IncrementalLintTests {
    /// Every rule example (instructions of every kind each rule looks at) and the Dockerfiles of Tests/Corpus.
    static func documents() -> [(text: [UInt8], configuration: LintConfiguration)] {
        var documents: [(text: [UInt8], configuration: LintConfiguration)] = []
        for rule in RuleRegistry.all {
            for example in rule.description.triggeringExamples + rule.description.nonTriggeringExamples {
                documents.append((MarkedExample(example.text).source, example.configuration))
            }
        }
        for seed in MutationTests.seeds() where seed.count < 64 << 10 {
            documents.append((seed, LintConfiguration()))
        }
        return documents
    }

    /// Lines edits draw from: every example's lines, so edits bring in instructions rules care about.
    static let lines: [[UInt8]] = {
        var lines: [[UInt8]] = []
        for rule in RuleRegistry.all {
            for example in rule.description.triggeringExamples {
                lines += MarkedExample(example.text).source.split(separator: UInt8(ascii: "\n")).map { Array($0) + [UInt8(ascii: "\n")] }
            }
        }
        return lines
    }()

    /// One random edit: a line inserted, deleted, duplicated or commented out, or a few bytes typed or removed.
    static func edit(_ input: [UInt8], _ generator: inout SeededGenerator) -> [UInt8] {
        var bytes = input
        var lineStarts = [0]
        for (index, byte) in bytes.enumerated() where byte == UInt8(ascii: "\n") && index + 1 < bytes.count { lineStarts.append(index + 1) }
        let line = lineStarts.randomElement(using: &generator) ?? 0
        let lineEnd = (bytes[line...].firstIndex(of: UInt8(ascii: "\n")).map { $0 + 1 }) ?? bytes.count
        let position = bytes.isEmpty ? 0 : Int.random(in: 0...bytes.count, using: &generator)
        switch Int.random(in: 0..<7, using: &generator) {
        case 0: bytes.insert(contentsOf: lines.randomElement(using: &generator) ?? [], at: line)
        case 1: bytes.removeSubrange(line..<lineEnd)
        case 2: bytes.insert(contentsOf: Array(bytes[line..<lineEnd]), at: line)
        case 3: bytes.insert(UInt8(ascii: "#"), at: line)
        case 4: bytes.insert(contentsOf: MutationTests.interesting.randomElement(using: &generator) ?? [], at: position)
        case 5: bytes.insert(contentsOf: Array(" x -y \\\n".utf8.shuffled(using: &generator).prefix(3)), at: position)
        default:
            let end = min(bytes.count, position + Int.random(in: 1...8, using: &generator))
            bytes.removeSubrange(position..<end)
        }
        return bytes
    }

    /// Findings in one order that does not depend on the order rules ran in.
    static func canonical(_ result: LintResult) -> [String] {
        result.findings.map { finding in
            let edits = finding.fix.map { fix in fix.edits.map { "\($0.offsets)=\($0.replacement)" }.joined(separator: ";") + " \(fix.summary)" } ?? ""
            return "\(finding.range.start.offset) \(finding.range.start.line):\(finding.range.start.column)-\(finding.range.end.line):"
                + "\(finding.range.end.column)@\(finding.range.end.offset) \(finding.code) \(finding.severity) \(finding.message) \(edits)"
        }.sorted()
    }

    /// What a file's parts for the rules say, in a form to compare: a file whose edited instructions were replaced
    /// in place must equal one made afresh from the same tree.
    static func parts(of file: LintedFile) -> [String] {
        [
            "\(file.instructions.map(\.range))",
            "\(file.stages.map { "\($0.index) \($0.name ?? "-") \($0.instructionIndices) \($0.parentStage ?? -1) \($0.baseImage.text)" })",
            "\(file.stageOfInstruction)", "\(file.globalArguments.sorted { $0.key < $1.key })",
            "\(file.runScripts.map { $0.map { "\($0.base) \($0.isHeredoc) \($0.script.commands.map(\.name.value))" } })",
            "\(file.locatedCommands.map { "\($0.instructionIndex) \($0.command.name.value)" })", "\(file.commandStarts)",
            "\(file.runInstructionIndices)", "\(file.scriptFacts.map(\.rawValue))", "\(file.indicesByKind)",
            "\(file.commandPositionsByBaseName.sorted { $0.key < $1.key })", "\(file.baseNameBits)",
        ]
    }

    @Test func editedDocumentsLintTheSameWithTheMemoAsWithout() {
        let linter = Linter()
        var generator = SeededGenerator(state: 33)
        var mismatches: [String] = []
        for (number, document) in Self.documents().enumerated() {
            var text = document.text
            var memo: LintMemo?
            var previous: DockerfileSyntaxTree?
            for step in 0..<8 {
                // As the editor does: the tree from the previous version's, the findings with its memo, handed over
                // whole. Now and then the lint is stopped, as a newer edit stops it; the next must still be exact.
                let tree = previous.map { DockerfileParser.parse(text, editing: $0) } ?? DockerfileParser.parse(text)
                previous = tree
                let stopped = Int.random(in: 0..<5, using: &generator) == 0
                let incremental = linter.lint(
                    tree, path: "Dockerfile", configuration: document.configuration, reusing: consume memo, stoppingWhen: { stopped })
                memo = incremental.memo
                if let file = memo?.file {
                    let fresh = LintedFile(path: "Dockerfile", tree: tree, configuration: document.configuration)
                    if Self.parts(of: file) != Self.parts(of: fresh) {
                        mismatches.append("document \(number), edit \(step): the file's parts differ from a fresh file's\n"
                            + String(decoding: text, as: UTF8.self))
                        break
                    }
                }
                let full = linter.lint(source: text, path: "Dockerfile", configuration: document.configuration)
                if !stopped, Self.canonical(incremental.result) != Self.canonical(full) {
                    let missing = Set(Self.canonical(full)).subtracting(Self.canonical(incremental.result))
                    let extra = Set(Self.canonical(incremental.result)).subtracting(Self.canonical(full))
                    mismatches.append("document \(number), edit \(step): missing \(missing.sorted()), extra \(extra.sorted())\n"
                        + String(decoding: text, as: UTF8.self))
                    break
                }
                text = Self.edit(text, &generator)
            }
            if mismatches.count >= 3 { break }
        }
        #expect(mismatches.isEmpty, "\(mismatches.joined(separator: "\n---\n"))")
    }

    @Test func aLineThatComesToStartTheFileOrStopsStartingItIsLintedAgain() {
        // A byte order mark before the line is the file's at its start and part of the keyword anywhere else.
        let marked = Array("\u{FEFF}FRM ubuntu:22.04\n".utf8)
        let linter = Linter()
        for (before, after) in [(marked, Array("FROM node:20\n".utf8) + marked), (Array("FROM node:20\n".utf8) + marked, marked)] {
            let first = linter.lint(DockerfileParser.parse(before), path: "Dockerfile", configuration: LintConfiguration(), reusing: nil)
            let tree = DockerfileParser.parse(after, editing: DockerfileParser.parse(before))
            let second = linter.lint(tree, path: "Dockerfile", configuration: LintConfiguration(), reusing: first.memo)
            let full = linter.lint(source: after, path: "Dockerfile", configuration: LintConfiguration())
            #expect(Self.canonical(second.result) == Self.canonical(full))
        }
    }

    @Test func aStoppedLintLeavesAMemoThatChecksTheEditedInstructionsNextTime() {
        let text = Array("FROM ubuntu:22.04\nRUN apt-get install -y curl\nRUN apt-get install -y git\n".utf8)
        let linter = Linter()
        let first = linter.lint(DockerfileParser.parse(text), path: "Dockerfile", configuration: LintConfiguration(), reusing: nil)
        let edited = Array("FROM ubuntu:22.04\nRUN apt-get install -y curl\nRUN apt-get install -y --no-install-recommends git\n".utf8)
        let stopped = linter.lint(
            DockerfileParser.parse(edited), path: "Dockerfile", configuration: LintConfiguration(), reusing: first.memo, stoppingWhen: { true })
        #expect(stopped.memo?.unchecked == 2..<3)
        let next = linter.lint(DockerfileParser.parse(edited), path: "Dockerfile", configuration: LintConfiguration(), reusing: stopped.memo)
        #expect(next.result.findings.filter { $0.code == "DL3015" }.map(\.range.start.line) == [2])
        #expect(next.memo?.unchecked.isEmpty == true)
    }

    @Test func aMemoHoldsEachInstructionAndTheNextLintPlacesItsFindingsOnTheirLines() {
        let text = Array("FROM ubuntu:22.04\nRUN apt-get install -y curl\nRUN apt-get install -y git\n".utf8)
        let linter = Linter()
        let first = linter.lint(DockerfileParser.parse(text), path: "Dockerfile", configuration: LintConfiguration(), reusing: nil)
        let edited = text + Array("RUN apt-get install -y vim\n".utf8)
        let second = linter.lint(DockerfileParser.parse(edited), path: "Dockerfile", configuration: LintConfiguration(), reusing: first.memo)
        #expect(first.memo?.instructionCount == 3)
        #expect(second.memo?.instructionCount == 4)
        #expect(second.result.findings.filter { $0.code == "DL3008" }.map(\.range.start.line) == [2, 3, 4])
    }

    @Test func anEditReusesTheInstructionsBeforeAndAfterItAndLintsOnlyTheEditedOne() {
        let text = Array("FROM ubuntu:22.04\nRUN apt-get install -y curl\nRUN apt-get install -y git\nRUN apt-get install -y vim\n".utf8)
        let linter = Linter()
        let first = linter.lint(DockerfileParser.parse(text), path: "Dockerfile", configuration: LintConfiguration(), reusing: nil)
        // `curl` becomes `curl wget`: the bytes after it move by five.
        let edited = Array("FROM ubuntu:22.04\nRUN apt-get install -y curl wget\nRUN apt-get install -y git\nRUN apt-get install -y vim\n".utf8)
        let second = linter.lint(DockerfileParser.parse(edited), path: "Dockerfile", configuration: LintConfiguration(), reusing: first.memo)
        #expect(first.memo?.reusedInstructionCount == 0)
        #expect(second.memo?.reusedInstructionCount == 3)
        #expect(second.result.findings.filter { $0.code == "DL3008" }.map(\.range.start.offset) == [18, 51, 78])
    }
}
