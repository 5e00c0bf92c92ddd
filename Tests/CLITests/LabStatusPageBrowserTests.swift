import Foundation
import Testing

/// Debian's headless Chromium, when installed (.ci/run installs it).
private let chromium: String? = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].first { FileManager.default.isExecutableFile(atPath: $0) }

/// The status page a lab admin opens: every member on it, no secret in it, rendered by a real browser.
@Suite(.serialized) struct LabStatusPageTests {
    func makeLab() throws -> URL {
        let folder = try temporaryDirectory()
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("keys"), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("secrets/alice-hostkeys"), withIntermediateDirectories: true)
        let key = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIJhujbLAyClLDnrYu6hL11ZxknhdUPwr8mhTHkls+1PH someone@lab\n"
        for name in ["alice", "bob"] { try Data(key.utf8).write(to: folder.appendingPathComponent("keys/\(name).pub")) }
        // Secrets as `lab up` leaves them: a VNC password, a Jupyter token, host keys.
        try Data("Vnc9pass\n".utf8).write(to: folder.appendingPathComponent("secrets/alice-vnc"))
        try Data("jupyter-token-abcdef0123456789\n".utf8).write(to: folder.appendingPathComponent("secrets/alice-jupyter"))
        try Data("-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW\n-----END OPENSSH PRIVATE KEY-----\n".utf8)
            .write(to: folder.appendingPathComponent("secrets/alice-hostkeys/ssh_host_ed25519_key"))
        try Data("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHostKeyOfAliceHostKeyOfAliceHostKeyOfA alice@t\n".utf8)
            .write(to: folder.appendingPathComponent("secrets/alice-hostkeys/ssh_host_ed25519_key.pub"))
        try Data("""
            name: t
            image: {cuda: "12.4", vnc: true, jupyter: true, tag: "t/lab:1"}
            limits: {memory: 1g, disk: 10g}
            homes: \(folder.path)/homes
            members:
              - {name: alice, key: keys/alice.pub}
              - {name: bob, key: keys/bob.pub, until: "2020-01-01"}

            """.utf8).write(to: folder.appendingPathComponent("lab.yaml"))
        return folder
    }

    /// Every line of 8 characters or more of every file under secrets/.
    func secretLines(_ folder: URL) throws -> [String] {
        var lines: [String] = []
        let root = folder.appendingPathComponent("secrets")
        guard let files = FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil) else { return [] }
        for case let file as URL in files {
            guard let text = try? String(contentsOf: file, encoding: .utf8) else { continue }
            lines += text.split(separator: "\n").map(String.init).filter { $0.count >= 8 && !$0.hasPrefix("-----") }
        }
        return lines
    }

    @Test func thePageNamesEveryMemberAndHoldsNoSecret() throws {
        let folder = try makeLab()
        defer { try? FileManager.default.removeItem(at: folder) }
        let page = folder.appendingPathComponent("status.html")
        let result = try runDockerkit(["lab", "status", "--format", "html", "-o", page.path, "-f", folder.appendingPathComponent("lab.yaml").path, "--engine", "/bin/true"])
        #expect(FileManager.default.fileExists(atPath: page.path), "\(result.error)")
        let html = try String(contentsOf: page, encoding: .utf8)
        #expect(html.contains("data-member=\"alice\"") && html.contains("data-member=\"bob\""))
        #expect(html.contains("past until 2020-01-01"))
        let secrets = try secretLines(folder)
        #expect(secrets.count >= 4)
        for secret in secrets { #expect(!html.contains(secret), "a secret is on the page: \(secret.prefix(12))…") }
    }

    @Test(.enabled(if: chromium != nil, "needs Debian's chromium (apt-get install chromium; .ci/run installs it)"))
    func chromiumRendersThePageWithTheMembers() throws {
        let browser = try #require(chromium)
        let folder = try makeLab()
        defer { try? FileManager.default.removeItem(at: folder) }
        let page = folder.appendingPathComponent("status.html")
        _ = try runDockerkit(["lab", "status", "--format", "html", "-o", page.path, "-f", folder.appendingPathComponent("lab.yaml").path, "--engine", "/bin/true"])
        let common = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--user-data-dir=\(folder.path)/profile"]
        let dom = try runProgram(browser, common + ["--dump-dom", "file://\(page.path)"])
        #expect(dom.output.contains("data-member=\"alice\"") && dom.output.contains("data-member=\"bob\""), "\(dom.error.suffix(500))")
        #expect(dom.output.contains("<svg") || dom.output.contains("<td>-</td>"))
        let shot = folder.appendingPathComponent("page.png")
        _ = try runProgram(browser, common + ["--window-size=1200,800", "--screenshot=\(shot.path)", "file://\(page.path)"])
        let png = try Data(contentsOf: shot)
        #expect(png.count > 1000 && png.prefix(4) == Data([0x89, 0x50, 0x4E, 0x47]))
    }
}
