import Foundation
import Testing

/// `dockerkit build` where the only docker on PATH has no buildx: it builds with the classic builder and says so in
/// one line, as `lab up` does.
@Test func buildWithADockerWithoutBuildxUsesTheClassicBuilderWithANote() throws {
    let folder = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: folder) }
    let bin = folder.appendingPathComponent("bin")
    try FileManager.default.createDirectory(at: bin, withIntermediateDirectories: true)
    let record = folder.appendingPathComponent("buildkit")
    let stub = bin.appendingPathComponent("docker")
    try Data("""
        #!/bin/sh
        case "$1" in
          version) echo 28.2.2 ;;
          buildx) echo "docker: unknown command: docker buildx" >&2; exit 1 ;;
          build) printf '%s' "$DOCKER_BUILDKIT" > '\(record.path)' ;;
        esac

        """.utf8).write(to: stub)
    try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: stub.path)
    try Data("FROM scratch\nCOPY Dockerfile /\n".utf8).write(to: folder.appendingPathComponent("Dockerfile"))
    let result = try runProgram(dockerkitBinary, ["build", "--no-lint", "-t", "x/y:1", folder.path],
                                environment: ourEnvironment(["PATH": bin.path]).filter { $0.key != "DOCKERKIT_ENGINE" && $0.key != "DOCKER_BUILDKIT" })
    #expect(result.status == 0, "\(result.error)")
    #expect(result.error.contains("cannot build with BuildKit (no buildx plugin); building with the classic builder"), "\(result.error)")
    #expect((try? String(contentsOf: record, encoding: .utf8)) == "0")
}

/// `dockerkit lint < Dockerfile`: with no file named, a Dockerfile on standard input is what is linted.
@Test func lintWithNoFileReadsADockerfileFromStandardInput() throws {
    let folder = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: folder) }
    let result = try runProgram(dockerkitBinary, ["lint", "--no-config"], directory: folder, input: "FROM ubuntu\n")
    #expect(result.output.contains("-:1:6 warning DL3006"), "\(result.output)\(result.error)")
}
