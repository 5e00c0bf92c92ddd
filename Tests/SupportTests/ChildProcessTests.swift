#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import Foundation
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

/// A program file still open for writing (a wrapper script just written, its descriptor held a moment longer, as a
/// child another thread starts may hold it) is run once it is closed, not refused with "Text file busy".
@Test func aProgramStillOpenForWritingRunsOnceItIsClosed() throws {
    let path = "/tmp/dockerkit-busy-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
    defer { unlink(path) }
    let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o755)
    try #require(descriptor >= 0)
    let script = Array("#!/bin/sh\necho ran\n".utf8)
    #expect(script.withUnsafeBufferPointer { write(descriptor, $0.baseAddress, $0.count) } == script.count)
    let closer = Thread { usleep(20_000); close(descriptor) }
    closer.start()
    let result = try ChildProcess.run(path, arguments: [])
    #expect(result.status == 0)
    #expect(String(decoding: result.output, as: UTF8.self) == "ran\n")
}
