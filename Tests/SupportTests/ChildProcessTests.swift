import Testing
@testable import Support

@Test func childProcessGetsItsInputAndGivesBothOutputsAndStatus() throws {
    let result = try ChildProcess.run("/bin/sh", arguments: ["-c", "cat; echo oops >&2; exit 3"], input: Array("hello\n".utf8))
    #expect(result.output == Array("hello\n".utf8))
    #expect(result.errorOutput == Array("oops\n".utf8))
    #expect(result.status == 3)
}

@Test func childProcessLargeInputAndOutputDoNotDeadlock() throws {
    let input = [UInt8](repeating: UInt8(ascii: "x"), count: 4 << 20)
    let result = try ChildProcess.run("/bin/sh", arguments: ["-c", "cat; cat /dev/null >&2"], input: input)
    #expect(result.output.count == input.count)
}

@Test func childProcessThatIgnoresItsInputDoesNotKillUs() throws {
    let result = try ChildProcess.run("/bin/sh", arguments: ["-c", "exit 0"], input: [UInt8](repeating: 0, count: 1 << 20))
    #expect(result.status == 0)
}

@Test func childProcessEnvironmentIsTheOneGiven() throws {
    let result = try ChildProcess.run("/bin/sh", arguments: ["-c", "printf %s \"$ONLY\""], environment: ["ONLY": "this"])
    #expect(result.output == Array("this".utf8))
}

@Test func childProcessKilledBySignalReportsOneHundredTwentyEightPlusIt() throws {
    #expect(try ChildProcess.run("/bin/sh", arguments: ["-c", "kill -9 $$"]).status == 137)
}

@Test func childProcessMissingProgramIsALaunchError() {
    #expect(throws: ChildProcess.LaunchError.self) { try ChildProcess.run("/nonexistent/program", arguments: []) }
}

@Test func filePathOperationsMatchNSString() {
    #expect(FilePath.parent("/tmp/a") == "/tmp")
    #expect(FilePath.parent("/tmp/a/") == "/tmp")
    #expect(FilePath.parent("/tmp") == "/")
    #expect(FilePath.parent("a") == "")
    #expect(FilePath.parent("a/b") == "a")
    #expect(FilePath.lastComponent("a/b/") == "b")
    #expect(FilePath.lastComponent("/") == "/")
    #expect(FilePath.appending("Dockerfile", to: "ctx/") == "ctx/Dockerfile")
    #expect(FilePath.appending("Dockerfile", to: "") == "Dockerfile")
    #expect(FilePath.appending("Dockerfile", to: "/") == "/Dockerfile")
}
