import Foundation
import Testing

/// Configuration files are input like Dockerfiles: bounded in size, errors safe for a terminal.
@Suite struct ConfigurationFileTests {
    @Test func aConfigFileOverTheInputLimitIsAnErrorNotAHang() throws {
        let folder = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let config = folder.appendingPathComponent("big.yaml")
        _ = FileManager.default.createFile(atPath: config.path, contents: nil)
        let handle = try FileHandle(forWritingTo: config)
        try handle.truncate(atOffset: (64 << 20) + 1)
        try handle.close()
        let dockerfile = folder.appendingPathComponent("Dockerfile")
        try Data("FROM debian:12\n".utf8).write(to: dockerfile)
        let result = try runDockerkit(["lint", "--config", config.path, dockerfile.path])
        #expect(result.status == 2)
        #expect(result.error.contains("larger than the input limit"), "\(result.error)")
    }

    @Test func controlCharactersInAConfigErrorAreEscaped() throws {
        let folder = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let config = folder.appendingPathComponent(".hadolint.yaml")
        try Data("ignored: [DL3008]\nfoo\u{1b}]0;pwned\u{07}: 1\n".utf8).write(to: config)
        let dockerfile = folder.appendingPathComponent("Dockerfile")
        try Data("FROM debian:12\n".utf8).write(to: dockerfile)
        let result = try runDockerkit(["lint", "--config", config.path, dockerfile.path])
        #expect(result.status == 2)
        #expect(!result.error.contains("\u{1b}") && !result.error.contains("\u{07}"), "\(result.error)")
        #expect(result.error.contains("\\x1b]0;pwned\\x07"), "\(result.error)")
    }

    @Test func aKeyGivenTwiceInAMappingOfManyIsStillFound() throws {
        let folder = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let config = folder.appendingPathComponent("c.yaml")
        let keys = (0..<20000).map { "  k\($0): text\n" }.joined()
        try Data("label-schema:\n\(keys)  k7: text\n".utf8).write(to: config)
        let dockerfile = folder.appendingPathComponent("Dockerfile")
        try Data("FROM debian:12\n".utf8).write(to: dockerfile)
        let result = try runDockerkit(["lint", "--config", config.path, dockerfile.path])
        #expect(result.status == 2)
        #expect(result.error.contains(":20002:3: error: 'k7' is given twice"), "\(result.error)")
    }
}
