import Foundation
import Testing
import Support

/// The dockerkit binary built beside the test bundle.
let dockerkitBinary = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("dockerkit").path

/// Runs a program to completion with the project's own runner (Support's `ChildProcess`, which serves input and
/// both outputs together); `environment` nil passes ours on; `directory` is where it runs.
@discardableResult
func runProgram(_ path: String, _ arguments: [String], environment: [String: String]? = nil, directory: URL? = nil,
                input: String? = nil) throws -> (status: Int32, output: String, error: String) {
    // ChildProcess starts children where we are: a shell moves first when another folder is asked for.
    let (program, words) = directory.map { ("/bin/sh", ["-c", "cd \"$0\" && exec \"$@\"", $0.path, path] + arguments) } ?? (path, arguments)
    let result = try ChildProcess.run(program, arguments: words, environment: environment, input: input.map { Array($0.utf8) })
    return (result.status, String(decoding: result.output, as: UTF8.self), String(decoding: result.errorOutput, as: UTF8.self))
}

/// Our environment with `changes` made.
func ourEnvironment(_ changes: [String: String]) -> [String: String] {
    ProcessInfo.processInfo.environment.merging(changes) { _, new in new }
}

/// Runs dockerkit and returns its exit status, standard output and standard error.
@discardableResult
func runDockerkit(_ arguments: [String], input: String? = nil) throws -> (status: Int32, output: String, error: String) {
    try runProgram(dockerkitBinary, arguments, input: input)
}

func temporaryDirectory() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("dockerkit-cli-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

@Suite(.serialized) struct CLITests {
    @Test func parseErrorIsPositionedWithExitOne() throws {
        let result = try runDockerkit(["parse", "--format", "commands", "-"], input: "FROM a\nENV x\n")
        #expect(result.status == 1)
        #expect(result.error.contains("<stdin>:2:1: error: ENV must have two arguments"))
    }

    @Test func eachFileGetsItsOwnOrItsDirectorysDockerignore() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        try Data("tmp/\n".utf8).write(to: directory.appendingPathComponent(".dockerignore"))
        try Data("nothing\n".utf8).write(to: directory.appendingPathComponent("b.Dockerfile.dockerignore"))
        for name in ["a.Dockerfile", "b.Dockerfile", "c.Dockerfile"] {
            try Data("FROM scratch\nCOPY tmp/x /x\n".utf8).write(to: directory.appendingPathComponent(name))
        }
        let result = try runDockerkit(["lint", "--no-config", "--format", "gnu", "--failure-threshold", "none", directory.path])
        let flagged = result.output.split(separator: "\n").filter { $0.contains("CopyIgnoredFile") }.map { String($0.prefix { $0 != ":" }) }
        #expect(flagged.map { URL(fileURLWithPath: $0).lastPathComponent } == ["a.Dockerfile", "c.Dockerfile"])
    }

    @Test func usageErrorExitsTwo() throws {
        #expect(try runDockerkit(["parse", "--format", "nope", "-"], input: "FROM a\n").status == 2)
        #expect(try runDockerkit(["frobnicate"]).status == 2)
    }

    @Test func lintFixWritesAtomicallyAndKeepsMode() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("Dockerfile")
        try Data("FROM debian:12\r\nENV DEBIAN_FRONTEND noninteractive\r\nUSER 1000\r\n".utf8).write(to: file)
        try FileManager.default.setAttributes([.posixPermissions: 0o640], ofItemAtPath: file.path)
        let result = try runDockerkit(["lint", "--no-config", "--fix", file.path])
        #expect(result.status == 0)
        #expect(result.error == "\(file.path): applied 1 fix\n")
        #expect(String(decoding: try Data(contentsOf: file), as: UTF8.self) == "FROM debian:12\r\nARG DEBIAN_FRONTEND=noninteractive\r\nUSER 1000\r\n")
        let mode = try FileManager.default.attributesOfItem(atPath: file.path)[.posixPermissions] as? Int
        #expect(mode == 0o640)
    }

    @Test func fmtWriteFollowsSymlinks() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let target = directory.appendingPathComponent("real.Dockerfile")
        let link = directory.appendingPathComponent("Dockerfile")
        try Data("from a\n".utf8).write(to: target)
        try FileManager.default.createSymbolicLink(at: link, withDestinationURL: target)
        #expect(try runDockerkit(["fmt", "--write", link.path]).status == 0)
        #expect(String(decoding: try Data(contentsOf: target), as: UTF8.self) == "FROM a\n")
        #expect((try? FileManager.default.destinationOfSymbolicLink(atPath: link.path)) != nil)
    }

    @Test func fmtCheckExitCodes() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("Dockerfile")
        try Data("from a\n".utf8).write(to: file)
        #expect(try runDockerkit(["fmt", "--check", file.path]).status == 1)
        try Data("FROM a\n".utf8).write(to: file)
        #expect(try runDockerkit(["fmt", "--check", file.path]).status == 0)
    }

    @Test func killedWriteLeavesOldOrNewFileNeverAMix() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("big.Dockerfile")
        var text = "from ubuntu:22.04\n"
        for index in 0..<40_000 { text += "run   echo \(index)   &&   true\n" }
        let original = Data(text.utf8)
        try original.write(to: file)
        let formatted = try runDockerkit(["fmt", file.path]).output
        #expect(formatted.count > 0)
        for attempt in 0..<20 {
            try original.write(to: file)
            let process = Process()
            process.executableURL = URL(fileURLWithPath: dockerkitBinary)
            process.arguments = ["fmt", "--write", file.path]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            usleep(useconds_t(1_000 * (attempt * 7 % 60)))
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            let now = try Data(contentsOf: file)
            #expect(now == original || now == Data(formatted.utf8), "attempt \(attempt)")
            let leftovers = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0 != "big.Dockerfile" }
            for name in leftovers { try FileManager.default.removeItem(at: directory.appendingPathComponent(name)) }
        }
    }
}
