import DockerfileSyntax
import Formatting
import Lint

/// libFuzzer entry: parse → print → lint → fmt on arbitrary bytes; any crash, hang or broken guarantee is a finding.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzDockerfile(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let tree = DockerfileParser.parse(bytes)
    guard tree.printedSource() == bytes else { fatalError("round trip lost bytes") }
    _ = tree.buildKitDump()
    _ = tree.buildKitCommandLines()
    _ = Linter().lint(source: bytes, path: "Dockerfile", configuration: LintConfiguration())
    if let formatted = DockerfileFormatter.format(tree) {
        let again = DockerfileParser.parse(formatted)
        guard again.errors.isEmpty else { fatalError("formatted output does not parse") }
        guard DockerfileFormatter.format(again) == formatted else { fatalError("formatting is not idempotent") }
    }
    return 0
}
