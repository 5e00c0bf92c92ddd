import Testing
@testable import ImageHistory

@Test func goQuotedStringDecodesEscapes() {
    #expect(GoSyntax.quotedString("\"a\\\"b\\\\c\\n\\x41\"")?.value == "a\"b\\c\nA")
}

@Test func goQuotedListReadsCmdForm() {
    #expect(GoSyntax.quotedList("[\"/bin/echo\" \"$HOME\" \"a\\\"b\"]")?.values == ["/bin/echo", "$HOME", "a\"b"])
}

@Test func healthcheckStructIsRead() {
    let check = GoSyntax.healthcheck("&{[\"CMD-SHELL\" \"test -f /tmp/ok || exit 1\"] \"30s\" \"5s\" \"1m10s\" '\\x04'}")
    #expect(check?.test == ["CMD-SHELL", "test -f /tmp/ok || exit 1"])
    #expect(check?.interval == 30_000_000_000)
    #expect(check?.startPeriod == 70_000_000_000)
    #expect(check?.retries == 4)
}

@Test func exposeMapKeysAreRead() {
    #expect(GoSyntax.mapKeys("map[22/tcp:{} 6080/tcp:{}]") == ["22/tcp", "6080/tcp"])
}

@Test func durationPastTwoToTheSixtyThreeNanosecondsIsRefusedNotATrap() {
    #expect(GoSyntax.parseDuration("99999999999999999999h") == nil)
    #expect(GoSyntax.parseDuration("2562047h48m") == nil)
    #expect(GoSyntax.parseDuration("1e400s") == nil)
    #expect(GoSyntax.parseDuration("1m30s") == 90_000_000_000)
}
