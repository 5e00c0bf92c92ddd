import Foundation
import Testing

private let engineClient: String? = testEngine

@Suite(.serialized, .enabled(if: testEngine != nil, "\(noEngineReason)"))
struct EngineTests {
    @Test func reverseWithContextRebuildsAnEquivalentImage() throws {
        let docker = try #require(engineClient)
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        try Data("hello\n".utf8).write(to: directory.appendingPathComponent("hello.txt"))
        try Data("""
            FROM local/busybox:1
            ARG GREETING=hi
            ENV APP_HOME=/srv/app NOTE="it's \\"quoted\\" $HOME"
            COPY --chown=1000:1000 hello.txt /srv/app/hello.txt
            RUN echo "$GREETING" > /srv/app/greeting && mkdir -p /var/empty
            LABEL org.opencontainers.image.title="engine test"
            WORKDIR /srv/app
            CMD ["cat", "/srv/app/greeting"]

            """.utf8).write(to: directory.appendingPathComponent("Dockerfile"))
        let built = try runProgram(docker, ["build", "-q", "--network", "none", "-t", "dockerkit-test/orig", directory.path], environment: ourEnvironment(["DOCKER_BUILDKIT": "1"]))
        #expect(built.status == 0, "\(built.output)\(built.error)")
        let scratch = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let context = scratch.appendingPathComponent("context")
        let reversed = try runDockerkit(["reverse", "dockerkit-test/orig", "--engine", docker, "--context", context.path, "--build",
                                         "-t", "dockerkit-test/rebuilt", "--network", "none"])
        #expect(reversed.status == 0, "\(reversed.output)\n\(reversed.error.suffix(800))")
        #expect(reversed.output.contains("\nequivalent\n"))
        let dockerfile = try String(contentsOf: context.appendingPathComponent("Dockerfile"), encoding: .utf8)
        #expect(dockerfile.contains("FROM local/busybox:1\n"))
        #expect(dockerfile.contains("COPY --chown=1000:1000 layer-"))
    }

    @Test func aTabInARunComesBackExactlyThroughTheEnginesAPI() throws {
        let docker = try #require(engineClient)
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        try Data("FROM local/busybox:1\nRUN printf 'a\\tb\\n' > /tabbed && echo \"x\ty\" >> /tabbed\n".utf8).write(to: directory.appendingPathComponent("Dockerfile"))
        let built = try runProgram(docker, ["build", "-q", "--network", "none", "-t", "dockerkit-test/tab", directory.path], environment: ourEnvironment(["DOCKER_BUILDKIT": "0"]))
        #expect(built.status == 0, "\(built.output)\(built.error)")
        let context = directory.appendingPathComponent("context")
        // No --engine: the history comes from the engine's API, which keeps the tab the client would print as a space.
        let reversed = try runProgram(dockerkitBinary, ["reverse", "dockerkit-test/tab", "--context", context.path, "--build", "-t", "dockerkit-test/tab-rebuilt",
                                                        "--network", "none"], environment: ourEnvironment(["DOCKERKIT_ENGINE": docker]))
        #expect(reversed.status == 0, "\(reversed.output)\n\(reversed.error.suffix(800))")
        #expect(reversed.output.contains("\nequivalent\n"))
        #expect(reversed.output.contains("\nTOTAL: 0 of ") && reversed.output.contains(" layers and 0 of "), "\(reversed.output)")
        #expect(try String(contentsOf: context.appendingPathComponent("Dockerfile"), encoding: .utf8).contains("echo \"x\ty\""))
        _ = try? runProgram(docker, ["rmi", "-f", "dockerkit-test/tab", "dockerkit-test/tab-rebuilt"])
    }

    @Test func anUnknownImageThroughTheAPIExitsTwoWithAClearError() throws {
        let docker = try #require(engineClient)
        let result = try runProgram(dockerkitBinary, ["reverse", "dockerkit-test/no-such-image:1"], environment: ourEnvironment(["DOCKERKIT_ENGINE": docker]))
        #expect(result.status == 2)
        #expect(result.error.contains("image dockerkit-test/no-such-image:1 not found in the engine's local images"))
    }

    @Test func aMissingSocketThroughTheAPIExitsTwoNamingIt() throws {
        let result = try runProgram(dockerkitBinary, ["reverse", "local/busybox:1"], environment: ourEnvironment(["DOCKER_HOST": "unix:///nonexistent/docker.sock"]))
        #expect(result.status == 2)
        #expect(result.error.contains("/nonexistent/docker.sock") && result.error.contains("no engine answers on this socket"))
    }

    @Test func reverseReadsADockerSaveArchiveWithoutTheEngine() throws {
        let docker = try #require(engineClient)
        let scratch = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let archive = scratch.appendingPathComponent("busybox.tar")
        #expect(try runProgram(docker, ["save", "-o", archive.path, "local/busybox:1"]).status == 0)
        let result = try runDockerkit(["reverse", "--archive", archive.path])
        #expect(result.status == 0)
        #expect(result.output.contains("FROM scratch\n"))
    }

    @Test func buildLintsThenBuildsWithTheEngine() throws {
        let docker = try #require(engineClient)
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        try Data("FROM local/busybox:1\nRUN echo built > /built.txt\nCMD [\"cat\", \"/built.txt\"]\n".utf8)
            .write(to: directory.appendingPathComponent("Dockerfile"))
        let result = try runDockerkit(["build", "-t", "dockerkit-test/build:1", "--engine", docker, "--network", "none", directory.path])
        #expect(result.status == 0, "\(result.error.suffix(600))")
        #expect(try runProgram(docker, ["image", "inspect", "dockerkit-test/build:1"]).status == 0)
    }

    @Test func buildStopsOnLintErrors() throws {
        let docker = try #require(engineClient)
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        try Data("FROM local/busybox:1\nWORKDIR relative/path\n".utf8).write(to: directory.appendingPathComponent("Dockerfile"))
        let result = try runDockerkit(["build", "-t", "dockerkit-test/never:1", "--engine", docker, directory.path])
        #expect(result.status == 1)
        #expect(result.error.contains("lint error"))
        #expect(try runProgram(docker, ["image", "inspect", "dockerkit-test/never:1"]).status != 0)
    }

    @Test func aRetaggedBaseIsNamedAsATie() throws {
        let docker = try #require(engineClient)
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        try Data("FROM local/busybox:1\nRUN echo tie > /tie\n".utf8).write(to: directory.appendingPathComponent("Dockerfile"))
        #expect(try runProgram(docker, ["build", "-q", "--network", "none", "-t", "dockerkit-test/tie:1", directory.path], environment: ourEnvironment(["DOCKER_BUILDKIT": "1"])).status == 0)
        try runProgram(docker, ["tag", "local/busybox:1", "local/busybox:zz-retag"])
        defer { _ = try? runProgram(docker, ["rmi", "local/busybox:zz-retag"]) }
        let result = try runDockerkit(["reverse", "dockerkit-test/tie:1", "--engine", docker])
        #expect(result.status == 0, "\(result.error)")
        #expect(result.output.contains("# Base image local/busybox:1: the nearest local image whose layers and history start this one's. Tied with local/busybox:zz-retag"))
    }

    @Test func aChildThatChangesOnlyTheConfigFindsItsBase() throws {
        let docker = try #require(engineClient)
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        // BuildKit records no history entry for ONBUILD or --label: the child's layers and history are its base's.
        try Data("FROM local/busybox:1\nONBUILD RUN echo child > /child\n".utf8).write(to: directory.appendingPathComponent("Dockerfile"))
        #expect(try runProgram(docker, ["build", "-q", "--network", "none", "--label", "built.by=test", "-t", "dockerkit-test/config-only:1", directory.path],
                               environment: ourEnvironment(["DOCKER_BUILDKIT": "1"])).status == 0)
        let result = try runDockerkit(["reverse", "dockerkit-test/config-only:1", "--engine", docker])
        #expect(result.status == 0, "\(result.error)")
        #expect(result.output.contains("\nFROM local/busybox:1\n"), "\(result.output)")
        #expect(result.output.contains("\nONBUILD RUN echo child > /child\n") && result.output.contains("\nLABEL built.by=test\n"), "\(result.output)")
    }

    @Test func aClassicRunThatPrintsLikeAUserEntryIsToldApartByTheImageItLeft() throws {
        let docker = try #require(engineClient)
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        // The RUN's command is a shell comment; the classic builder prints it exactly as a USER instruction.
        try Data("FROM local/busybox:1\nRUN #(nop)  USER evil\nUSER 1000\n".utf8).write(to: directory.appendingPathComponent("Dockerfile"))
        #expect(try runProgram(docker, ["build", "-q", "--network", "none", "-t", "dockerkit-test/smuggled-user:1", directory.path],
                               environment: ourEnvironment(["DOCKER_BUILDKIT": "0"])).status == 0)
        let result = try runDockerkit(["reverse", "dockerkit-test/smuggled-user:1", "--engine", docker])
        #expect(result.status == 0, "\(result.error)")
        #expect(result.output.contains("# USER evil: in the history, but the image this step left does not have it"), "\(result.output)")
        #expect(!result.output.contains("\nUSER evil\n") && result.output.contains("\nUSER 1000\n"), "\(result.output)")
    }

    @Test func aBuildTheEngineFailsExitsThree() throws {
        let docker = try #require(engineClient)
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        try Data("FROM local/busybox:1\nRUN false\n".utf8).write(to: directory.appendingPathComponent("Dockerfile"))
        let result = try runDockerkit(["build", "--no-lint", "--network", "none", "-t", "dockerkit-test/never:2", "--engine", docker, directory.path])
        #expect(result.status == 3)
    }

    @Test func unknownImageExitsTwoWithAClearError() throws {
        let docker = try #require(engineClient)
        let result = try runDockerkit(["reverse", "dockerkit-test/no-such-image:1", "--engine", docker])
        #expect(result.status == 2)
        #expect(result.error.contains("image dockerkit-test/no-such-image:1 not found"))
    }

    @Test func unreachableDaemonNamesTheSocket() throws {
        let docker = try #require(engineClient)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: dockerkitBinary)
        process.arguments = ["reverse", "local/busybox:1", "--engine", docker]
        process.environment = ProcessInfo.processInfo.environment.merging(["DOCKER_HOST": "unix:///nonexistent/docker.sock"]) { _, new in new }
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = Pipe()
        try process.run()
        let text = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 2)
        #expect(text.contains("not reachable at unix:///nonexistent/docker.sock"))
    }
}

@Suite struct ReverseOfflineTests {
    @Test func missingEngineClientExitsTwo() throws {
        let result = try runDockerkit(["reverse", "some/image:1", "--engine", "/nonexistent/docker"])
        #expect(result.status == 2)
        #expect(result.error.contains("was not found"))
    }

    @Test func malformedHistoryExitsTwoWithTheLine() throws {
        let result = try runDockerkit(["reverse", "--history", "-"], input: "{\"CreatedBy\":\"RUN x\"}\nnot json\n")
        #expect(result.status == 2)
        #expect(result.error.contains("<stdin>:2:1: error:"))
    }

    @Test func notAnArchiveExitsTwo() throws {
        let scratch = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let file = scratch.appendingPathComponent("x.tar")
        try Data(repeating: 1, count: 2048).write(to: file)
        let result = try runDockerkit(["reverse", "--archive", file.path])
        #expect(result.status == 2)
        #expect(result.error.contains("not a tar archive"))
    }
}
