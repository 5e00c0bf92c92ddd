import DockerfileSyntax
import Foundation
import Testing

@Suite struct BuildKitDumpTests {
    static let cases: [(source: String, dump: String)] = [
        ("FROM a AS b\n", #"(from "a" "AS" "b")"#),
        ("FROM --platform=$BUILDPLATFORM a\n", #"(from ["--platform=$BUILDPLATFORM"] "a")"#),
        ("FROM a\nENV k v w\n", "(from \"a\")\n(env \"k\" \"v w\" \"\")"),
        ("FROM a\nENV k=\"v w\" x=y\n", "(from \"a\")\n(env \"k\" \"\\\"v w\\\"\" \"=\" \"x\" \"y\" \"=\")"),
        ("FROM a\nARG x y=1\n", "(from \"a\")\n(arg \"x\" \"y=1\")"),
        ("FROM a\nCMD [\"a\", \"b\"]\n", "(from \"a\")\n(cmd \"a\" \"b\")"),
        ("FROM a\nCMD ['a']\n", "(from \"a\")\n(cmd \"['a']\")"),
        ("FROM a\nRUN --mount=type=cache,target=/x -- echo\n", "(from \"a\")\n(run [\"--mount=type=cache,target=/x\"] \"echo\")"),
        ("FROM a\nONBUILD COPY --from=b x y\n", "(from \"a\")\n(onbuild (copy [\"--from=b\"] \"x\" \"y\"))"),
        ("FROM a\nHEALTHCHECK NONE\n", "(from \"a\")\n(healthcheck \"NONE\")"),
        ("FROM a\nEXPOSE 80/tcp  443\n", "(from \"a\")\n(expose \"80/tcp\" \"443\")"),
        ("FROM a\nFOO bar\n", "(from \"a\")\n(foo \"\")"),
        ("FROM a\nRUN a \\\n\n  b\n", "(from \"a\")\n(run \"a   b\")"),
        ("# escape=`\nFROM a\nRUN a `\n b\n", "(from \"a\")\n(run \"a  b\")"),
        ("# ESCAPE = `\nFROM a\nENV p c:\\dir\n", "(from \"a\")\n(env \"p\" \"c:\\\\dir\" \"\")"),
        ("FROM a\n# escape=`\nRUN a `\n", "(from \"a\")\n(run \"a `\")"),
    ]

    @Test("Node.Dump() matches BuildKit", arguments: cases)
    func dumpMatches(_ sample: (source: String, dump: String)) {
        let tree = parse(sample.source)
        #expect(tree.errors.isEmpty)
        #expect(tree.buildKitDump() == sample.dump)
    }

    /// BuildKit's own parser test files with their expected dumps, kept in Tests/Corpus/buildkit-parser (see NOTICE there).
    @Test func buildKitTestFilesDumpAlike() throws {
        let root = ownCorpus.appendingPathComponent("buildkit-parser/testfiles")
        let cases = try FileManager.default.contentsOfDirectory(atPath: root.path).sorted()
        #expect(!cases.isEmpty)
        for name in cases {
            let directory = root.appendingPathComponent(name)
            let source = [UInt8](try Data(contentsOf: directory.appendingPathComponent("Dockerfile")))
            let expected = try String(contentsOf: directory.appendingPathComponent("result"), encoding: .utf8)
            #expect(DockerfileParser.parse(source).buildKitDump() + "\n" == expected, "\(name)")
        }
    }

    @Test func buildKitNegativeTestFilesAreRejected() throws {
        let root = ownCorpus.appendingPathComponent("buildkit-parser/testfiles-negative")
        let names = try FileManager.default.contentsOfDirectory(atPath: root.path)
        #expect(!names.isEmpty)
        for name in names {
            let source = [UInt8](try Data(contentsOf: root.appendingPathComponent(name).appendingPathComponent("Dockerfile")))
            #expect(!DockerfileParser.parse(source).errors.isEmpty, "\(name)")
        }
    }
}
