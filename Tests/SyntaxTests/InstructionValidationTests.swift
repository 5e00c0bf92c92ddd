import Testing
@testable import DockerfileSyntax

/// The DL1000 messages BuildKit's frontend gives for `text` (after `FROM a` when it does not start with FROM).
private func problems(_ text: String) -> [String] {
    let source = text.hasPrefix("FROM") || text.hasPrefix("ARG") ? text : "FROM a\n" + text
    return DockerfileParser.parse(Array(source.utf8)).instructionErrors().map { "\($0.range.start.line): \($0.message)" }
}

@Test func argumentCountsAreCheckedAsBuildKitChecksThem() {
    #expect(problems("FROM\n") == ["1: FROM requires either one or three arguments"])
    #expect(problems("FROM a b\n") == ["1: FROM requires either one or three arguments"])
    #expect(problems("COPY onlyone\n") == ["2: COPY requires at least two arguments, but only one was provided. Destination could not be determined"])
    #expect(problems("ENV\n") == ["2: ENV requires at least one argument"])
    #expect(problems("USER\n") == ["2: USER requires exactly one argument"])
    #expect(problems("STOPSIGNAL\n") == ["2: STOPSIGNAL requires exactly one argument"])
    #expect(problems("EXPOSE\n") == ["2: EXPOSE requires at least one argument"])
    #expect(problems("ARG\nFROM a\n") == ["1: ARG requires at least one argument"])
    #expect(problems("CMD\nENTRYPOINT\nRUN\n") == [])
}

@Test func unknownInstructionsAndFlagsGetBuildKitsSuggestion() {
    #expect(problems("RUNN x\n") == ["2: unknown instruction: RUNN (did you mean RUN?)"])
    #expect(problems("FORM a\n") == ["2: unknown instruction: FORM (did you mean FROM?)"])
    #expect(problems("COPY --chonw=1 a b\n") == ["2: unknown flag: --chonw (did you mean chown?)"])
    #expect(problems("ADD --from=x a b\n") == ["2: unknown flag: --from"])
    #expect(problems("COPY --chown a b\n") == ["2: missing a value on flag: --chown"])
    #expect(problems("COPY --link=maybe a b\n") == ["2: expecting boolean value for flag --link, not: maybe"])
    #expect(problems("COPY --from=a --from=b x y\n") == ["2: duplicate flag specified: --from"])
    #expect(problems("COPY --exclude=a --exclude=b x y\nCOPY --link --parents a b\n") == [])
    #expect(problems("RUN --network=bridge true\n") == ["2: invalid network mode \"bridge\""])
    #expect(problems("RUN --mount=type=cache,target=/x --network=none --security=insecure true\n") == [])
}

@Test func healthcheckDurationsAndRetriesReadAsGoReadsThem() {
    #expect(problems("HEALTHCHECK --interval=abc CMD true\n") == ["2: time: invalid duration \"abc\""])
    #expect(problems("HEALTHCHECK --timeout=5 CMD true\n") == ["2: time: missing unit in duration \"5\""])
    #expect(problems("HEALTHCHECK --timeout=5x CMD true\n") == ["2: time: unknown unit \"x\" in duration \"5x\""])
    #expect(problems("HEALTHCHECK --interval=10us CMD true\n") == ["2: Interval \"interval\" cannot be less than 1ms"])
    #expect(problems("HEALTHCHECK --retries=x CMD true\n") == ["2: strconv.ParseInt: parsing \"x\": invalid syntax"])
    #expect(problems("HEALTHCHECK --retries=99999999999 CMD true\n") == ["2: strconv.ParseInt: parsing \"99999999999\": value out of range"])
    #expect(problems("HEALTHCHECK --retries=-1 CMD true\n") == ["2: --retries cannot be negative (-1)"])
    #expect(problems("HEALTHCHECK NONE true\n") == ["2: HEALTHCHECK NONE takes no arguments"])
    #expect(problems("HEALTHCHECK FOO true\n") == ["2: Unknown type \"FOO\" in HEALTHCHECK (try CMD)"])
    #expect(problems("HEALTHCHECK --interval=1m30s --start-interval=0 --retries=+3 CMD true\nHEALTHCHECK --bogus=1 NONE\n") == [])
}

@Test func onbuildTriggersAndShellFormAreChecked() {
    #expect(problems("ONBUILD FROM x\n") == ["2: FROM isn't allowed as an ONBUILD trigger"])
    #expect(problems("ONBUILD onbuild RUN x\n") == ["2: Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed"])
    #expect(problems("ONBUILD MAINTAINER me\n") == ["2: MAINTAINER isn't allowed as an ONBUILD trigger"])
    #expect(problems("SHELL /bin/sh -c\n") == ["2: SHELL requires the arguments to be in JSON form"])
    #expect(problems("SHELL []\n") == ["2: SHELL requires at least one argument"])
    #expect(problems("FROM a AS Build-1\nFROM a AS 1x\n") == ["2: invalid name for build stage: \"1x\", name can't start with a number or contain symbols"])
}

@Test func goDurationsMatchGo() {
    #expect(GoDuration.parse("1m30s") == .success(90_000_000_000))
    #expect(GoDuration.parse("1.5h") == .success(5_400_000_000_000))
    #expect(GoDuration.parse(".5s") == .success(500_000_000))
    #expect(GoDuration.parse("-2ms") == .success(-2_000_000))
    #expect(GoDuration.parse("0") == .success(0))
    #expect(GoDuration.parse("") == .failure("time: invalid duration \"\""))
    #expect(GoDuration.parse(".s") == .failure("time: invalid duration \".s\""))
    #expect(GoDuration.parse("9999999999999h") == .failure("time: invalid duration \"9999999999999h\""))
    #expect(GoDuration.parse("1\u{00B5}s") == .success(1_000))
    #expect(GoDuration.parse("1é") == .failure("time: unknown unit \"\\xc3\\xa9\" in duration \"1\\xc3\\xa9\""))
}
