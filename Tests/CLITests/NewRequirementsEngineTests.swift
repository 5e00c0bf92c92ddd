import Foundation
import Testing

/// The hosts pip is told to trust in the build: this machine reaches PyPI through a proxy that re-signs TLS.
private let pipTrustedHosts = "pypi.org files.pythonhosted.org"

/// Whether pip reaches PyPI from this machine's network, which a build with `--network host` shares.
private let pipReachesRegistry: Bool = {
    guard let folder = try? temporaryDirectory() else { return false }
    defer { try? FileManager.default.removeItem(at: folder) }
    var arguments = ["-m", "pip", "download", "--no-deps", "--disable-pip-version-check", "-q", "-d", folder.path, "six==1.16.0"]
    for host in pipTrustedHosts.split(separator: " ") { arguments += ["--trusted-host", String(host)] }
    return (try? runProgram("/usr/bin/env", ["python3"] + arguments).status) == 0
}()

/// `new --requirements` built for real: the file goes into the context, pip installs it in its own layer, and the
/// package imports in the image.
@Suite(.serialized,
       .enabled(if: testEngine != nil, "\(noEngineReason)"), .enabled(if: testEngineHasDebian, "\(noDebianReason)"),
       .enabled(if: pipReachesRegistry, "pip cannot reach a package registry from this machine, so a build cannot install requirements"))
struct NewRequirementsEngineTests {
    @Test func generatedImageWithARequirementsFileBuildsAndThePackageImports() throws {
        let docker = try #require(debianTestEngine)
        let folder = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let requirements = folder.appendingPathComponent("requirements.txt")
        try Data("six==1.16.0\n".utf8).write(to: requirements)
        let output = folder.appendingPathComponent("lab")
        let generated = try runDockerkit(["new", "--base", "local/debian:12", "--requirements", requirements.path, "-o", output.path])
        #expect(generated.status == 0, "\(generated.error)")
        let tag = "dockerkit-test/new-requirements"
        let build = try runProgram(docker, ["build", "-q", "--network", "host", "--build-arg", "PIP_TRUSTED_HOST=\(pipTrustedHosts)", "-t", tag, output.path],
                                   environment: ourEnvironment(["DOCKER_BUILDKIT": "1"]))
        #expect(build.status == 0, "\(build.error.suffix(800))")
        let imported = try runProgram(docker, ["run", "--rm", "--network", "none", "--entrypoint", "/opt/venv/bin/python", tag, "-c",
                                               "import six; print(six.__version__)"])
        #expect(imported.output.trimmingCharacters(in: .whitespacesAndNewlines) == "1.16.0", "\(imported.output)\(imported.error)")
        _ = try? runProgram(docker, ["rmi", "-f", tag])
    }
}
