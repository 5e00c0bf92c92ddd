import Foundation
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
        let kubernetes = try runDockerkit(["lab", "export", "--format", "kubernetes", "-f", path, "-o", folder.appendingPathComponent("k").path])
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

    @Test func unknownActionAndMemberAreUsageErrors() throws {
        let folder = try labFolder(threeMembers)
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect(try runDockerkit(["lab", "launch"]).status == 2)
        let result = try runDockerkit(["lab", "up", "-f", folder.appendingPathComponent("lab.yaml").path, "zed"])
        #expect(result.status == 2)
        #expect(result.error.contains("zed is not a member"))
    }
}
