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

/// The mirror's RUN, run by bash over a fake /etc/apt holding `files`; the files afterwards and what it printed.
private func applyMirror(_ dockerfile: String, files: [String: String]) throws -> (files: [String: String], output: String) {
    let start = try #require(dockerfile.range(of: "RUN rewritten=0;"))
    let end = try #require(dockerfile.range(of: "&& printf '[global]", range: start.upperBound..<dockerfile.endIndex))
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("dockerkit-apt-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder.appendingPathComponent("sources.list.d"), withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    for (name, text) in files { try Data(text.utf8).write(to: folder.appendingPathComponent(name)) }
    var script = "rewritten=0;" + String(dockerfile[start.upperBound..<end.lowerBound]).replacingOccurrences(of: "/etc/apt/", with: folder.path + "/")
    while let last = script.last, last.isWhitespace || last == "\\" { script.removeLast() }
    let result = try ChildProcess.run("/bin/bash", arguments: ["-c", script])
    var after: [String: String] = [:]
    for name in files.keys { after[name] = try String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8) }
    return (after, String(decoding: result.output + result.errorOutput, as: UTF8.self))
}

@Test func everyAptLayoutIsRewrittenWhereItExists() throws {
    let dockerfile = try generate { $0.base = "local/debian:12"; $0.mirror = "tuna" }.dockerfile
    let oneLine = try applyMirror(dockerfile, files: ["sources.list": "deb http://deb.debian.org/debian bookworm main\n"])
    #expect(oneLine.files["sources.list"]?.contains("mirrors.tuna.tsinghua.edu.cn") == true, "\(oneLine)")
    let deb822 = try applyMirror(dockerfile, files: ["sources.list.d/debian.sources": "Types: deb\nURIs: http://deb.debian.org/debian\n"])
    #expect(deb822.files["sources.list.d/debian.sources"]?.contains("mirrors.tuna.tsinghua.edu.cn") == true, "\(deb822)")
    let neither = try applyMirror(dockerfile, files: ["sources.list": "deb http://apt.example.org/debian bookworm main\n"])
    #expect(neither.files["sources.list"] == "deb http://apt.example.org/debian bookworm main\n")
    #expect(neither.output.contains("the tuna mirror is not applied to apt"), "\(neither)")
}

@Test func printRunPrintsWhatRunShRuns() throws {
    for configure: (inout LabImageRequest) -> Void in [{ $0.cudaVersion = "12.4"; $0.ssh = true; $0.vnc = true; $0.jupyter = true }, { $0.cudaVersion = "12.4" }] {
        let image = try generate(configure)
        let script = try #require(image.files.first { $0.name == "run.sh" })
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("dockerkit-run-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try Data(script.contents.utf8).write(to: folder.appendingPathComponent("run.sh"))
        for name in ["lab-member.pub", "lab-member.vnc-password", "lab-member.jupyter-token"] { try Data("x\n".utf8).write(to: folder.appendingPathComponent(name)) }
        let arguments = ["--name", "lab-member", "--data", "/srv/lab/lab-member", "--dry-run"]
            + (image.files.contains { $0.name == "lab-entrypoint.sh" } ? ["--key", "\(folder.path)/lab-member.pub", "--vnc-password-file", "\(folder.path)/lab-member.vnc-password",
                "--jupyter-token-file", "\(folder.path)/lab-member.jupyter-token"] : [])
        let result = try ChildProcess.run("/bin/sh", arguments: [folder.appendingPathComponent("run.sh").path] + arguments)
        let printed = String(decoding: result.output, as: UTF8.self).replacingOccurrences(of: folder.path + "/", with: "/srv/lab/")
        #expect(printed == image.runCommand, "\(String(decoding: result.errorOutput, as: UTF8.self))")
    }
}

@Test func aShellOnlyImageRunsInTheForeground() throws {
    let image = try generate { $0.cudaVersion = "12.4" }
    #expect(image.runCommand.hasPrefix("docker run -it --rm "))
    #expect(!image.runCommand.contains("--restart"))
}

@Test func theReadmeClaimsCUDAOnlyOnAnNVIDIABase() throws {
    let onDebian = try #require(try generate { $0.cudaVersion = "12.4"; $0.base = "local/debian:12"; $0.ssh = true }.files.first { $0.name == "README.md" })
    #expect(!onDebian.contents.contains("CUDA 12.4"))
    #expect(!onDebian.contents.contains("root@"))
    let onCUDA = try #require(try generate { $0.cudaVersion = "12.4" }.files.first { $0.name == "README.md" })
    #expect(onCUDA.contents.contains("CUDA 12.4"))
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
