import Lint
import Testing

/// Which ENV and ARG names DK404 and DL3064 take for secrets, read on bytes for ASCII names and by characters otherwise.
@Suite struct SecretNameTests {
    static func lines(_ code: String, in text: String) -> [Int] {
        Linter().lint(source: Array(text.utf8), path: "Dockerfile", configuration: LintConfiguration())
            .findings.filter { $0.code == code }.map(\.range.start.line)
    }

    static let text = "FROM alpine\nENV DB_PASSWORD_FILE_=/run/x\nENV ROOT_PW=hunter2\nARG Api_Key=abc\nENV PASSWORD_FİLE=x\n"

    @Test func aNameEndingInAReferenceWordIsNoSecretEvenWithATrailingUnderscore() {
        #expect(!Self.lines("DK404", in: Self.text).contains(2))
        #expect(!Self.lines("DL3064", in: Self.text).contains(2))
    }

    @Test func shortFormsAndMixedCaseAreSecrets() {
        #expect(Self.lines("DK404", in: Self.text) == [3, 4, 5])
        #expect(Self.lines("DL3064", in: Self.text) == [4, 5])
    }
}
