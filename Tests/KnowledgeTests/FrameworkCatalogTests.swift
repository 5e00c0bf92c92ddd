import Foundation
import Testing
@testable import Knowledge

@Test func torchCatalogIsTheTableInData() throws {
    let rows = try table("pytorch-wheels.tsv").map { [$0["torch"], $0["cuda"], $0["variant"], $0["index_url"], $0["torchvision"], $0["torchaudio"], $0["python_min"], $0["python_max"], $0["source"]].map { $0 ?? "" } }
    let catalog = FrameworkCatalog.shared.torchReleases.flatMap { release in
        release.variants.map { [release.version, $0.cuda, $0.label, $0.indexURL, release.torchvision, release.torchaudio, release.pythonMinimum, release.pythonMaximum, release.source] }
    }
    #expect(rows == catalog, "regenerate with scripts/generate-knowledge.py")
}

@Test func tensorflowCatalogIsTheTableInData() throws {
    let rows = try table("tensorflow-builds.tsv").map { [$0["tensorflow"], $0["cuda"], $0["cudnn"], $0["python_min"], $0["python_max"], $0["extra"], $0["source"]].map { $0 ?? "" } }
    let catalog = FrameworkCatalog.shared.tensorflowReleases.map {
        [$0.version, $0.cuda, $0.cudnn, $0.pythonMinimum, $0.pythonMaximum, $0.bringsCuda ? "and-cuda" : "", $0.source]
    }
    #expect(rows == catalog, "regenerate with scripts/generate-knowledge.py")
}

@Test func aMinorVersionNamesItsNewestPatch() {
    #expect(FrameworkCatalog.shared.torchRelease("2.5")?.version == "2.5.1")
    #expect(FrameworkCatalog.shared.torchRelease("2.5.0")?.version == "2.5.0")
    #expect(FrameworkCatalog.shared.tensorflowRelease("2.15")?.version == "2.15.1")
    #expect(FrameworkCatalog.shared.torchRelease("2.50") == nil)
}

@Test func wheelLabelsReadAsCudaVersions() {
    #expect(cudaVersion(ofWheelLabel: "cu124") == "12.4")
    #expect(cudaVersion(ofWheelLabel: "cu118") == "11.8")
    #expect(cudaVersion(ofWheelLabel: "cu130") == "13.0")
    #expect(cudaVersion(ofWheelLabel: "cpu") == nil)
    #expect(pytorchWheelLabel(ofIndexURL: "https://download.pytorch.org/whl/cu111/torch_stable.html") == "cu111")
    #expect(pytorchWheelLabel(ofIndexURL: "https://pypi.org/simple") == nil)
}

@Test func requirementPinsReadTheFrameworkVersionAndItsBuild() {
    #expect(FrameworkPin(requirement: "torch==2.5.1+cu121")?.wheelLabel == "cu121")
    #expect(FrameworkPin(requirement: "Torch == 2.5.1")?.version == "2.5.1")
    #expect(FrameworkPin(requirement: "tensorflow[and-cuda]==2.15.1")?.bringsCuda == true)
    #expect(FrameworkPin(requirement: "tensorflow_gpu==2.4.0")?.framework == .tensorflow)
    #expect(FrameworkPin(requirement: "pytorch=2.5.1=py3.11_cuda12.1_cudnn9_0")?.version == "2.5.1")
    #expect(FrameworkPin(requirement: "torch>=2.0") == nil)
    #expect(FrameworkPin(requirement: "torchvision==0.20.1") == nil)
}

@Test func requirementsFilesGiveTheCudaTheyAskPyTorchFor() {
    #expect(FrameworkRequirements(requirementsFile: "--index-url https://download.pytorch.org/whl/cu118\ntorch==2.1.2 # pinned\n").torchCuda == "11.8")
    #expect(FrameworkRequirements(condaEnvironment: "dependencies:\n  - pytorch=2.5.1\n  - pytorch-cuda=12.1\n").torchCuda == "12.1")
    #expect(FrameworkRequirements(requirementsFile: "numpy==1.26.4\n").pins.isEmpty)
}
