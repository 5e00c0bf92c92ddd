import DockerfileSyntax
import Lint
import Shell

/// Every rule on, with the settings that switch the optional ones on.
private let everyRule: LintConfiguration = {
    var configuration = LintConfiguration()
    configuration.enabledRules = Set(RuleRegistry.all.map(\.description.code))
    configuration.trustedRegistries = ["docker.io", "nvcr.io"]
    configuration.labelSchema = ["maintainer": "email", "org.opencontainers.image.created": "rfc3339", "version": "semver", "url": "url"]
    configuration.strictLabels = true
    configuration.mirror = "tuna"
    configuration.reportUnusedIgnores = true
    configuration.dockerIgnore = "*.log\n!keep.log\n"
    return configuration
}()

/// libFuzzer entry over the lint path: the first byte picks whether the rest is a shell script (read by the shell
/// reader directly and as a RUN line and heredoc) or a whole Dockerfile; every rule runs, findings stay inside the
/// file, and the safe fixes never make the file parse worse.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzLint(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size > 0 else { return 0 }
    let bytes = Array(UnsafeBufferPointer(start: data + 1, count: size - 1))
    let sources: [[UInt8]]
    if data[0] % 2 == 0 {
        let text = String(decoding: bytes, as: UTF8.self)
        let script = ShellScript(text)
        for command in script.commands {
            for word in [command.name] + command.arguments + command.redirections where word.offsets.lowerBound > word.offsets.upperBound {
                fatalError("a word's offsets are reversed")
            }
        }
        sources = [Array("FROM debian:12\nRUN ".utf8) + bytes.filter { $0 != 0x0A && $0 != 0x0D } + [0x0A],
                   Array("FROM debian:12\nRUN <<EOF\n".utf8) + bytes + Array("\nEOF\n".utf8)]
    } else {
        sources = [bytes]
    }
    for source in sources {
        let result = Linter().lint(source: source, path: "Dockerfile", configuration: everyRule)
        for finding in result.findings where finding.range.end.offset > source.count || finding.range.start.offset > finding.range.end.offset {
            fatalError("finding \(finding.code) has a range outside the file")
        }
        if let fixed = Fixer.fix(source: source, path: "Dockerfile", configuration: everyRule, linter: Linter()) {
            guard DockerfileParser.parse(fixed.fixed).errors.count <= DockerfileParser.parse(source).errors.count else {
                fatalError("the fixes made the file parse worse")
            }
        }
    }
    return 0
}
