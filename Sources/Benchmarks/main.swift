import DockerfileSyntax
import Foundation
import Lint
import Support

/// Single-core throughput in MB/s (median of the repeats):
///   `Benchmarks parse|lint FILE [REPEAT]`  one file (e.g. the corpus concatenated: a stress case of thousands of stages)
///   `Benchmarks lint-files LIST [REPEAT]`  every file named in LIST (one path a line), each linted on its own, as users run it
///   `Benchmarks rules FILE [REPEAT]`  milliseconds per rule on one file (median), slowest first: where lint time goes
///   `Benchmarks rules-files LIST [REPEAT]`  the same, summed over every file named in LIST
///   `Benchmarks config FILE [REPEAT]`  milliseconds to read and apply one configuration file (median)
///   `Benchmarks memory FILE`  resident memory the tree and a lint add, over FILE's size
///   `Benchmarks edit FILE [REPEAT]`  milliseconds to parse and lint FILE again after a `#` typed at the start of its
///                                    sixth line, against the previous tree and memo (as the editor does), median
let arguments = CommandLine.arguments
guard arguments.count >= 3, let data = FileManager.default.contents(atPath: arguments[2]) else {
    FileHandle.standardError.write(Data("usage: Benchmarks parse|lint|rules FILE [REPEAT] | lint-files|rules-files LIST [REPEAT]\n".utf8))
    exit(2)
}
let repeats = arguments.count > 3 ? Int(arguments[3]) ?? 5 : 5
var inputs: [[UInt8]]
if arguments[1] == "lint-files" || arguments[1] == "rules-files" {
    inputs = String(decoding: data, as: UTF8.self).split(separator: "\n").compactMap { path in
        FileManager.default.contents(atPath: String(path)).map { [UInt8]($0) }
    }
} else {
    inputs = [[UInt8](data)]
}
if arguments[1] == "config" {
    let text = String(decoding: data, as: UTF8.self)
    var samples: [Double] = []
    for _ in 0..<repeats {
        let start = DispatchTime.now().uptimeNanoseconds
        var configuration = LintConfiguration()
        do {
            try configuration.apply(try YAMLReader.read(text, path: arguments[2]), path: arguments[2])
        } catch {
            FileHandle.standardError.write(Data("\(error.formatted)\n".utf8))
            exit(1)
        }
        samples.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
    }
    print(String(format: "%.0f", samples.sorted()[samples.count / 2]))
    exit(0)
}
if arguments[1] == "rules" || arguments[1] == "rules-files" {
    let files = inputs.map { LintedFile(path: "Dockerfile", tree: DockerfileParser.parse($0), configuration: LintConfiguration()) }
    var timings: [(code: String, milliseconds: Double)] = []
    for rule in RuleRegistry.all {
        var samples: [Double] = []
        for _ in 0..<repeats {
            let start = DispatchTime.now().uptimeNanoseconds
            for file in files { _ = rule.check(file).count }
            samples.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
        }
        timings.append((rule.description.code, samples.sorted()[samples.count / 2]))
    }
    for timing in timings.sorted(by: { $0.milliseconds > $1.milliseconds }) {
        print(timing.code, String(format: "%.2f", timing.milliseconds))
    }
    exit(0)
}
/// The process's resident memory, from /proc/self/statm.
func residentBytes() -> Int {
    let fields = (try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8))?.split(separator: " ") ?? []
    return fields.count > 1 ? (Int(fields[1]) ?? 0) * 4096 : 0
}
if arguments[1] == "memory" {
    // Bytes in use after parsing (and after linting) FILE, over its size: what the tree and the lint hold.
    let before = residentBytes()
    let tree = DockerfileParser.parse(inputs[0])
    let parsed = residentBytes()
    let result = Linter().lint(LintedFile(path: "Dockerfile", tree: tree, configuration: LintConfiguration()))
    let linted = residentBytes()
    let size = Double(inputs[0].count)
    print(String(format: "tree %.1fx, lint result %.1fx (%d items, %d findings)", Double(parsed - before) / size, Double(linted - parsed) / size,
                 tree.items.count, result.findings.count))
    exit(0)
}
if arguments[1] == "edit" {
    let linter = Linter()
    let original = inputs[0]
    var lineStart = 0
    for _ in 0..<5 { lineStart = (original[lineStart...].firstIndex(of: UInt8(ascii: "\n")) ?? original.count - 1) + 1 }
    let edited = Array(original[..<lineStart]) + [UInt8(ascii: "#")] + Array(original[lineStart...])
    var tree = DockerfileParser.parse(original)
    var memo = linter.lint(tree, path: "Dockerfile", configuration: LintConfiguration(), reusing: nil).memo
    var samples: [Double] = []
    for round in 0..<max(2, repeats) {
        let start = DispatchTime.now().uptimeNanoseconds
        tree = DockerfileParser.parse(round % 2 == 0 ? edited : original, editing: tree)
        memo = linter.lint(tree, path: "Dockerfile", configuration: LintConfiguration(), reusing: consume memo).memo
        samples.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
    }
    print(String(format: "%.2f", samples.sorted()[samples.count / 2]))
    exit(0)
}
let totalBytes = inputs.reduce(0) { $0 + $1.count }
let linter = Linter()
let configuration = LintConfiguration()
var seconds: [Double] = []
for _ in 0..<repeats {
    let start = DispatchTime.now().uptimeNanoseconds
    for bytes in inputs {
        switch arguments[1] {
        case "parse":
            _ = DockerfileParser.parse(bytes).items.count
        default:
            _ = linter.lint(source: bytes, path: "Dockerfile", configuration: configuration).findings.count
        }
    }
    seconds.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
}
let median = seconds.sorted()[seconds.count / 2]
print(String(format: "%.1f", Double(totalBytes) / 1e6 / median))
