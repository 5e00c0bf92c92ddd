import DockerfileSyntax
import Formatting
import Knowledge
import Lint
import Testing
@testable import Templates

private func generate(_ configure: (inout LabImageRequest) -> Void) throws(LabImageGenerationError) -> LabImage {
    var request = LabImageRequest()
    configure(&request)
    return try LabImageGenerator().generate(request, invocation: "dockerkit new")
}

private func fromTag(_ image: LabImage) -> String? {
    image.dockerfile.split(separator: "\n").first { $0.hasPrefix("FROM nvidia/cuda:") }.map { String($0.dropFirst("FROM nvidia/cuda:".count)) }
}

@Test func everyTorchBuildWithAPublishedCudaLineGetsAGeneratableTagOfThatLine() throws {
    let catalog = CudaImageCatalog.shared
    var checked = 0
    for release in FrameworkCatalog.shared.torchReleases {
        for variant in release.variants where catalog.images.contains(where: { $0.isGeneratable && $0.minorVersion == variant.cuda }) {
            let image = try generate { $0.torch = release.version; $0.cudaVersion = variant.cuda; $0.conda = true }
            let tag = try #require(fromTag(image), "torch \(release.version) cuda \(variant.cuda)")
            let published = try #require(catalog.image(tag: tag), "\(tag) is not in the CUDA table")
            #expect(published.isGeneratable && published.minorVersion == variant.cuda, "\(tag)")
            #expect(image.dockerfile.contains("\"torch==\(release.version)+\(variant.label)\""), "\(tag)")
            #expect(image.dockerfile.contains(variant.indexURL))
            checked += 1
        }
    }
    #expect(checked > 50)
}

@Test func everyTensorFlowReleaseGetsAGeneratableTagOfItsCudaWithItsCudnn() throws {
    for release in FrameworkCatalog.shared.tensorflowReleases {
        let image = try generate { $0.tensorflow = release.version; $0.conda = true }
        let tag = try #require(fromTag(image), "tensorflow \(release.version)")
        let published = try #require(CudaImageCatalog.shared.image(tag: tag), "\(tag) is not in the CUDA table")
        #expect(published.isGeneratable && published.minorVersion == release.cuda, "\(tag)")
        if !release.bringsCuda { #expect(published.cudnnMajor == release.cudnnMajor, "\(tag)") }
        #expect(image.dockerfile.contains(release.bringsCuda ? "tensorflow[and-cuda]==\(release.version)" : "\"tensorflow==\(release.version)\""))
    }
}

@Test func torchTakesTheNewestCudaLineWithAWheelAndATag() throws {
    let image = try generate { $0.torch = "2.5" }
    #expect(fromTag(image) == "12.4.1-runtime-ubuntu22.04")
    #expect(image.dockerfile.contains("\"torchvision==0.20.1+cu124\""))
    #expect(image.dockerfile.contains("\"torchaudio==2.5.1\""))
}

@Test func torchWithACudaItHasNoWheelsForNamesOneThatWorks() {
    #expect(throws: LabImageGenerationError.self) { try generate { $0.torch = "2.5"; $0.cudaVersion = "12.6" } }
    do throws(LabImageGenerationError) {
        _ = try generate { $0.torch = "2.5"; $0.cudaVersion = "12.6" }
    } catch {
        guard case .request(let problem) = error else { Issue.record("\(error)"); return }
        #expect(problem.message.contains("11.8, 12.1, 12.4") && problem.message.contains("--cuda 12.4"), "\(problem.message)")
    }
}

@Test func torchPicksAnOSWhosePythonItSupports() throws {
    // PyTorch 1.10 supports Python 3.6 to 3.9: CUDA 11.3's ubuntu20.04 (3.8), not its newer releases.
    let image = try generate { $0.torch = "1.10" }
    #expect(fromTag(image) == "11.3.1-runtime-ubuntu20.04")
}

@Test func tensorFlowBefore214GetsTheCudnnTagItLoads() throws {
    let image = try generate { $0.tensorflow = "2.11" }
    #expect(fromTag(image) == "11.2.2-cudnn8-runtime-ubuntu20.04")
}

@Test func requirementsPinningTorchChooseTheCudaOfItsWheels() throws {
    let image = try generate { $0.requirements = "numpy==1.26.4\ntorch==2.5.1+cu121\n" }
    #expect(fromTag(image) == "12.1.1-runtime-ubuntu22.04")
    #expect(image.dockerfile.contains("--extra-index-url https://download.pytorch.org/whl/cu121 --requirement /opt/lab/requirements.txt"))
    #expect(image.files.first { $0.name == "requirements.txt" }?.contents == "numpy==1.26.4\ntorch==2.5.1+cu121\n")
    #expect(image.files.first { $0.name == ".dockerignore" }?.contents.contains("!requirements.txt") == true)
}

@Test func requirementsPinningTorchAgainstTheGivenCudaIsAnError() {
    #expect(throws: LabImageGenerationError.self) {
        try generate { $0.requirements = "torch==2.5.1+cu121\n"; $0.cudaVersion = "11.8" }
    }
}

@Test func condaEnvironmentImpliesCondaAndIsAppliedToTheBaseEnvironment() throws {
    let image = try generate { $0.cudaVersion = "12.4"; $0.condaEnvironment = "dependencies:\n  - six=1.16.0\n" }
    #expect(image.dockerfile.contains("conda env update --name base --file /opt/lab/environment.yml"))
    #expect(image.dockerfile.contains("Miniforge"))
}

@Test func frameworkAndRequirementsImagesLintCleanAndAreInFmtLayout() throws {
    let cases: [(String, (inout LabImageRequest) -> Void)] = [
        ("torch", { $0.torch = "2.5" }),
        ("torch ssh user mirror", { $0.torch = "2.9"; $0.ssh = true; $0.user = "lab"; $0.mirror = "tuna" }),
        ("tensorflow old", { $0.tensorflow = "2.11"; $0.user = "lab" }),
        ("tensorflow and-cuda conda", { $0.tensorflow = "2.15"; $0.conda = true }),
        ("requirements", { $0.cudaVersion = "12.4"; $0.requirements = "six==1.16.0\n"; $0.user = "lab" }),
        ("requirements on a base", { $0.base = "local/debian:12"; $0.requirements = "six==1.16.0\n" }),
        ("conda env", { $0.torch = "2.4"; $0.condaEnvironment = "dependencies:\n  - pip:\n    - six==1.16.0\n" }),
    ]
    for (label, configure) in cases {
        let image = try generate(configure)
        let findings = Linter().lint(source: Array(image.dockerfile.utf8), path: "Dockerfile", configuration: LintConfiguration()).findings
        #expect(findings.isEmpty, "\(label): \(findings.map { "\($0.code) \($0.message)" })")
        let formatted = DockerfileFormatter.format(DockerfileParser.parse(image.dockerfile)).map { String(decoding: $0, as: UTF8.self) }
        #expect(formatted == image.dockerfile, "\(label) is not in fmt layout")
    }
}
