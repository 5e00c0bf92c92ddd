import DockerfileSyntax
import Foundation
import Lint

/// Single-core throughput: `Benchmarks parse|lint FILE [REPEAT]` prints MB/s (median of the repeats).
let arguments = CommandLine.arguments
guard arguments.count >= 3, let data = FileManager.default.contents(atPath: arguments[2]) else {
    FileHandle.standardError.write(Data("usage: Benchmarks parse|lint FILE [REPEAT]\n".utf8))
    exit(2)
}
let bytes = [UInt8](data)
let repeats = arguments.count > 3 ? Int(arguments[3]) ?? 5 : 5
let linter = Linter()
var seconds: [Double] = []
for _ in 0..<repeats {
    let start = DispatchTime.now().uptimeNanoseconds
    switch arguments[1] {
    case "parse":
        _ = DockerfileParser.parse(bytes).items.count
    default:
        _ = linter.lint(source: bytes, path: "corpus", configuration: LintConfiguration()).findings.count
    }
    seconds.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
}
let median = seconds.sorted()[seconds.count / 2]
print(String(format: "%.1f", Double(bytes.count) / 1e6 / median))
