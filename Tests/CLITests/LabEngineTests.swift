import Foundation
import Testing

private let memberKey = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIJhujbLAyClLDnrYu6hL11ZxknhdUPwr8mhTHkls+1PH member@lab\n"

/// One lab on the real engine, bridge mode, taken through its life: up, what sshd allows, status, removal, down.
@Suite(.serialized, .enabled(if: testEngine != nil, "\(noEngineReason)"), .enabled(if: testEngineHasDebian, "\(noDebianReason)"))
struct LabEngineTests {
    let folder: URL
    let docker: String

    init() throws {
        docker = debianTestEngine ?? "docker"
        folder = try temporaryDirectory()
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("keys"), withIntermediateDirectories: true)
        for name in ["ann", "ben"] { try Data(memberKey.utf8).write(to: folder.appendingPathComponent("keys/\(name).pub")) }
    }

    func writeLab(_ members: [String]) throws {
        try Data("""
            name: dkt-engine
            image: {base: "local/debian:12", ssh: true, tag: "dockerkit-test/lab:1"}
            network: bridge
            bind: 127.0.0.1
            ports: {ssh: 2611-2619}
            limits: {memory: 256m, pids: 256}
            homes: \(folder.path)/homes
            members:
            \(members.map { "  - {name: \($0), key: keys/\($0).pub}" }.joined(separator: "\n"))

            """.utf8).write(to: folder.appendingPathComponent("lab.yaml"))
    }

    func lab(_ arguments: [String]) throws -> (status: Int32, output: String, error: String) {
        try runDockerkit(["lab"] + arguments + ["-f", folder.appendingPathComponent("lab.yaml").path, "--engine", docker])
    }

    @Test func aLabsMembersAreReachableConfinedReportedAndRemoved() throws {
        defer {
            _ = try? lab(["down"])
            _ = try? runProgram(docker, ["rm", "-f", "dkt-engine-forged"])
            try? FileManager.default.removeItem(at: folder)
        }
        try writeLab(["ann", "ben"])
        let up = try lab(["up"])
        #expect(up.status == 0, "\(up.error.suffix(1500))")

        // sshd's effective settings in a member: no root, no passwords, only the root-owned key file.
        let settings = try runProgram(docker, ["exec", "dkt-engine-ann", "/usr/sbin/sshd", "-T"])
        #expect(settings.output.contains("permitrootlogin no\n"), "\(settings.output)\(settings.error)")
        #expect(settings.output.contains("passwordauthentication no\n"))
        #expect(settings.output.contains("authorizedkeysfile /etc/ssh/authorized_keys/%u\n"))
        #expect(settings.output.contains("allowusers ann\n"))

        // Each member on a network of their own.
        let network = try runProgram(docker, ["inspect", "dkt-engine-ben", "--format", "{{range $name, $_ := .NetworkSettings.Networks}}{{$name}}{{end}}"])
        #expect(network.output.trimmingCharacters(in: .whitespacesAndNewlines) == "dkt-engine-ben")

        // The plan says nothing would change; a stopped member is reported with a reason and exit 1.
        let plan = try lab(["plan", "--format", "json"])
        #expect(plan.output.contains("\"action\":\"unchanged\""), "\(plan.output)")
        _ = try runProgram(docker, ["stop", "-t", "1", "dkt-engine-ben"])
        let status = try lab(["status"])
        #expect(status.status == 1)
        #expect(status.output.contains("ben: exited:"), "\(status.output)")

        // A container that is not the lab's, with a label value that forges a line of `docker ps` output, survives down.
        _ = try runProgram(docker, ["create", "--name", "dkt-engine-forged", "--label", "dockerkit.lab=other\ndkt-engine-ann\tben",
                                    "--label", "dockerkit.lab.member=ben", "local/debian:12", "true"])

        // ben leaves: his container goes at the next up, his uid and port stay his.
        try writeLab(["ann"])
        let removal = try lab(["up"])
        #expect(removal.status == 0, "\(removal.error.suffix(1500))")
        #expect(try runProgram(docker, ["container", "inspect", "dkt-engine-ben"]).status != 0)
        let state = try String(contentsOf: folder.appendingPathComponent("lab.state.json"), encoding: .utf8)
        #expect(state.contains("\"ben\": {\"uid\":2002,\"gpus\":[],\"ports\":{\"ssh\":2612},\"departed\":"), "\(state)")
        let log = try String(contentsOf: folder.appendingPathComponent("lab.log"), encoding: .utf8)
        #expect(log.contains("\"member\":\"ben\",\"action\":\"remove\""), "\(log)")

        let down = try lab(["down"])
        #expect(down.status == 0, "\(down.error)")
        #expect(try runProgram(docker, ["container", "inspect", "dkt-engine-ann"]).status != 0)
        #expect(try runProgram(docker, ["container", "inspect", "dkt-engine-forged"]).status == 0)
    }
}
