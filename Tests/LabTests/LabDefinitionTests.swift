import Support
import Testing
@testable import Lab

let aliceKey = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIJhujbLAyClLDnrYu6hL11ZxknhdUPwr8mhTHkls+1PH alice@lab"

/// Key files the tests can name: keys/NAME.pub holds a valid key, the others what their names say.
func testKeyFile(_ path: String) -> [UInt8]? {
    switch path {
    case "/lab/keys/private": return Array("-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----\n".utf8)
    case "/lab/keys/garbage.pub": return Array("ssh-ed25519 not-base64!\n".utf8)
    case "/lab/keys/mislabelled.pub": return Array("ssh-rsa AAAAC3NzaC1lZDI1NTE5AAAAIJhujbLAyClLDnrYu6hL11ZxknhdUPwr8mhTHkls+1PH\n".utf8)
    case _ where path.hasPrefix("/lab/keys/") && path.hasSuffix(".pub"): return Array((aliceKey + "\n").utf8)
    default: return nil
    }
}

func readLab(_ text: String) throws(ConfigurationError) -> LabDefinition {
    try LabDefinitionReader.read(text, path: "lab.yaml", directory: "/lab", readFile: testKeyFile)
}

/// The error lab.yaml gets, as `line:column: message`.
func labError(_ text: String) -> String? {
    do {
        _ = try readLab(text)
        return nil
    } catch {
        return "\(error.line):\(error.column): \(error.message)"
    }
}

let issueExample = """
    name: nlp-lab
    image:
      cuda: "12.4"
      flavor: devel
      ssh: true
      vnc: true
      mirror: tuna
      tag: nlp-lab/gpu:12.4
    network: bridge
    bind: 0.0.0.0
    ports: {ssh: 2200-2299, novnc: 6080-6179, jupyter: 8800-8899}
    gpus: [0, 1, 2, 3]
    limits: {memory: 32g, cpus: 8, pids: 4096, shm: 8g}
    homes: /srv/lab/homes
    datasets:
      - {host: /srv/datasets, path: /datasets, readonly: true}
    members:
      - {name: alice, key: keys/alice.pub}                       # login user inside = the member's name
      - {name: bob, key: keys/bob.pub, gpus: 2, limits: {memory: 64g}}
      - {name: carol, key: keys/carol.pub, gpus: [3], uid: 1012}

    """

@Test func theIssueExampleReadsWithFlowMappingsAndRelativeKeys() throws {
    let lab = try readLab(issueExample)
    #expect(lab.name == "nlp-lab")
    #expect(lab.image.tag == "nlp-lab/gpu:12.4")
    #expect(lab.portRanges.map(\.service) == [.ssh, .novnc])
    #expect(lab.gpus == ["0", "1", "2", "3"])
    #expect(lab.limits == LabLimits(memory: 32 << 30, cpus: 8, pids: 4096, shm: 8 << 30))
    #expect(lab.datasets == [LabDataset(host: "/srv/datasets", path: "/datasets", readOnly: true)])
    #expect(lab.members.map(\.name) == ["alice", "bob", "carol"])
    #expect(lab.members[0].keyPath == "/lab/keys/alice.pub")
    #expect(lab.members[1].gpus == .count(2))
    #expect(lab.members[1].limits == LabLimits(memory: 64 << 30))
    #expect(lab.members[2].gpus == .devices(["3"]))
    #expect(lab.members[2].uid == 1012)
}

@Test func blockStyleMembersReadLikeFlowStyle() throws {
    let lab = try readLab("name: l\nimage:\n  ref: local/lab:1\nmembers:\n  - name: alice\n    key: keys/alice.pub\n    gpus: 0\n")
    #expect(lab.members.map(\.name) == ["alice"])
    #expect(lab.members[0].gpus == .count(0))
}

@Test func schemaErrorsNameTheLineColumnAndMember() {
    let base = "name: l\nimage: {ref: local/lab:1}\ngpus: [0, 1]\nmembers:\n"
    #expect(labError(base + "  - {name: alice, key: keys/missing}\n") == "5:24: member 'alice': key file /lab/keys/missing is missing or unreadable")
    #expect(labError(base + "  - {name: alice, key: keys/private}\n")?.contains("member 'alice': /lab/keys/private is a private key") == true)
    #expect(labError(base + "  - {name: alice, key: keys/garbage.pub}\n")?.contains("is not an SSH public key") == true)
    #expect(labError(base + "  - {name: alice, key: keys/mislabelled.pub}\n")?.contains("is not an SSH public key") == true)
    #expect(labError(base + "  - {name: Alice, key: keys/a.pub}\n") == "5:12: member 'Alice': not a valid user name (lower-case letters, digits, '-' and '_', starting with a letter or '_', at most 32)")
    #expect(labError(base + "  - {name: root, key: keys/a.pub}\n")?.contains("'root' is an account the image already has") == true)
    #expect(labError(base + "  - {name: a, key: keys/a.pub}\n  - {name: a, key: keys/a.pub}\n") == "6:5: member 'a': the name is given twice")
    #expect(labError(base + "  - {name: a, key: keys/a.pub, gpus: 3}\n") == "5:38: member 'a': asks for 3 GPUs; the lab has 2 (gpus: [0, 1])")
    #expect(labError(base + "  - {name: a, key: keys/a.pub, gpus: [7]}\n")?.contains("GPU 7 is not one of the lab's gpus") == true)
    #expect(labError(base + "  - {name: a, key: keys/a.pub, uid: 12}\n")?.contains("uid is a number from 1000 to 60000") == true)
    #expect(labError(base + "  - {name: a, key: keys/a.pub, shell: zsh}\n")?.contains("unknown key 'shell'") == true)
    #expect(labError(base + "  - {name: a}\n") == "5:5: member 'a': key (their SSH public key file) is required")
}

@Test func topLevelErrorsPointAtTheValue() {
    #expect(labError("name: Bad Name\nimage: {ref: x}\nmembers: []\n")?.hasPrefix("1:7: name: 'Bad Name' is not a valid lab name") == true)
    #expect(labError("name: l\nimage: {cuda: \"12.4\", user: lab}\nmembers: []\n")?.hasPrefix("2:29: image.user: the lab's members are its accounts") == true)
    #expect(labError("name: l\nimage: {ref: x}\nnetwork: overlay\nmembers: []\n") == "3:10: network: expected bridge or host, not 'overlay'")
    #expect(labError("name: l\nimage: {ref: x}\nports: {ssh: 2200-2100}\nmembers: []\n")?.hasPrefix("3:14: ports.ssh: expected a port or a range") == true)
    #expect(labError("name: l\nimage: {ref: x}\nlimits: {memory: lots}\nmembers: []\n") == "3:18: limits.memory: expected a size like 512m or 32g (at least 6m), not 'lots'")
    #expect(labError("name: l\nimage: {ref: x}\nmembers: []\nextra: 1\n") == "4:8: unknown key 'extra' (lab.yaml knows bind, datasets, gpus, homes, image, limits, members, name, network, ports, reclaim)")
    #expect(labError("name: l\nimage: {ref: x}\nmembers:\n  - {name: a, key: keys/a.pub\n")?.hasPrefix("4:") == true)
    #expect(labError("image: {ref: x}\nmembers: []\n") == "1:1: name: the lab's name is required")
}

@Test func byteSizesReadAsDockerReadsThem() {
    #expect(LabDefinitionReader.byteSize("512m") == 512 << 20)
    #expect(LabDefinitionReader.byteSize("32G") == 32 << 30)
    #expect(LabDefinitionReader.byteSize("8gb") == 8 << 30)
    #expect(LabDefinitionReader.byteSize("4096") == 4096)
    #expect(LabDefinitionReader.byteSize("99999999999999999999t") == nil)
    #expect(LabDefinitionReader.byteSize("1x") == nil)
}

@Test func publicKeyLinesAreCheckedAgainstTheirDecodedType() {
    #expect(SSHPublicKey.isValid(line: aliceKey))
    #expect(SSHPublicKey.isValid(line: "no-pty,from=\"10.0.0.0/8\" " + aliceKey))
    #expect(!SSHPublicKey.isValid(line: "ssh-rsa AAAAC3NzaC1lZDI1NTE5AAAAIJhujbLAyClLDnrYu6hL11ZxknhdUPwr8mhTHkls+1PH"))
    #expect(!SSHPublicKey.isValid(line: "ssh-ed25519"))
    #expect(!SSHPublicKey.isValid(line: "hello world"))
}

@Test func nonsenseLimitsAndGPUNamesArePositionedErrors() {
    let base = "name: l\nimage: {ref: local/lab:1}\n"
    let member = "members:\n  - {name: alice, key: keys/alice.pub}\n"
    #expect(labError(base + "gpus: [all]\n" + member)?.hasPrefix("3:7: gpus: 'all' is not a GPU index") == true)
    #expect(labError(base + "gpus: [GPU-1a2b-3c, MIG-9f/1/0, 12]\n" + member) == nil)
    #expect(labError(base + "limits: {cpus: 1e-300}\n" + member)?.hasPrefix("3:") == true)
    #expect(labError(base + "limits: {cpus: nan}\n" + member) != nil)
    #expect(labError(base + "limits: {memory: 1k}\n" + member)?.contains("at least 6m") == true)
    #expect(labError(base + "limits: {pids: 99999999999}\n" + member) != nil)
}

@Test func desktopsAndJupyterAreChosenPerMemberWithinWhatTheImageHas() throws {
    let text = """
        name: l
        image: {cuda: "12.4", vnc: true}
        members:
          - {name: alice, key: keys/alice.pub}
          - {name: bob, key: keys/bob.pub, vnc: false}

        """
    let definition = try readLab(text)
    #expect(definition.members.map(\.services) == [[.ssh, .novnc], [.ssh]])
    let plan = try LabAllocator.plan(definition, state: LabState(), today: "2026-12-07")
    #expect(plan.members.map { $0.port(of: .novnc) } == [6080, nil])
    #expect(labError(text.replacingOccurrences(of: "vnc: false", with: "jupyter: true"))?.contains("needs image.jupyter: true") == true)
}

@Test func eachLabFileHasItsOwnStateLogAndSecrets() throws {
    let definition = try LabDefinitionReader.read("name: o\nimage: {ref: local/lab:1}\nmembers:\n  - {name: alice, key: keys/alice.pub}\n",
                                                  path: "other.yaml", directory: "/lab", readFile: testKeyFile)
    #expect(definition.statePath == "/lab/other.state.json")
    #expect(definition.logPath == "/lab/other.log")
    #expect(definition.secretsDirectory == "/lab/other.secrets")
    let main = try readLab("name: l\nimage: {ref: local/lab:1}\nmembers:\n  - {name: alice, key: keys/alice.pub}\n")
    #expect(main.statePath == "/lab/lab.state.json")
    #expect(main.secretsDirectory == "/lab/secrets")
    #expect(main.hostKeysDirectory(of: "alice") == "/lab/secrets/alice-hostkeys")
}

@Test func auditLogLinesAreOneJSONObjectEach() {
    let log = LabAuditLog(path: "/dev/null", admin: "admin\n")
    let line = log.line(command: "up", member: "alice", action: "re-created", reason: "limits: memory 1 → 2", time: 1_796_601_600)
    #expect(line == "{\"time\":\"2026-12-07T00:00:00Z\",\"admin\":\"admin\\n\",\"command\":\"up\",\"member\":\"alice\",\"action\":\"re-created\",\"reason\":\"limits: memory 1 → 2\"}\n")
    #expect(LabAuditLog.admin(environment: ["SUDO_USER": "li", "USER": "root"]) == "li")
}

@Test func invitationsCarryTheSSHLineConfigAndHostKeyInEnglishAndChinese() throws {
    let plan = try LabAllocator.plan(try readLab(issueExample), state: LabState(), today: "2026-12-07")
    let alice = plan.members[0]
    let key = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIJhujbLAyClLDnrYu6hL11ZxknhdUPwr8mhTHkls+1PH alice@nlp-lab"
    let english = LabInvite.text(alice, definition: plan.definition, host: "gpu.example.edu", hostKeys: [key], language: .en)
    #expect(english.contains("ssh -p 2200 alice@gpu.example.edu"))
    #expect(english.contains("[gpu.example.edu]:2200 ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIJhujbLAyClLDnrYu6hL11ZxknhdUPwr8mhTHkls+1PH\n"))
    #expect(english.contains("http://gpu.example.edu:6080/vnc.html"))
    #expect(english.contains("/datasets (read-only)"))
    let chinese = LabInvite.text(alice, definition: plan.definition, host: "gpu.example.edu", hostKeys: [key], language: .zh)
    #expect(chinese.contains("登录") && chinese.contains("ssh -p 2200 alice@gpu.example.edu") && chinese.contains("（只读）"))
}

@Test func imageTakesAFrameworkAndARequirementsFileBesideLabYaml() throws {
    let definition = try LabDefinitionReader.read(
        "name: ml\nimage: {torch: \"2.5\", requirements: requirements.txt}\nmembers:\n  - {name: alice, key: keys/alice.pub}\n",
        path: "lab.yaml", directory: "/lab",
        readFile: { $0 == "/lab/requirements.txt" ? Array("six==1.16.0\n".utf8) : testKeyFile($0) })
    guard case .generated(let request, _) = definition.image else { Issue.record("not a generated image"); return }
    #expect(request.torch == "2.5")
    #expect(request.requirements == "six==1.16.0\n")
}

@Test func imageRequirementsFileThatIsMissingIsAnErrorAtItsKey() {
    #expect(labError("name: ml\nimage: {cuda: \"12.4\", requirements: missing.txt}\nmembers:\n  - {name: alice, key: keys/alice.pub}\n")
        == "2:37: image.requirements: /lab/missing.txt is missing or unreadable")
}
