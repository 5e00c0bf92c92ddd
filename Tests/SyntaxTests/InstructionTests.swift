import DockerfileSyntax
import Testing

@Suite struct InstructionTests {
    @Test func keywordsAreCaseInsensitive() {
        #expect(parse("from a\nrUn b\n").instructions.map(\.kind) == [.from, .run])
    }

    @Test func keywordBytesNameEveryKindInAnyCase() {
        for kind in InstructionKind.allCases where kind != .unknown {
            #expect(InstructionKind(keyword: Array(kind.rawValue.uppercased().utf8)) == kind)
            #expect(InstructionKind(keyword: Array(kind.rawValue.utf8)) == kind)
        }
    }

    @Test func keywordBytesWithExtraOrNulBytesAreUnknown() {
        #expect(InstructionKind(keyword: Array("run\u{0}".utf8)) == .unknown)
        #expect(InstructionKind(keyword: Array("runs".utf8)) == .unknown)
        #expect(InstructionKind(keyword: Array("healthcheckhealthcheck".utf8)) == .unknown)
        #expect(InstructionKind(keyword: [UInt8]()) == .unknown)
    }

    @Test func unknownInstructionIsKeptAsUnknown() {
        let instruction = parse("FROM a\nFOO bar\n").instructions[1]
        #expect(instruction.kind == .unknown)
        #expect(instruction.keyword.text == "FOO")
    }

    @Test func keywordRangeHasLineAndByteColumn() {
        let instruction = parse("FROM a\n  RUN b\n").instructions[1]
        #expect(instruction.keyword.range.start.line == 2)
        #expect(instruction.keyword.range.start.column == 3)
        #expect(instruction.keyword.range.end.column == 6)
    }

    @Test func valueRangesMapAcrossContinuationLines() {
        let instruction = parse("FROM a\nEXPOSE 80 \\\n  443\n").instructions[1]
        let port = instruction.values[1]
        #expect(port.text == "443")
        #expect(port.range.start.line == 3)
        #expect(port.range.start.column == 3)
    }

    @Test func fromHasPlatformImageAndStageName() throws {
        let from = try #require(FromInstruction(parse("FROM --platform=linux/amd64 ubuntu:22.04 as build\n").instructions[0]))
        #expect(from.platform?.value == "linux/amd64")
        #expect(from.image?.text == "ubuntu:22.04")
        #expect(from.stageName?.text == "build")
        #expect(from.asKeyword?.text == "as")
    }

    @Test func runMountFlagsAreReadAsFields() throws {
        let run = try #require(RunInstruction(parse(
            "FROM a\nRUN --mount=type=cache,target=/root/.cache,sharing=locked --mount=type=secret,id=tok --network=none pip install x\n"
        ).instructions[1]))
        #expect(run.mounts.map(\.type) == ["cache", "secret"])
        #expect(run.mounts[0].target == "/root/.cache")
        #expect(run.mounts[0].value("sharing") == "locked")
        #expect(run.mounts[1].id == "tok")
        #expect(run.network == "none")
        #expect(run.command == .shell(run.instruction.values[0]))
    }

    @Test func mountWithoutTypeIsBind() {
        #expect(MountOption(InstructionFlag.sample("mount", "target=/x")).type == "bind")
    }

    @Test func runExecFormIsJSON() throws {
        let run = try #require(RunInstruction(parse("FROM a\nRUN [\"echo\", \"hi\"]\n").instructions[1]))
        guard case .exec(let words) = run.command else { Issue.record("not exec form"); return }
        #expect(words.map(\.text) == ["echo", "hi"])
        #expect(words[1].range.start.column == 14)
    }

    @Test func execFormStringsAreDecodedWithOrWithoutEscapes() {
        let cases: [(written: String, value: String)] = [
            (#""plain/ascii text""#, "plain/ascii text"),
            (#""tab\there""#, "tab\there"),
            (#""a\nb \"q\" c\\d""#, "a\nb \"q\" c\\d"),
            (#""caf\u00e9""#, "café"),
            (#""\ud83d\ude00 and \ud83d alone""#, "😀 and \u{FFFD} alone"),
            ("\"café raw\"", "café raw"),
            (#""""#, ""),
        ]
        for (written, value) in cases {
            let instruction = parse("FROM a\nCMD [\(written)]\n").instructions[1]
            #expect(instruction.isJSON, "\(written)")
            #expect(instruction.values.map(\.text) == [value], "\(written)")
        }
    }

    @Test func execFormWithAControlCharacterIsShellForm() {
        let instruction = parse("FROM a\nCMD [\"a\u{01}b\"]\n").instructions[1]
        #expect(!instruction.isJSON)
    }

    @Test func heredocsAreAttachedWithTheirContent() {
        let instruction = parse("FROM a\nCOPY <<A <<-\"B\" /dst/\none\nA\n\ttwo\n\tB\n").instructions[1]
        #expect(instruction.heredocs.map(\.name) == ["A", "B"])
        #expect(instruction.heredocs.map(\.content) == ["one\n", "\ttwo\n"])
        #expect(instruction.heredocs.map(\.expands) == [true, false])
        #expect(instruction.heredocs[1].stripsLeadingTabs)
        #expect(instruction.endLine == 6)
    }

    @Test func heredocWithFileDescriptor() {
        let instruction = parse("FROM a\nRUN 3<<EOF cat /dev/fd/3\nx\nEOF\n").instructions[1]
        #expect(instruction.heredocs.first?.fileDescriptor == 3)
    }

    @Test func heredocsAreNotReadForOtherInstructions() {
        let tree = parse("FROM a\nENV x=<<EOF\nEXPOSE 1\n")
        #expect(tree.instructions.map(\.kind) == [.from, .env, .expose])
    }

    @Test func heredocsAreNotReadInExecForm() {
        let tree = parse("FROM a\nRUN [\"cat\", \"<<EOF\"]\nEXPOSE 1\n")
        #expect(tree.instructions.count == 3)
    }

    @Test func onbuildParsesItsTrigger() throws {
        let instruction = parse("FROM a\nONBUILD RUN --network=none make\n").instructions[1]
        let trigger = try #require(instruction.trigger)
        #expect(trigger.kind == .run)
        #expect(trigger.flags.map(\.text) == ["--network=none"])
        #expect(trigger.keyword.range.start.column == 9)
    }

    @Test func envLegacyAndNewFormsGivePairs() throws {
        let tree = parse("FROM a\nENV A 1 2\nENV B=\"x y\" C=z\n")
        let legacy = try #require(KeyValueInstruction(tree.instructions[1]))
        #expect(legacy.pairs.map(\.key.text) == ["A"])
        #expect(legacy.pairs.map(\.value.text) == ["1 2"])
        #expect(legacy.pairs[0].isLegacyForm)
        let modern = try #require(KeyValueInstruction(tree.instructions[2]))
        #expect(modern.pairs.map(\.key.text) == ["B", "C"])
        #expect(modern.pairs[0].unquotedValue(escapeToken: tree.escapeToken) == "x y")
        #expect(modern.pairs[1].value.range.start.column == 15)
    }

    @Test func argHasNamesAndDefaults() throws {
        let arg = try #require(ArgInstruction(parse("ARG A B=2\nFROM x\n").instructions[0]))
        #expect(arg.definitions.map(\.name) == ["A", "B"])
        #expect(arg.definitions.map(\.defaultValue) == [nil, "2"])
    }

    @Test func exposeReadsPortsRangesAndProtocols() throws {
        let expose = try #require(ExposeInstruction(parse("FROM a\nEXPOSE 80 8000-8010/udp 53/TCP\n").instructions[1]))
        #expect(expose.ports.map(\.start) == [80, 8000, 53])
        #expect(expose.ports.map(\.end) == [80, 8010, 53])
        #expect(expose.ports.map(\.protocol) == [nil, "udp", "TCP"])
    }

    @Test func copyReadsEveryFlag() throws {
        let copy = try #require(CopyInstruction(parse(
            "FROM a\nCOPY --from=b --chown=1:2 --chmod=755 --link --parents --exclude=*.tmp --exclude=x a b /dst/\n"
        ).instructions[1]))
        #expect(copy.from == "b")
        #expect(copy.chown == "1:2")
        #expect(copy.chmod == "755")
        #expect(copy.link && copy.parents)
        #expect(copy.excludes == ["*.tmp", "x"])
        #expect(copy.sources.map(\.text) == ["a", "b"])
        #expect(copy.destination?.text == "/dst/")
    }

    @Test func healthcheckNoneAndCommand() throws {
        let tree = parse("FROM a\nHEALTHCHECK NONE\nHEALTHCHECK --interval=5s CMD [\"curl\", \"-f\", \"x\"]\n")
        #expect(try #require(HealthcheckInstruction(tree.instructions[1])).isNone)
        let check = try #require(HealthcheckInstruction(tree.instructions[2]))
        #expect(check.interval == "5s")
        guard case .exec(let words) = check.command else { Issue.record("not exec"); return }
        #expect(words.map(\.text) == ["curl", "-f", "x"])
    }

    @Test func userSplitsUserAndGroup() throws {
        let user = try #require(ValueInstruction(parse("FROM a\nUSER lab:staff\n").instructions[1]))
        #expect(user.userAndGroup?.user == "lab")
        #expect(user.userAndGroup?.group == "staff")
    }

    @Test func flagEndsAtDoubleDash() {
        let instruction = parse("FROM a\nCOPY --chown=1 -- --weird /x\n").instructions[1]
        #expect(instruction.flags.map(\.text) == ["--chown=1"])
        #expect(instruction.values.map(\.text) == ["--weird", "/x"])
    }

    @Test func directivesAreReadOnlyAtTheTop() {
        let tree = parse("# syntax=docker/dockerfile:1\n# check=skip=all\n# escape=`\nFROM a\n")
        #expect(tree.directives.map(\.name) == ["syntax", "check", "escape"])
        #expect(tree.escapeToken == UInt8(ascii: "`"))
        #expect(parse("# hello\n# escape=`\nFROM a\n").directives.isEmpty)
        #expect(parse("\n# escape=`\nFROM a\n").directives.isEmpty)
    }

    @Test func commandsViewAddsHeredocsToOriginal() {
        let line = parse("FROM a\nRUN <<EOF\nhi\nEOF\n").buildKitCommandLines()[1]
        #expect(line.contains(#""original":"RUN <<EOF\nhi\nEOF\n""#))
        #expect(line.contains(#""heredocs":[{"name":"EOF","file_descriptor":0,"content":"hi\n"}]"#))
    }
}

extension InstructionFlag {
    static func sample(_ name: String, _ value: String) -> InstructionFlag {
        let flag = parse("FROM a\nRUN --\(name)=\(value) x\n").instructions[1].flags[0]
        return flag
    }
}
