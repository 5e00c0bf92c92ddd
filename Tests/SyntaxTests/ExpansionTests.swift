import DockerfileSyntax
import Testing

@Suite struct ExpansionTests {
    static let environment = ["HOME": "/root", "TOOL": "make", "EMPTY": "", "FILE": "archive.tar.gz", "PATHS": "a/b/c"]

    /// Word, expected value (nil: an error).
    static let table: [(String, String?)] = [
        ("plain", "plain"),
        ("qu'ot'ed", "quoted"),
        ("open'quote", nil),
        ("esc\\'aped", "esc'aped"),
        ("\"double \\\" quote\"", "double \" quote"),
        ("'single \\n kept'", "single \\n kept"),
        ("\"keeps \\n\"", "keeps \\n"),
        ("trailing\\", "trailing"),
        ("$HOME/bin", "/root/bin"),
        ("${HOME}bin", "/rootbin"),
        ("\\$HOME", "$HOME"),
        ("'$HOME'", "$HOME"),
        ("\"$HOME\"", "/root"),
        ("$", "$"),
        ("$.", "$."),
        ("$1x", "x"),
        ("${UNSET}", ""),
        ("${UNSET:-fallback}", "fallback"),
        ("${EMPTY:-fallback}", "fallback"),
        ("${EMPTY-fallback}", ""),
        ("${UNSET-fallback}", "fallback"),
        ("${TOOL:+set}", "set"),
        ("${EMPTY:+set}", ""),
        ("${EMPTY+set}", "set"),
        ("${UNSET:-${TOOL:-x}}", "make"),
        ("${UNSET:-${OTHER:-${HOME}}}", "/root"),
        ("${TOOL:?}", "make"),
        ("${UNSET:?must be set}", nil),
        ("${EMPTY:?}", nil),
        ("${EMPTY?}", ""),
        ("${FILE#*.}", "tar.gz"),
        ("${FILE##*.}", "gz"),
        ("${FILE%.*}", "archive.tar"),
        ("${FILE%%.*}", "archive"),
        ("${PATHS/\\//-}", "a-b/c"),
        ("${PATHS//\\//-}", "a-b-c"),
        ("${PATHS/?/x}", "x/b/c"),
        ("${FILE:#x}", nil),
        ("${}", nil),
        ("${:}", nil),
        ("${HOME", nil),
        ("${HOME:=x}", nil),
        ("${{x}", nil),
        ("${aaa}}", "}"),
        ("${x:-a {b}", "a {b"),
    ]

    @Test("expansion follows BuildKit's shell lexer", arguments: table)
    func expandsLikeBuildKit(_ row: (String, String?)) {
        let expander = ShellWordExpander()
        let result = try? expander.expand(row.0, environment: Self.environment)
        #expect(result?.value == row.1, "\(row.0)")
    }

    @Test func reportsMatchedAndUnmatchedNames() throws {
        let result = try ShellWordExpander().expand("$HOME ${MISSING:-x}", environment: Self.environment)
        #expect(result.matched == ["HOME"])
        #expect(result.unmatched == ["MISSING"])
    }

    @Test func splitsWordsAfterSubstitution() throws {
        let result = try ShellWordExpander().expand("a \"b c\" $TWO", environment: ["TWO": "d e"])
        #expect(result.words == ["a", "b c", "d", "e"])
    }

    @Test func backtickEscape() throws {
        let result = try ShellWordExpander(escapeToken: "`").expand("c:\\dir `$HOME", environment: Self.environment)
        #expect(result.value == "c:\\dir $HOME")
    }

    @Test func leavesUnsetVariablesWhenAsked() throws {
        var expander = ShellWordExpander()
        expander.leavesUnsetVariables = true
        #expect(try expander.expand("$X ${Y} ${Z:-d}", environment: [:]).value == "$X ${Y} ${Z:-d}")
    }

    @Test func nestingWithinTheLimitExpands() throws {
        var word = "x"
        for index in 0..<ShellWordExpander.maximumNesting { word = "${V\(index):-\(word)}" }
        #expect(try ShellWordExpander().expand(word, environment: [:]).value == "x")
    }

    @Test func nestingBeyondTheLimitIsAnErrorNotACrash() {
        var word = "x"
        for index in 0..<100_000 { word = "${V\(index):-\(word)}" }
        #expect(throws: ExpansionError.self) { try ShellWordExpander().expand(word, environment: [:]) }
    }
}
