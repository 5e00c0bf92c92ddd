import DockerfileSyntax
import Foundation
import Testing

@Suite struct RoundTripTests {
    static let samples: [String] = [
        "",
        "\n\n",
        "# only a comment",
        "FROM alpine",
        "FROM alpine\r\nRUN echo hi \\\r\n  there\r\n",
        "\u{FEFF}FROM alpine\n",
        "# escape=`\nFROM windows\nRUN dir `\n  c:\\\n",
        "FROM a\nRUN <<EOF\necho hi\nEOF\n# after\n",
        "FROM a\nRUN <<-EOF cat\n\thello\n\tEOF\n",
        "FROM a\nRUN a \\\n# comment inside\n\n  b\n",
        "FROM a\nRUN something \\",
        "FROM a   \t\nCMD [\"a\",   \"b\"]   \n",
        "FROM a\nCOPY <<A <<B /dst/\nfirst\nA\nsecond\nB\n",
        "FROM a\nRUN <<EOF\nunterminated\n",
        "\u{0}\u{1}FROM\u{0} x\n",
        "  \t  \n\tFROM x\n  RUN y\n",
    ]

    @Test("printing the tree gives back every byte", arguments: samples)
    func printsBackEveryByte(_ sample: String) {
        let tree = parse(sample)
        #expect(tree.printedSource() == Array(sample.utf8))
    }

    @Test func itemsPartitionTheSource() {
        let sample = "# syntax=docker/dockerfile:1\n\nFROM a AS b\n# c\nRUN x \\\n  y\n"
        let tree = parse(sample)
        var offset = 0
        for item in tree.items {
            #expect(item.range.start.offset == offset)
            offset = item.range.end.offset
        }
        #expect(offset == sample.utf8.count)
    }

    @Test func invalidUTF8PrintsBackUnchanged() {
        let bytes: [UInt8] = Array("FROM a\nRUN echo ".utf8) + [0xFF, 0xFE, 0xC3] + Array("\n".utf8)
        let tree = DockerfileParser.parse(bytes)
        #expect(tree.printedSource() == bytes)
        #expect(tree.errors.isEmpty)
    }

    @Test func ownCorpusFilesPrintBackUnchanged() throws {
        let corpus = files(under: ownCorpus)
        #expect(corpus.count > 50)
        for file in corpus {
            let bytes = [UInt8](try Data(contentsOf: file))
            #expect(DockerfileParser.parse(bytes).printedSource() == bytes, "\(file.lastPathComponent)")
        }
    }

    @Test(.enabled(if: sharedDirectory != nil, "the shared corpus (../shared or DOCKERKIT_SHARED) is not here"))
    func sharedCorpusFilesPrintBackUnchanged() throws {
        let shared = try #require(sharedDirectory)
        var checked = 0
        for file in files(under: shared.appendingPathComponent("corpus/real")) {
            let bytes = [UInt8](try Data(contentsOf: file))
            #expect(DockerfileParser.parse(bytes).printedSource() == bytes, "\(file.lastPathComponent)")
            checked += 1
        }
        #expect(checked > 0)
    }
}
