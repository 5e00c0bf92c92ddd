import DockerfileSyntax
import Formatting
import Knowledge
import Lint
import Testing
@testable import Templates

/// Every CUDA minor version `dockerkit new` can build on (its newest patch), each flavor, and the option sets the
/// acceptance matrix uses.
private let requests: [LabImageRequest] = {
    let minors = Set(CudaImageCatalog.shared.images.filter(\.isGeneratable).map(\.minorVersion)).sorted()
    var requests: [LabImageRequest] = []
    for minor in minors {
        for flavor in ["base", "runtime", "devel"] {
            for options in 0..<3 {
                var request = LabImageRequest()
                request.cudaVersion = minor
                request.flavor = flavor
                request.ssh = options > 0
                request.vnc = options > 1
                request.mirror = options > 1 ? "tuna" : "none"
                request.user = options > 1 ? "lab" : nil
                requests.append(request)
            }
        }
    }
    return requests
}()

@Test func generatedDockerfilesLintCleanAndAreInFmtLayout() throws {
    var checked = 0
    for request in requests {
        guard let image = try? LabImageGenerator().generate(request, invocation: "dockerkit new") else { continue }
        checked += 1
        let findings = Linter().lint(source: Array(image.dockerfile.utf8), path: "Dockerfile", configuration: LintConfiguration()).findings
        let label = "\(request.cudaVersion ?? "") \(request.flavor ?? "") ssh=\(request.ssh) vnc=\(request.vnc)"
        #expect(findings.isEmpty, "\(label): \(findings.map(\.code))")
        let formatted = DockerfileFormatter.format(DockerfileParser.parse(image.dockerfile)).map { String(decoding: $0, as: UTF8.self) }
        #expect(formatted == image.dockerfile, "\(label) is not in fmt layout")
    }
    #expect(checked > 100)
}
