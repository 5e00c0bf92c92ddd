import Engine
import Foundation
import Testing

/// A shell example of the README and how it is run: the `<!-- example: … -->` line above each ```sh block says
/// `run` (as written, in one sandbox folder shared by the examples in README order, exit 0 or `exit=N`), `engine`
/// (the same, where an engine answers) or `skip -- why`.
struct ReadmeExample: CustomTestStringConvertible, Sendable {
    enum Mode: String, Sendable { case run, engine, skip }
    let line: Int
    let mode: Mode?
    let expectedStatus: Int32
    let reason: String
    let script: String

    var testDescription: String { "README.md:\(line)" }

    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let readme = repository.appendingPathComponent("README.md")

    static let all: [ReadmeExample] = {
        guard let text = try? String(contentsOf: readme, encoding: .utf8) else { return [] }
        let lines = text.components(separatedBy: "\n")
        var examples: [ReadmeExample] = []
        var index = 0
        while index < lines.count {
            guard lines[index] == "```sh" else { index += 1; continue }
            let marker = index > 0 ? lines[index - 1] : ""
            var body: [String] = []
            var end = index + 1
            while end < lines.count && lines[end] != "```" { body.append(lines[end]); end += 1 }
            examples.append(ReadmeExample(line: index + 1, marker: marker, body: body))
            index = end + 1
        }
        return examples
    }()

    init(line: Int, marker: String, body: [String]) {
        self.line = line
        var mode: Mode?
        var status: Int32 = 0
        var reason = ""
        if marker.hasPrefix("<!-- example: "), marker.hasSuffix(" -->") {
            let inner = marker.dropFirst("<!-- example: ".count).dropLast(" -->".count)
            let parts = inner.components(separatedBy: " -- ")
            let words = parts[0].split(separator: " ")
            mode = words.first.flatMap { Mode(rawValue: String($0)) }
            for word in words.dropFirst() where word.hasPrefix("exit=") { status = Int32(word.dropFirst(5)) ?? -1 }
            reason = parts.dropFirst().joined(separator: " -- ")
        }
        self.mode = mode
        expectedStatus = status
        self.reason = reason
        // The examples run inside `swift test`: the set-up's own commands name the binary under test instead.
        script = body.filter { !$0.hasPrefix("swift test") }
            .map { $0.replacingOccurrences(of: "swift run -c release dockerkit", with: "dockerkit") }
            .joined(separator: "\n")
    }
}

/// The sandbox the README's examples share, as a reader's working folder: examples/ and a Dockerfile to lint and
/// build (on local/busybox:1, which `scripts/engine.sh up` imports), HOME inside it, and `dockerkit` first on PATH.
private let sandbox: URL? = {
    guard let folder = try? temporaryDirectory() else { return nil }
    let manager = FileManager.default
    let bin = folder.appendingPathComponent(".bin")
    try? manager.createDirectory(at: bin, withIntermediateDirectories: true)
    try? manager.createDirectory(at: folder.appendingPathComponent("home"), withIntermediateDirectories: true)
    try? manager.createSymbolicLink(atPath: bin.appendingPathComponent("dockerkit").path, withDestinationPath: dockerkitBinary)
    try? manager.copyItem(at: ReadmeExample.repository.appendingPathComponent("examples"), to: folder.appendingPathComponent("examples"))
    try? Data("FROM local/busybox:1\nUSER 1000\n".utf8).write(to: folder.appendingPathComponent("Dockerfile"))
    return folder
}()

@Suite(.serialized) struct ReadmeExamplesTests {
    @Test func everyShellExampleSaysHowItIsRun() {
        #expect(ReadmeExample.all.count >= 8)
        for example in ReadmeExample.all {
            #expect(example.mode != nil, "README.md:\(example.line): a ```sh block needs <!-- example: run|engine|skip -- why --> above it")
            if example.mode == .skip { #expect(!example.reason.isEmpty, "README.md:\(example.line): say why it is skipped") }
        }
    }

    @Test("README examples run as written", arguments: ReadmeExample.all.filter { $0.mode == .run })
    func runsAsWritten(_ example: ReadmeExample) throws {
        try run(example)
    }

    @Test("README examples that need an engine run on it", .enabled(if: testEngine != nil, "\(noEngineReason)"),
          .enabled(if: EngineLocation.hasImage("local/busybox:1", client: testEngine), "the engine has no local/busybox:1: bash scripts/engine.sh up imports it"),
          arguments: ReadmeExample.all.filter { $0.mode == .engine })
    func runsOnTheEngine(_ example: ReadmeExample) throws {
        try run(example)
    }

    private func run(_ example: ReadmeExample) throws {
        let folder = try #require(sandbox)
        let home = folder.appendingPathComponent("home")
        let path = [home.appendingPathComponent(".local/bin").path, folder.appendingPathComponent(".bin").path, "/usr/local/bin", "/usr/bin", "/bin"]
        let environment = ourEnvironment(["HOME": home.path, "PATH": path.joined(separator: ":")])
        let result = try runProgram("/bin/bash", ["-e", "-o", "pipefail", "-c", example.script], environment: environment, directory: folder)
        #expect(result.status == example.expectedStatus,
                "README.md:\(example.line) exited \(result.status), not \(example.expectedStatus):\n\(example.script)\n\(result.output.suffix(600))\(result.error.suffix(600))")
    }
}
