import Shell
import Testing

@Suite struct ShellScriptTests {
    @Test func splitsOnOperators() {
        let script = ShellScript("a x && b 'y z' || c; d | e & f")
        #expect(script.commands.map(\.name.value) == ["a", "b", "c", "d", "e", "f"])
        #expect(script.commands.map(\.separator) == [.start, .and, .or, .sequence, .pipe, .background])
        #expect(Array(script.commands[1].argumentValues) == ["y z"])
        #expect(script.hasPipes)
    }

    @Test(.timeLimit(.minutes(1))) func substitutionsNested20000DeepAreNotReadAndSaySo() {
        let script = ShellScript("echo " + String(repeating: "$(", count: 20_000) + "x" + String(repeating: ")", count: 20_000))
        let (isTooDeep, commandCount) = (script.isTooDeeplyNested, script.commands.count)
        #expect(isTooDeep)
        #expect(commandCount == 0)
    }

    @Test(.timeLimit(.minutes(1))) func subshellsNested100000DeepAreNotReadAndSaySo() {
        let isTooDeep = ShellScript(String(repeating: "( ", count: 100_000) + "true" + String(repeating: " )", count: 100_000)).isTooDeeplyNested
        #expect(isTooDeep)
    }

    @Test func substitutionsAtTheNestingLimitAreRead() {
        let depth = ShellScript.nestingLimit
        let script = ShellScript("echo " + String(repeating: "$(echo ", count: depth) + "x" + String(repeating: ")", count: depth))
        let (isTooDeep, commandCount) = (script.isTooDeeplyNested, script.commands.count)
        #expect(!isTooDeep)
        #expect(commandCount == depth + 1)
    }

    @Test func nestedSubstitutionKeepsOffsetsInTheWholeScript() {
        let script = ShellScript("echo \"$(dirname $(which apt-get))\"")
        let names = script.commands.map { ($0.name.value, $0.name.offsets) }
        #expect(names.map(\.0) == ["echo", "dirname", "which"])
        #expect(names[2].1 == 18..<23)
    }

    @Test func outermostOperatorsLeaveOutSubstitutionsSubshellsGroupsAndQuotes() {
        let script = ShellScript("a && b \"c && d\" $(e && f) || (g && h); { i && j; } ;; k")
        #expect(script.topLevelOperators.map(\.text) == ["&&", "||", ";", ";;"])
        #expect(script.topLevelOperators[0].offsets == 2..<4)
        #expect(script.operators.map(\.text) == ["&&", "&&", "||", "&&", ";", "&&", ";", ";;"])
    }

    @Test func subshellAfterAReservedWordIsValid() {
        let script = ShellScript("if ( . /etc/os-release && [ \"$NAME\" = rhel ] ); then yum install -y x; fi")
        #expect(script.isValid)
        #expect(script.commands.map(\.name.value).contains("yum"))
        #expect(!ShellScript("echo (x)").isValid)
    }

    @Test func keepsOffsetsOfWords() {
        let script = ShellScript("apt-get install -y curl")
        #expect(script.commands[0].arguments[2].offsets == 19..<23)
    }

    @Test func readsSubstitutionsAndSubshells() {
        let script = ShellScript("echo $(id -u) && (cd /x; make) && `date`")
        #expect(Set(["echo", "id", "cd", "make", "date"]).isSubset(of: script.commands.map(\.name.value)))
    }

    @Test func skipsAssignmentsAndReservedWords() {
        let script = ShellScript("if [ -f x ]; then DEBIAN_FRONTEND=x apt-get install y; fi")
        #expect(script.commands.map(\.name.value) == ["[", "apt-get"])
    }

    @Test func readsRedirectionsApart() {
        let command = ShellScript("echo deb http://x/ > /etc/apt/sources.list 2>&1").commands[0]
        #expect(Array(command.argumentValues) == ["deb", "http://x/"])
        #expect(command.redirections.map(\.value) == ["/etc/apt/sources.list"])
    }

    @Test func readsFlagsAsHadolintDoes() {
        #expect(ShellScript("apt-get -qy --no-install-recommends=1 install x").commands[0].flags == ["q", "y", "no-install-recommends"])
    }

    @Test func hasFlagFindsLongNamesAndLettersOfShortClusters() {
        let command = ShellScript("apt-get -qy --no-install-recommends=1 -- -z install x").commands[0]
        #expect(command.hasFlag("no-install-recommends"))
        #expect(command.hasFlag("y"))
        #expect(!command.hasFlag("qy"))
        #expect(!command.hasFlag("install"))
    }

    @Test func commentsEndAtTheLine() {
        #expect(ShellScript("a # b c\nd").commands.map(\.name.value) == ["a", "d"])
    }

    @Test func unterminatedQuoteIsInvalidAndRunsNothing() {
        #expect(!ShellScript("echo 'open").isValid)
        #expect(ShellScript("echo 'open").commands.isEmpty)
    }

    @Test func strayParenthesisIsInvalid() {
        #expect(!ShellScript("FOR /f %i IN ('dir') DO echo %i").isValid)
        #expect(ShellScript("f() { echo; }; f").isValid)
    }

    @Test func unclosedSubstitutionDoesNotHang() {
        let script = ShellScript("echo $(unclosed")
        #expect(script.commands.map(\.name.value) == ["echo", "unclosed"])
    }

    @Test func shortFlagsOutsideASCIIAreReadByCharacter() {
        // A mark on the dash itself makes the word no flag (its first character is not `-`).
        let command = ShellScript("tool -ae\u{301} --x=1 -- - plain -\u{301}y").commands[0]
        #expect(command.flags == ["a", "e\u{301}", "x"])
        #expect(command.hasFlag("e\u{301}") && !command.hasFlag("e"))
    }
}
