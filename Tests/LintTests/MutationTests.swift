import DockerfileSyntax
import Formatting
import Foundation
import Lint
import Testing

/// A small deterministic generator (SplitMix64) so every run tries the same mutations.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E3779B97F4A7C15
        var value = state
        value = (value ^ (value >> 30)) &* 0xBF58476D1CE4E5B9
        value = (value ^ (value >> 27)) &* 0x94D049BB133111EB
        return value ^ (value >> 31)
    }
}

@Suite struct MutationTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// Seeds: the Dockerfiles kept in Tests/Corpus (our cases, BuildKit's parser test files, the regressions), in a
    /// fixed order, so the test is the same on every machine.
    static func seeds() -> [[UInt8]] {
        var urls: [URL] = []
        let own = repository.appendingPathComponent("Tests/Corpus")
        if let enumerator = FileManager.default.enumerator(at: own, includingPropertiesForKeys: nil) {
            for case let url as URL in enumerator where url.lastPathComponent == "Dockerfile" || url.pathExtension == "Dockerfile" {
                urls.append(url)
            }
        }
        return urls.sorted { $0.path < $1.path }.compactMap { try? Data(contentsOf: $0) }.map { [UInt8]($0) }
    }

    static let interesting: [[UInt8]] = ["\\\n", "<<EOF\n", "\"", "'", "[", "]", "${", "}", "\r\n", "#", "\0", "\u{FEFF}", "\t", "--", "=", "`"]
        .map { Array($0.utf8) } + [[0xFF], [0xC3], [0xE2, 0x80]]

    func mutate(_ input: [UInt8], _ generator: inout SeededGenerator) -> [UInt8] {
        var bytes = input
        for _ in 0..<Int.random(in: 1...4, using: &generator) {
            let position = bytes.isEmpty ? 0 : Int.random(in: 0..<bytes.count, using: &generator)
            switch Int.random(in: 0..<5, using: &generator) {
            case 0 where !bytes.isEmpty:
                bytes[position] ^= UInt8(1 << Int.random(in: 0..<8, using: &generator))
            case 1:
                bytes.insert(contentsOf: Self.interesting.randomElement(using: &generator) ?? [], at: position)
            case 2:
                bytes = Array(bytes.prefix(position))
            case 3 where bytes.count > 2:
                let end = min(bytes.count, position + Int.random(in: 1...64, using: &generator))
                let chunk = Array(bytes[position..<end])
                bytes.insert(contentsOf: chunk, at: Int.random(in: 0...bytes.count, using: &generator))
            default:
                if position < bytes.count { bytes.remove(at: position) }
            }
        }
        return bytes
    }

    @Test func mutatedInputsNeverCrashAndRoundTrip() {
        let seeds = Self.seeds()
        #expect(!seeds.isEmpty)
        var generator = SeededGenerator(state: 20261123)
        let linter = Linter()
        var cases = 0
        while cases < 3_000 {
            for seed in seeds where cases < 3_000 {
                let input = mutate(seed, &generator)
                let tree = DockerfileParser.parse(input)
                let printsBack = tree.printedSource() == input
                #expect(printsBack, "case \(cases) does not print back")
                _ = linter.lint(source: input, path: "Dockerfile", configuration: LintConfiguration())
                if let formatted = DockerfileFormatter.format(tree) {
                    let again = DockerfileParser.parse(formatted)
                    #expect(again.errors.isEmpty, "case \(cases): formatted output does not parse")
                    let idempotent = DockerfileFormatter.format(again) == formatted
                    if !idempotent, let folder = ProcessInfo.processInfo.environment["DOCKERKIT_MUTATION_FAILURES"] {
                        try? Data(input).write(to: URL(fileURLWithPath: folder).appendingPathComponent("case-\(cases).Dockerfile"))
                    }
                    #expect(idempotent, "case \(cases): formatting twice changes the output")
                }
                cases += 1
            }
        }
    }
}
