import DockerfileSyntax
import Formatting
import Testing

/// BuildKit reads parser directives only at the very top: after a blank line or a comment, `# escape=` is a comment.
/// Formatting must never turn such a comment into a directive (or one off).
@Suite struct DirectiveSafetyTests {
    static let directives = ["# escape=`", "# syntax=docker/dockerfile:1", "# check=skip=all", "#ESCAPE = `", "# Syntax=x"]
    static let above = ["", "\n", "\n\n", "   \n", "\r\n", "# a comment\n", "# a comment\n\n", "\n# a comment\n", "# syntax=docker/dockerfile:1\n\n"]

    func directives(_ text: String) -> [String] {
        DockerfileParser.parse(Array(text.utf8)).directives.map { "\($0.name)=\($0.value)" }
    }

    @Test func formattingKeepsWhichDirectivesBuildKitReads() {
        for directive in Self.directives {
            for prefix in Self.above {
                let text = prefix + directive + "\nFROM debian:12\nRUN echo a\n"
                guard let formatted = DockerfileFormatter.format(DockerfileParser.parse(Array(text.utf8))).map({ String(decoding: $0, as: UTF8.self) }) else { continue }
                #expect(directives(formatted) == directives(text), "\(text.debugDescription) → \(formatted.debugDescription)")
                let again = DockerfileFormatter.format(DockerfileParser.parse(Array(formatted.utf8))).map { String(decoding: $0, as: UTF8.self) }
                #expect(again == formatted, "\(text.debugDescription)")
            }
        }
    }

    @Test func aLeadingBlankLineBeforeACommentThatLooksLikeADirectiveStays() {
        let text = "\n# escape=`\nFROM debian:12\n"
        let formatted = DockerfileFormatter.format(DockerfileParser.parse(Array(text.utf8))).map { String(decoding: $0, as: UTF8.self) }
        #expect(formatted == text)
    }
}
