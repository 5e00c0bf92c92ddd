import DockerfileSyntax
import Foundation
import Support
import Testing
@testable import Templates

private func generate(_ configure: (inout LabImageRequest) -> Void) throws -> LabImage {
    var request = LabImageRequest()
    configure(&request)
    return try LabImageGenerator().generate(request, invocation: "dockerkit new")
}

private func requestError(_ configure: (inout LabImageRequest) -> Void) -> String? {
    do {
        _ = try generate(configure)
        return nil
    } catch let error as LabImageGenerationError {
        if case .request(let problem) = error { return problem.message }
        return "template error"
    } catch {
        return "\(error)"
    }
}

@Test func minorVersionResolvesToTheNewestPatchAndUbuntu() throws {
    let image = try generate { $0.cudaVersion = "11.3"; $0.flavor = "devel" }
    #expect(image.baseImage == "nvidia/cuda:11.3.1-devel-ubuntu20.04")
    #expect(image.dockerfile.contains("\nFROM nvidia/cuda:11.3.1-devel-ubuntu20.04\n"))
}

@Test func flavorDefaultsToRuntime() throws {
    #expect(try generate { $0.cudaVersion = "12.4.1" }.cudaImage?.flavor == "runtime")
}

@Test func cudnnNineMatchesTheUnversionedCudnnTag() throws {
    #expect(try generate { $0.cudaVersion = "12.4"; $0.cudnn = "9"; $0.os = "ubuntu22.04" }.baseImage == "nvidia/cuda:12.4.1-cudnn-runtime-ubuntu22.04")
}

@Test func unpublishedVersionListsThePublishedOnes() {
    let message = requestError { $0.cudaVersion = "7.5" }
    #expect(message?.contains("published versions: ") == true)
    #expect(message?.contains("12.4.1") == true)
}

@Test func unknownFlavorListsTheFlavors() {
    #expect(requestError { $0.cudaVersion = "11.3"; $0.flavor = "gpu" }?.contains("base, runtime, devel") == true)
}

@Test func unpublishedOSListsTheSystems() {
    #expect(requestError { $0.cudaVersion = "11.3"; $0.os = "ubuntu99.04" }?.contains("ubuntu20.04") == true)
}

@Test func missingCudnnVersionListsTheCudnnVersions() {
    #expect(requestError { $0.cudaVersion = "11.3"; $0.cudnn = "9" }?.contains("cuDNN versions published: 8") == true)
}

@Test func pythonOtherThanTheDistributionsNeedsConda() {
    #expect(requestError { $0.cudaVersion = "11.3"; $0.python = "3.11" }?.contains("--conda --python 3.11") == true)
}

@Test func hostileUserNameIsRefused() {
    #expect(requestError { $0.cudaVersion = "11.3"; $0.user = "lab; rm -rf /" } != nil)
}

@Test func hostilePackageNameIsRefused() {
    #expect(requestError { $0.cudaVersion = "11.3"; $0.packages = ["vim && curl evil"] } != nil)
}

@Test func sshImageHasKeyOnlyConfigAndNoHostKeys() throws {
    let dockerfile = try generate { $0.cudaVersion = "12.4"; $0.ssh = true; $0.user = "lab" }.dockerfile
    #expect(dockerfile.contains("'PasswordAuthentication no'"))
    #expect(dockerfile.contains("'PermitRootLogin no'"))
    #expect(dockerfile.contains("rm -rf /var/lib/apt/lists/* /etc/ssh/ssh_host_*"))
}

@Test func rootOnlySSHAllowsRootWithKeysAndSaysWhy() throws {
    let dockerfile = try generate { $0.cudaVersion = "12.4"; $0.ssh = true }.dockerfile
    #expect(dockerfile.contains("'PermitRootLogin prohibit-password'"))
    #expect(dockerfile.contains("# No --user was given, so root is the only account"))
}

@Test func deb822UbuntuRewritesUbuntuSources() throws {
    let dockerfile = try generate { $0.cudaVersion = "12.8"; $0.os = "ubuntu24.04"; $0.mirror = "tuna" }.dockerfile
    #expect(dockerfile.contains("/etc/apt/sources.list.d/ubuntu.sources"))
    #expect(!dockerfile.contains("/etc/apt/sources.list \\"))
}

@Test func generatedFilesParseWithoutErrors() throws {
    let image = try generate { $0.cudaVersion = "12.4"; $0.ssh = true; $0.vnc = true; $0.jupyter = true; $0.conda = true; $0.user = "lab"; $0.sudo = true; $0.mirror = "aliyun" }
    #expect(DockerfileParser.parse(Array(image.dockerfile.utf8)).errors.isEmpty)
    #expect(image.files.map(\.name) == ["Dockerfile", ".dockerignore", "lab-entrypoint.sh", "run.sh", "README.md"])
}

@Test func plainImageNeedsNoEntrypoint() throws {
    let image = try generate { $0.cudaVersion = "12.4" }
    #expect(!image.files.contains { $0.name == "lab-entrypoint.sh" })
    #expect(!image.dockerfile.contains("COPY"))
}

@Test func builtinTemplatesEqualTheTemplatesFolder() throws {
    let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("templates")
    let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".tmpl") }.sorted()
    #expect(names == BuiltinTemplates.templates.keys.sorted(), "run scripts/generate-templates.py")
    for name in names {
        let text = try String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8)
        #expect(BuiltinTemplates.templates[name] == text, "\(name) differs from the built-in copy: run scripts/generate-templates.py")
    }
}

@Test func baseThatIsAFlagIsRefused() {
    #expect(requestError { $0.cudaVersion = "11.3"; $0.base = "--platform=linux/amd64" }?.contains("--base takes an image reference") == true)
}

@Test func chineseLabGetsItsLocaleTimeZoneAndFonts() throws {
    let image = try generate { $0.cudaVersion = "12.4"; $0.locale = "zh_CN.UTF-8"; $0.timeZone = "Asia/Shanghai"; $0.cjkFonts = true }
    #expect(image.dockerfile.contains("RUN localedef -i zh_CN -c -f UTF-8 -A /usr/share/locale/locale.alias zh_CN.UTF-8"))
    #expect(image.dockerfile.contains("ENV LANG=zh_CN.UTF-8\n"))
    #expect(image.dockerfile.contains("ln -snf /usr/share/zoneinfo/Asia/Shanghai /etc/localtime"))
    #expect(image.dockerfile.contains("ENV TZ=Asia/Shanghai\n"))
    #expect(image.dockerfile.contains("    fonts-noto-cjk \\\n"))
}

@Test func localeAndTimeZoneThatAreNotNamesAreRefused() {
    #expect(requestError { $0.cudaVersion = "12.4"; $0.locale = "zh_CN.UTF-8; rm -rf /" }?.contains("--locale takes a locale") == true)
    #expect(requestError { $0.cudaVersion = "12.4"; $0.timeZone = "../../etc/passwd" }?.contains("--tz takes a time zone") == true)
}

@Test func condaWithAMirrorThatCarriesMiniforgeDownloadsTheInstallerFromIt() throws {
    let dockerfile = try generate { $0.cudaVersion = "12.4"; $0.conda = true; $0.mirror = "tuna" }.dockerfile
    #expect(dockerfile.contains("https://mirrors.tuna.tsinghua.edu.cn/github-release/conda-forge/miniforge/LatestRelease/Miniforge3-Linux-$(uname -m).sh"))
    #expect(!dockerfile.contains("github.com"))
}

@Test func condaWithAMirrorThatCarriesCondaForgeUsesItAsTheCustomChannel() throws {
    let dockerfile = try generate { $0.cudaVersion = "12.4"; $0.conda = true; $0.mirror = "aliyun" }.dockerfile
    #expect(dockerfile.contains("conda-forge: %s\\nshow_channel_urls: true\\n' 'https://mirrors.aliyun.com/anaconda/cloud' > /opt/conda/.condarc"))
    #expect(dockerfile.contains("the aliyun mirror has no\n# Miniforge installer, so it comes from GitHub."))
}

@Test func condaWithAMirrorWithoutCondaForgeSaysSo() throws {
    let dockerfile = try generate { $0.cudaVersion = "12.4"; $0.conda = true; $0.mirror = "huawei" }.dockerfile
    #expect(!dockerfile.contains(".condarc"))
    #expect(dockerfile.contains("# The huawei mirror has no conda-forge channel, so conda uses conda-forge directly."))
}

@Test func runScriptMakesRelativeKeyAndDataPathsAbsoluteAndChecksTheKeyExists() throws {
    let image = try generate { $0.cudaVersion = "12.4"; $0.ssh = true }
    let script = try #require(image.files.first { $0.name == "run.sh" })
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("dockerkit-run-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    try Data(script.contents.utf8).write(to: folder.appendingPathComponent("run.sh"))
    try Data("ssh-ed25519 AAAA a\n".utf8).write(to: folder.appendingPathComponent("alice.pub"))
    func run(_ arguments: [String]) throws -> (status: Int32, output: String) {
        // run.sh reads relative paths from where it runs: a shell moves there first (ChildProcess starts children here).
        let result = try ChildProcess.run("/bin/sh", arguments: ["-c", "cd \"$0\" && exec sh run.sh \"$@\"", folder.path] + arguments)
        return (result.status, String(decoding: result.output + result.errorOutput, as: UTF8.self))
    }
    let dryRun = try run(["--name", "alice", "--key", "alice.pub", "--data", "data/alice", "--dry-run"])
    #expect(dryRun.status == 0, "\(dryRun.output)")
    #expect(dryRun.output.contains("-v \(folder.path)/alice.pub:/run/secrets/authorized_keys:ro"))
    #expect(dryRun.output.contains("-v \(folder.path)/data/alice:/data"))
    let missing = try run(["--name", "bob", "--key", "bob.pub", "--dry-run"])
    #expect(missing.status == 2)
    #expect(missing.output == "run.sh: --key bob.pub: no such file\n")
}
