import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Testing
import Support

/// Files written by `fmt --write` and `lint --fix`: nothing lost, nothing half-written, nothing split.
@Suite(.serialized) struct SafeWriteTests {
    /// Writes `FROM a` over a file holding `from a` while `meanwhile` changes it; returns the folder's path and
    /// whether the write was refused. The folder is removed after `check`.
    func writeWhileChanging(_ meanwhile: @escaping (String) -> Void, check: (_ folder: String, _ path: String, _ refused: Bool) throws -> Void) throws {
        let folder = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("Dockerfile").path
        let original = Array("from a\n".utf8)
        try Data(original).write(to: URL(fileURLWithPath: path))
        var refused = false
        do {
            try SafeFileWriter.write(Array("FROM a\n".utf8), to: path, expecting: original) { meanwhile(path) }
        } catch {
            refused = true
        }
        try check(folder.path, path, refused)
    }

    @Test func lineAppendedWhileTheNewFileIsWrittenIsNotLost() throws {
        try writeWhileChanging({ path in
            guard let handle = FileHandle(forWritingAtPath: path) else { return }
            handle.seekToEndOfFile()
            handle.write(Data("RUN added\n".utf8))
            try? handle.close()
        }) { folder, path, refused throws in
            #expect(refused)
            #expect(try String(contentsOfFile: path, encoding: .utf8) == "from a\nRUN added\n")
            #expect(try FileManager.default.contentsOfDirectory(atPath: folder) == ["Dockerfile"])
        }
    }

    @Test func fileReplacedWhileTheNewFileIsWrittenIsNotOverwritten() throws {
        try writeWhileChanging({ path in
            try? Data("from a\n".utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
        }) { _, _, refused in
            #expect(refused)
        }
    }

    /// Runs dockerkit as the user nobody (setpriv), for what the system refuses an ordinary user.
    func runAsNobody(_ arguments: [String]) throws -> (status: Int32, output: String, error: String) {
        try runProgram("/usr/bin/setpriv", ["--reuid=65534", "--regid=65534", "--clear-groups", dockerkitBinary] + arguments)
    }

    static let canSwitchUser = getuid() == 0 && FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv")

    @Test(.enabled(if: canSwitchUser, "needs root and setpriv to act as another user"))
    func aFileTheUserMayNotWriteIsRefusedAndLeftAlone() throws {
        let folder = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        // The folder is open to all, so only the check, not the system, stops the rename.
        try FileManager.default.setAttributes([.posixPermissions: 0o777], ofItemAtPath: folder.path)
        let path = folder.appendingPathComponent("Dockerfile").path
        try Data("from a\n".utf8).write(to: URL(fileURLWithPath: path))
        try FileManager.default.setAttributes([.posixPermissions: 0o444], ofItemAtPath: path)
        let result = try runAsNobody(["fmt", "--write", path])
        #expect(result.status == 2)
        #expect(result.error.contains("read-only"), "\(result.error)")
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "from a\n")
    }

    @Test(.enabled(if: getuid() == 0, "only root may write a read-only file"))
    func aReadOnlyFileRootMayWriteIsWrittenAndKeepsItsMode() throws {
        let folder = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("Dockerfile").path
        try Data("from a\n".utf8).write(to: URL(fileURLWithPath: path))
        try FileManager.default.setAttributes([.posixPermissions: 0o444], ofItemAtPath: path)
        let result = try runDockerkit(["fmt", "--write", path])
        #expect(result.status == 0, "\(result.error)")
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "FROM a\n")
        #expect(try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int == 0o444)
    }

    @Test func hardLinkedFileIsWrittenInPlaceSoEveryLinkSeesIt() throws {
        let folder = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("Dockerfile").path
        let link = folder.appendingPathComponent("Dockerfile.link").path
        try Data("from a\n".utf8).write(to: URL(fileURLWithPath: path))
        try FileManager.default.linkItem(atPath: path, toPath: link)
        let result = try runDockerkit(["fmt", "--write", path])
        #expect(result.status == 0)
        #expect(try String(contentsOfFile: link, encoding: .utf8) == "FROM a\n")
        let inode = { (file: String) in try FileManager.default.attributesOfItem(atPath: file)[.systemFileNumber] as? Int }
        #expect(try inode(path) == inode(link))
    }

    @Test(.enabled(if: canSwitchUser, "needs root and setpriv to act as another user"))
    func everyFileIsTriedWhenOneCannotBeWritten() throws {
        let folder = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.setAttributes([.posixPermissions: 0o777], ofItemAtPath: folder.path)
        let paths = ["a", "b", "c"].map { folder.appendingPathComponent($0).path }
        for path in paths {
            try Data("from a\n".utf8).write(to: URL(fileURLWithPath: path))
            try FileManager.default.setAttributes([.posixPermissions: 0o666], ofItemAtPath: path)
        }
        try FileManager.default.setAttributes([.posixPermissions: 0o444], ofItemAtPath: paths[1])
        let result = try runAsNobody(["fmt", "--write"] + paths)
        #expect(result.status == 2)
        #expect(result.error.contains("\(paths[1]): read-only"))
        #expect(try String(contentsOfFile: paths[0], encoding: .utf8) == "FROM a\n")
        #expect(try String(contentsOfFile: paths[2], encoding: .utf8) == "FROM a\n")
    }

    @Test func fixWithJSONFormatPrintsJSON() throws {
        let folder = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("Dockerfile").path
        try Data("FROM ubuntu:22.04\nRUN apt-get install -y curl\n".utf8).write(to: URL(fileURLWithPath: path))
        let result = try runDockerkit(["lint", "--fix", "--format", "json", path])
        let decoded = try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [[String: Any]]
        #expect(decoded?.isEmpty == false)
    }

    @Test func standardInputPastTheInputLimitStopsWithAClearError() throws {
        let folder = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let input = folder.appendingPathComponent("input")
        try Data(String(repeating: "RUN x\n", count: 400_000).utf8).write(to: input)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: dockerkitBinary)
        process.arguments = ["lint", "--max-input-size", "1M", "-"]
        process.standardInput = try FileHandle(forReadingFrom: input)
        let error = Pipe()
        process.standardError = error
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let message = String(decoding: error.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 2)
        #expect(message.contains("<stdin>: larger than the input limit of 1 MiB"))
    }
}
