import Foundation
import Support
import Testing

private let key = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIJhujbLAyClLDnrYu6hL11ZxknhdUPwr8mhTHkls+1PH alice@lab\n"

/// A lab folder with keys for alice, bob and carol and the given lab.yaml.
private func labFolder(_ yaml: String) throws -> URL {
    let folder = try temporaryDirectory()
    try FileManager.default.createDirectory(at: folder.appendingPathComponent("keys"), withIntermediateDirectories: true)
    for name in ["alice", "bob", "carol"] { try Data(key.utf8).write(to: folder.appendingPathComponent("keys/\(name).pub")) }
    try Data(yaml.utf8).write(to: folder.appendingPathComponent("lab.yaml"))
    return folder
}

private let threeMembers = """
    name: t
    image: {ref: local/lab:1}
    ports: {ssh: 2300-2399}
    members:
      - {name: alice, key: keys/alice.pub}
      - {name: bob, key: keys/bob.pub}
      - {name: carol, key: keys/carol.pub}

    """

@Suite(.serialized) struct LabCommandTests {
    @Test func planPrintsJSONWithEveryMemberAndWritesNothing() throws {
        let folder = try labFolder(threeMembers)
        defer { try? FileManager.default.removeItem(at: folder) }
        let result = try runDockerkit(["lab", "plan", "-f", folder.appendingPathComponent("lab.yaml").path, "--format", "json"])
        #expect(result.status == 0, "\(result.error)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [String: Any])
        let members = try #require(json["members"] as? [[String: Any]])
        #expect(members.compactMap { $0["ssh_port"] as? Int } == [2300, 2301, 2302])
        #expect(members.compactMap { $0["container"] as? String } == ["t-alice", "t-bob", "t-carol"])
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("lab.state.json").path))
    }

    @Test func aBadLabFileIsAnErrorWithLineAndColumnAndExitTwo() throws {
        let folder = try labFolder(threeMembers.replacingOccurrences(of: "keys/bob.pub", with: "keys/nobody.pub"))
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("lab.yaml").path
        let result = try runDockerkit(["lab", "plan", "-f", path])
        #expect(result.status == 2)
        #expect(result.error == "\(path):6:22: error: member 'bob': key file \(folder.path)/keys/nobody.pub is missing or unreadable\n")
    }

    @Test func exportWritesComposeAndManifestsWithoutSecretValues() throws {
        let folder = try labFolder(threeMembers.replacingOccurrences(of: "ports: {ssh: 2300-2399}", with: "ports: {ssh: 2300-2399, novnc: 6100-6199}\ngpus: [0, 1]")
            .replacingOccurrences(of: "image: {ref: local/lab:1}", with: "image: {cuda: \"12.4\", vnc: true, tag: \"t/lab:1\"}")
            .replacingOccurrences(of: "keys/carol.pub}", with: "keys/carol.pub, gpus: 2}"))
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("lab.yaml").path
        let compose = try runDockerkit(["lab", "export", "--format", "compose", "-f", path, "-o", folder.appendingPathComponent("c").path])
        #expect(compose.status == 0, "\(compose.error)")
        let refused = try runDockerkit(["lab", "export", "--format", "kubernetes", "--registry", "r.example/lab", "-f", path, "-o", folder.appendingPathComponent("k").path])
        #expect(refused.status == 2 && refused.error.contains("outside the cluster's node ports"))
        let kubernetes = try runDockerkit(["lab", "export", "--format", "kubernetes", "--service-type", "ClusterIP", "-f", path, "-o", folder.appendingPathComponent("k").path])
        #expect(kubernetes.status == 0, "\(kubernetes.error)")
        let password = try String(contentsOf: folder.appendingPathComponent("secrets/alice-vnc"), encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        let mode = try FileManager.default.attributesOfItem(atPath: folder.appendingPathComponent("secrets/alice-vnc").path)[.posixPermissions] as? Int
        #expect(mode == 0o600)
        let composeText = try String(contentsOf: folder.appendingPathComponent("c/docker-compose.yaml"), encoding: .utf8)
        let carol = try String(contentsOf: folder.appendingPathComponent("k/t-carol.yaml"), encoding: .utf8)
        #expect(composeText.contains("device_ids: [\"0\", \"1\"]"))
        #expect(carol.contains("nvidia.com/gpu: 2"))
        #expect(!composeText.contains(password) && !carol.contains(password))
        #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("c/image/Dockerfile").path))
    }

    @Test func exportedScriptsAndYAMLQuoteHostileFolderAndFileNames() throws {
        let outer = try labFolder(threeMembers.replacingOccurrences(of: "image: {ref: local/lab:1}", with: "image: {ref: local/lab:1}\nnetwork: bridge"))
        defer { try? FileManager.default.removeItem(at: outer) }
        // A lab folder and a lab file whose names hold a newline, quotes, $(…) and #.
        let folder = outer.appendingPathComponent("lab\n$(touch pwned) 'q' \"d\" #c")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        for item in ["keys", "lab.yaml"] { try FileManager.default.moveItem(at: outer.appendingPathComponent(item), to: folder.appendingPathComponent(item)) }
        try FileManager.default.moveItem(at: folder.appendingPathComponent("lab.yaml"), to: folder.appendingPathComponent("x\nevil: 1 #.yaml"))
        let path = folder.appendingPathComponent("x\nevil: 1 #.yaml").path
        let compose = try runDockerkit(["lab", "export", "--format", "compose", "-f", path, "-o", outer.appendingPathComponent("c").path])
        #expect(compose.status == 0, "\(compose.error)")
        let document = try YAMLReader.read(try String(contentsOf: outer.appendingPathComponent("c/docker-compose.yaml"), encoding: .utf8), path: "compose")
        guard case .map(let entries) = document.value else { Issue.record("not a mapping"); return }
        #expect(entries.map(\.0) == ["services", "networks"])
        let kubernetes = try runDockerkit(["lab", "export", "--format", "kubernetes", "--service-type", "ClusterIP", "-f", path, "-o", outer.appendingPathComponent("k").path])
        #expect(kubernetes.status == 0, "\(kubernetes.error)")
        // The script runs with a kubectl that records its arguments: the paths arrive whole, nothing else runs.
        let bin = outer.appendingPathComponent("bin")
        try FileManager.default.createDirectory(at: bin, withIntermediateDirectories: true)
        try Data("#!/bin/sh\nfor a in \"$@\"; do printf '%s\\n' \"$a\" >> \"$KUBECTL_LOG\"; done\n".utf8).write(to: bin.appendingPathComponent("kubectl"))
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: bin.appendingPathComponent("kubectl").path)
        let log = outer.appendingPathComponent("kubectl.log").path
        let ran = try runProgram("/bin/sh", [outer.appendingPathComponent("k/create-secrets.sh").path], environment: ourEnvironment(["PATH": bin.path + ":/usr/bin:/bin", "KUBECTL_LOG": log]),
                                 directory: outer)
        #expect(ran.status == 0, "\(ran.error)")
        #expect(try String(contentsOfFile: log, encoding: .utf8).contains("--from-file=" + folder.appendingPathComponent("x\nevil: 1 #.secrets/alice-hostkeys").path + "\n"))
        #expect(!FileManager.default.fileExists(atPath: outer.appendingPathComponent("pwned").path))
    }

    @Test func anExportFolderThatIsASymlinkIsNotWrittenThrough() throws {
        let folder = try labFolder(threeMembers)
        defer { try? FileManager.default.removeItem(at: folder) }
        let elsewhere = folder.appendingPathComponent("elsewhere")
        try FileManager.default.createDirectory(at: elsewhere, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(at: folder.appendingPathComponent("out"), withDestinationURL: elsewhere)
        let result = try runDockerkit(["lab", "export", "--format", "compose", "-f", folder.appendingPathComponent("lab.yaml").path, "-o", folder.appendingPathComponent("out").path])
        #expect(result.status == 2)
        #expect(result.error.contains("is a symlink or a file, not a folder"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: elsewhere.path).isEmpty)
    }

    @Test func unknownActionAndMemberAreUsageErrors() throws {
        let folder = try labFolder(threeMembers)
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect(try runDockerkit(["lab", "launch"]).status == 2)
        let result = try runDockerkit(["lab", "up", "-f", folder.appendingPathComponent("lab.yaml").path, "zed"])
        #expect(result.status == 2)
        #expect(result.error.contains("zed is not a member"))
    }

    @Test func aStateFileThatIsOversizedAFolderOrAnotherLabsIsAnErrorNeverAbsent() throws {
        let folder = try labFolder(threeMembers)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("lab.yaml").path
        let state = folder.appendingPathComponent("lab.state.json")
        try Data("{\"lab\": \"someone-else\", \"members\": {}}".utf8).write(to: state)
        var result = try runDockerkit(["lab", "plan", "-f", path])
        #expect(result.status == 2)
        #expect(result.error.hasPrefix("\(state.path):1:2: error: this state belongs to the lab 'someone-else'"), "\(result.error)")
        try FileManager.default.removeItem(at: state)
        try FileManager.default.createDirectory(at: state, withIntermediateDirectories: true)
        result = try runDockerkit(["lab", "plan", "-f", path])
        #expect(result.status == 2)
        #expect(result.error.contains("is not a regular file"), "\(result.error)")
        try FileManager.default.removeItem(at: state)
        try Data(count: (16 << 20) + 1).write(to: state)
        result = try runDockerkit(["lab", "plan", "-f", path])
        #expect(result.status == 2)
        #expect(result.error.contains("larger than 16 MiB"), "\(result.error)")
    }

    @Test func aRootUIDInTheStateIsRefused() throws {
        let folder = try labFolder(threeMembers)
        defer { try? FileManager.default.removeItem(at: folder) }
        try Data("{\"lab\": \"t\", \"members\": {\n  \"alice\": {\"uid\": 0, \"ports\": {\"ssh\": 2300}}}}".utf8)
            .write(to: folder.appendingPathComponent("lab.state.json"))
        let result = try runDockerkit(["lab", "up", "-f", folder.appendingPathComponent("lab.yaml").path, "--engine", "/bin/true"])
        #expect(result.status == 2)
        #expect(result.error.contains("lab.state.json:2:3: error: member alice: \"uid\" must be a number from 1000 to 60000"), "\(result.error)")
    }

    @Test func controlCharactersInLabFileErrorsAreEscaped() throws {
        let folder = try labFolder(threeMembers.replacingOccurrences(of: "name: t", with: "name: \"t\u{1b}[2J\""))
        defer { try? FileManager.default.removeItem(at: folder) }
        let result = try runDockerkit(["lab", "plan", "-f", folder.appendingPathComponent("lab.yaml").path])
        #expect(result.status == 2)
        #expect(!result.error.contains("\u{1b}"), "\(result.error)")
        #expect(result.error.contains("\\x1b[2J"), "\(result.error)")
    }

    @Test func forgetReleasesOnlyAMemberWhoLeft() throws {
        let folder = try labFolder(threeMembers)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("lab.yaml").path
        try Data("""
            {"lab": "t", "members": {
              "alice": {"uid": 2001, "ports": {"ssh": 2300}},
              "zoe": {"uid": 2002, "ports": {"ssh": 2301}, "departed": "2026-11-30"}}}
            """.utf8).write(to: folder.appendingPathComponent("lab.state.json"))
        let plan = try runDockerkit(["lab", "plan", "-f", path, "--format", "json", "--engine", "/bin/true"])
        let json = try #require(try JSONSerialization.jsonObject(with: Data(plan.output.utf8)) as? [String: Any])
        let departed = try #require(json["departed"] as? [[String: Any]])
        #expect(departed.first?["name"] as? String == "zoe" && departed.first?["since"] as? String == "2026-11-30")
        let members = try #require(json["members"] as? [[String: Any]])
        #expect(members.compactMap { $0["ssh_port"] as? Int } == [2300, 2302, 2303])
        let stillThere = try runDockerkit(["lab", "forget", "alice", "-f", path, "--engine", "/bin/true"])
        #expect(stillThere.status == 2)
        #expect(stillThere.error.contains("alice is still a member"))
        let forgotten = try runDockerkit(["lab", "forget", "zoe", "-f", path, "--engine", "/bin/true"])
        #expect(forgotten.status == 0, "\(forgotten.error)")
        let state = try String(contentsOf: folder.appendingPathComponent("lab.state.json"), encoding: .utf8)
        #expect(!state.contains("zoe") && state.contains("alice"))
        let log = try String(contentsOf: folder.appendingPathComponent("lab.log"), encoding: .utf8)
        #expect(log.contains("\"command\":\"forget\",\"member\":\"zoe\""))
    }

    @Test func inviteReadsTheMembersRealHostKey() throws {
        let folder = try labFolder(threeMembers)
        defer { try? FileManager.default.removeItem(at: folder) }
        let keys = folder.appendingPathComponent("secrets/bob-hostkeys")
        try FileManager.default.createDirectory(at: keys, withIntermediateDirectories: true)
        try Data("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIJhujbLAyClLDnrYu6hL11ZxknhdUPwr8mhTHkls+1PH bob@t\n".utf8)
            .write(to: keys.appendingPathComponent("ssh_host_ed25519_key.pub"))
        let result = try runDockerkit(["lab", "invite", "bob", "-f", folder.appendingPathComponent("lab.yaml").path, "--host", "10.1.2.3", "--lang", "zh"])
        #expect(result.status == 0, "\(result.error)")
        #expect(result.output.contains("ssh -p 2301 bob@10.1.2.3"))
        #expect(result.output.contains("[10.1.2.3]:2301 ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIJhujbLAyClLDnrYu6hL11ZxknhdUPwr8mhTHkls+1PH"))
        #expect(result.output.contains("欢迎"))
    }
}
