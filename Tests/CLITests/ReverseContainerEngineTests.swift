import Foundation
import Testing

@Suite(.serialized, .enabled(if: testEngine != nil, "\(noEngineReason)"), .enabled(if: testEngineHasDebian, "\(noDebianReason)"))
struct ReverseContainerEngineTests {
    @Test func aContainersPackagesAndFilesBecomeADockerfileThatRebuildsIt() throws {
        let docker = try #require(debianTestEngine)
        let name = "dockerkit-test-revc-\(getpid())"
        defer { _ = try? runProgram(docker, ["rm", "-f", name]); _ = try? runProgram(docker, ["rmi", "-f", "dockerkit-test/revc:1"]) }
        #expect(try runProgram(docker, ["run", "-d", "--name", name, "--network", "host", "local/debian:12", "sleep", "600"]).status == 0)
        let changed = try runProgram(docker, ["exec", name, "sh", "-c", """
            apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends file >/dev/null \
            && rm -rf /var/lib/apt/lists/* && dpkg --purge tzdata >/dev/null \
            && mkdir -p /opt/tool && printf '#!/bin/sh\\necho tool\\n' > /opt/tool/run && chmod 755 /opt/tool/run \
            && echo 'changed' >> /etc/issue && rm -f /usr/share/doc/apt/copyright
            """])
        try #require(changed.status == 0, "\(changed.error)")
        let context = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: context) }
        let reversed = try runProgram(dockerkitBinary, ["reverse", "--container", name, "--context", context.path, "--build", "--network", "host",
                                                        "-t", "dockerkit-test/revc:1"], environment: ourEnvironment(["DOCKERKIT_ENGINE": docker]))
        #expect(reversed.status == 0, "\(reversed.output)\n\(reversed.error.suffix(800))")
        #expect(reversed.output.contains("\nequivalent\n"))
        #expect(reversed.output.contains("\nTOTAL: 0 packages and 0 of "), "\(reversed.output)")
        let dockerfile = try String(contentsOf: context.appendingPathComponent("Dockerfile"), encoding: .utf8)
        #expect(dockerfile.contains("\nFROM local/debian:12\n"))
        #expect(dockerfile.contains("apt-get install -y --no-install-recommends file &&"))
        #expect(dockerfile.contains("RUN apt-get purge -y tzdata\n"))
        #expect(dockerfile.contains("COPY [\"files/opt/tool\", \"/opt/tool\"]"))
        #expect(dockerfile.contains("COPY [\"files/etc/issue\", \"/etc/issue\"]"))
        #expect(dockerfile.contains("RUN rm -rf -- /etc/localtime /etc/timezone /usr/share/doc/apt/copyright\n"))
        #expect(dockerfile.contains("# Left out, logs: /var/log"))
    }

    @Test func aContainerThatDoesNotExistExitsTwo() throws {
        let docker = try #require(debianTestEngine)
        let result = try runProgram(dockerkitBinary, ["reverse", "--container", "dockerkit-test-no-such-container"], environment: ourEnvironment(["DOCKERKIT_ENGINE": docker]))
        #expect(result.status == 2)
        #expect(result.error.contains("no container named dockerkit-test-no-such-container"))
    }

    @Test func aContainerWhoseImageWasRemovedExitsTwo() throws {
        let docker = try #require(debianTestEngine)
        let name = "dockerkit-test-revc-gone-\(getpid())"
        defer { _ = try? runProgram(docker, ["rm", "-f", name]) }
        #expect(try runProgram(docker, ["tag", "local/debian:12", "dockerkit-test/revc-gone:1"]).status == 0)
        #expect(try runProgram(docker, ["create", "--name", name, "dockerkit-test/revc-gone:1", "true"]).status == 0)
        #expect(try runProgram(docker, ["rmi", "dockerkit-test/revc-gone:1"]).status == 0)
        let result = try runProgram(dockerkitBinary, ["reverse", "--container", name], environment: ourEnvironment(["DOCKERKIT_ENGINE": docker]))
        #expect(result.status == 2)
        #expect(result.error.contains("the container's image dockerkit-test/revc-gone:1 was removed"))
    }
}
