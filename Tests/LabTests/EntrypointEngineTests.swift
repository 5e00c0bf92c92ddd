import Foundation
import Support
import Templates
import Testing

private let engineClient: String? = testEngine

/// The Debian image `scripts/engine.sh debian-base` makes (.ci/run does): bash, useradd and runuser, as lab images have.
private let debianImage = "local/debian:12"
private let hasDebianImage = testEngineHasDebian

/// Runs a program to completion with Support's `ChildProcess`; both outputs, as text.
@discardableResult
private func run(_ executable: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
    let result = try ChildProcess.run(executable, arguments: arguments)
    return (result.status, String(decoding: result.output + result.errorOutput, as: UTF8.self))
}

@Suite(.serialized, .enabled(if: testEngine != nil, "\(noEngineReason)"), .enabled(if: hasDebianImage, "\(noDebianReason)"))
struct EntrypointEngineTests {
    /// A member who links ~/.ssh and ~/.vnc to /etc cannot make the root-run entrypoint write, chown or chmod there,
    /// and the sshd options of a member's container say each security option once: no root.
    @Test func linksPlantedInTheMembersHomeGainNothing() throws {
        let docker = try #require(engineClient)
        var request = LabImageRequest()
        request.cudaVersion = "12.4"
        request.ssh = true
        request.vnc = true
        let image = try LabImageGenerator().generate(request, invocation: "test")
        let entrypoint = try #require(image.files.first { $0.name == "lab-entrypoint.sh" })

        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("dockerkit-entrypoint-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let home = folder.appendingPathComponent("home")
        let stubs = folder.appendingPathComponent("stubs")
        let sshdConfig = folder.appendingPathComponent("sshd_config.d")
        for directory in [home, stubs, sshdConfig] { try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true) }
        try Data(entrypoint.contents.utf8).write(to: folder.appendingPathComponent("lab-entrypoint"))
        // The services are stubs: what is tested is the entrypoint's own file handling.
        for (name, body) in [("ssh-keygen", "exit 0"), ("tigervncpasswd", "cat"), ("vncserver", "exit 0"), ("websockify", "exit 0")] {
            try Data("#!/bin/sh\n\(body)\n".utf8).write(to: stubs.appendingPathComponent(name))
        }
        for name in ["lab-entrypoint", "stubs/ssh-keygen", "stubs/tigervncpasswd", "stubs/vncserver", "stubs/websockify"] {
            try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: folder.appendingPathComponent(name).path)
        }
        for (link, target) in [(".ssh", "/etc"), (".vnc", "/etc"), (".profile", "/etc/shadow")] {
            try FileManager.default.createSymbolicLink(atPath: home.appendingPathComponent(link).path, withDestinationPath: target)
        }
        // The image's config says root may log in with a key; a member's container must say no, once.
        try Data("PermitRootLogin prohibit-password\nPasswordAuthentication no\n".utf8).write(to: sshdConfig.appendingPathComponent("dockerkit.conf"))
        _ = try? FileManager.default.setAttributes([.ownerAccountID: 2001, .groupOwnerAccountID: 2001], ofItemAtPath: home.path)

        let check = """
            stat -c 'etc %a %u' /etc; stat -c 'passwd %a %u' /etc/passwd; stat -c 'shadow %a %u' /etc/shadow
            grep -c '^root:' /etc/passwd; ls /etc | grep -c authorized_keys; id -u mallory; cat /etc/ssh/authorized_keys/mallory
            stat -c 'vnc-password %a %U' /etc/dockerkit/vnc-password; runuser -u mallory -- cat /etc/dockerkit/vnc-password
            """
        let result = try run(docker, [
            "run", "--rm", "--network", "none",
            "--env", "LAB_USER=mallory", "--env", "LAB_UID=2001", "--env", "VNC_PASSWORD=secret",
            "--env", "SSH_AUTHORIZED_KEYS=ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIJhujbLAyClLDnrYu6hL11ZxknhdUPwr8mhTHkls+1PH mallory",
            "--env", "PATH=/stubs:/usr/sbin:/usr/bin:/sbin:/bin",
            "--volume", "\(home.path):/home/mallory", "--volume", "\(stubs.path):/stubs:ro",
            "--volume", "\(sshdConfig.path):/etc/ssh/sshd_config.d",
            "--volume", "\(folder.path)/lab-entrypoint:/usr/local/bin/lab-entrypoint:ro",
            debianImage, "/usr/local/bin/lab-entrypoint", "bash", "-c", check,
        ])
        #expect(result.status == 0, "\(result.output)")
        let lines = result.output.split(separator: "\n").map(String.init).filter { !$0.hasPrefix("lab-entrypoint:") && !$0.hasPrefix("sh: ") }
        #expect(lines == [
            "etc 755 0", "passwd 644 0", "shadow 640 0", "1", "0", "2001",
            "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIJhujbLAyClLDnrYu6hL11ZxknhdUPwr8mhTHkls+1PH mallory",
            "vnc-password 400 mallory", "secret",
        ], "\(result.output)")
        let sshdOptions = try String(contentsOf: sshdConfig.appendingPathComponent("dockerkit.conf"), encoding: .utf8)
        #expect(sshdOptions == "PasswordAuthentication no\nPermitRootLogin no\nAllowUsers mallory\n")
    }

    /// A uid that is a system account's (root above all) never becomes a member's: the entrypoint refuses it.
    @Test func aSystemUIDForAMemberIsRefused() throws {
        let docker = try #require(engineClient)
        var request = LabImageRequest()
        request.cudaVersion = "12.4"
        request.ssh = true
        let image = try LabImageGenerator().generate(request, invocation: "test")
        let entrypoint = try #require(image.files.first { $0.name == "lab-entrypoint.sh" })
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("dockerkit-entrypoint-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try Data(entrypoint.contents.utf8).write(to: folder.appendingPathComponent("lab-entrypoint"))
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: folder.appendingPathComponent("lab-entrypoint").path)
        for uid in ["0", "999", "99999999999"] {
            let result = try run(docker, [
                "run", "--rm", "--network", "none", "--env", "LAB_USER=mallory", "--env", "LAB_UID=\(uid)",
                "--volume", "\(folder.path)/lab-entrypoint:/usr/local/bin/lab-entrypoint:ro",
                debianImage, "/usr/local/bin/lab-entrypoint", "id", "-u", "mallory",
            ])
            #expect(result.status == 64, "uid \(uid): \(result.output)")
            #expect(result.output.contains("is not from 1000 to 60000"), "uid \(uid): \(result.output)")
        }
    }
}
