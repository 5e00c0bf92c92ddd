import Foundation
import Testing

/// `lint --fix` judged by a real build: apt's update and install in separate RUNs and stages still build after the
/// safe fixes, and the image still has what was installed.
@Suite(.serialized, .enabled(if: testEngine != nil, "\(noEngineReason)"), .enabled(if: testEngineHasDebian, "\(noDebianReason)"))
struct FixBuildEngineTests {
    @Test func aptSplitAcrossRunsAndStagesStillBuildsAfterFix() throws {
        let docker = try #require(debianTestEngine)
        let folder = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let dockerfile = folder.appendingPathComponent("Dockerfile")
        try Data("""
            FROM local/debian:12 AS tools
            RUN apt-get update
            RUN apt-get install -y --no-install-recommends file

            FROM local/debian:12
            RUN apt-get update
            RUN apt-get install -y --no-install-recommends bzip2 && rm -rf /var/lib/apt/lists/*
            COPY --from=tools /usr/bin/file /usr/local/bin/file
            CMD ["bzip2", "--help"]

            """.utf8).write(to: dockerfile)
        let environment = ourEnvironment(["DOCKER_BUILDKIT": "1"])
        let before = try runProgram(docker, ["build", "-q", "--network", "host", "-t", "dockerkit-test/fix-before", folder.path], environment: environment)
        #expect(before.status == 0, "\(before.error.suffix(600))")
        let fix = try runDockerkit(["lint", "--fix", "--no-config", "--no-fail", dockerfile.path])
        #expect(fix.status == 0, "\(fix.error)")
        let fixed = try String(contentsOf: dockerfile, encoding: .utf8)
        #expect(fixed != "" && fixed.contains("apt-get update && apt-get install"), "\(fixed)")
        let after = try runProgram(docker, ["build", "-q", "--network", "host", "-t", "dockerkit-test/fix-after", folder.path], environment: environment)
        #expect(after.status == 0, "the fixed file does not build:\n\(fixed)\n\(after.error.suffix(600))")
        let runs = try runProgram(docker, ["run", "--rm", "--network", "none", "--entrypoint", "sh", "dockerkit-test/fix-after", "-c",
                                           "command -v bzip2 && test -x /usr/local/bin/file && ls /var/lib/apt/lists | grep -c _ || true"])
        #expect(runs.output.contains("/bin/bzip2"), "\(runs.output)\(runs.error)")
        _ = try? runProgram(docker, ["rmi", "-f", "dockerkit-test/fix-before", "dockerkit-test/fix-after"])
    }
}
