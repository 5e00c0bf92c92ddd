import Foundation
import Support
import Testing
@testable import Lab

private let key = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIJhujbLAyClLDnrYu6hL11ZxknhdUPwr8mhTHkls+1PH member@lab\n"

/// Reclaim, expiry, snapshots and restore on a real engine, through the Lab target's use cases.
@Suite(.serialized, .enabled(if: testEngine != nil, "\(noEngineReason)"), .enabled(if: testEngineHasDebian, "\(noDebianReason)"))
struct LabOperationsEngineTests {
    let folder: URL
    let docker: String
    let operations: LabOperations

    init() throws {
        docker = debianTestEngine ?? "docker"
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("dockerkit-ops-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("keys"), withIntermediateDirectories: true)
        for name in ["ann", "ben"] { try Data(key.utf8).write(to: folder.appendingPathComponent("keys/\(name).pub")) }
        operations = LabOperations(engine: docker, admin: "test", reachTimeout: 30, report: { _ in }, buildProgress: { _ in })
    }

    func writeLab(_ extra: String = "", ben: String = "{name: ben, key: keys/ben.pub}") throws -> LoadedLab {
        try Data("""
            name: dkt-ops
            image: {base: "local/debian:12", ssh: true, tag: "dockerkit-test/lab:1"}
            bind: 127.0.0.1
            ports: {ssh: 2621-2629}
            limits: {memory: 256m, pids: 256}
            homes: \(folder.path)/homes
            \(extra)
            members:
              - {name: ann, key: keys/ann.pub}
              - \(ben)

            """.utf8).write(to: folder.appendingPathComponent("lab.yaml"))
        return try LabOperations.load(folder.appendingPathComponent("lab.yaml").path, workingDirectory: "/", today: "2026-12-07")
    }

    func shell(_ container: String, _ command: String) throws -> String {
        let result = try ChildProcess.run(docker, arguments: ["exec", container, "sh", "-c", command])
        return String(decoding: result.output, as: UTF8.self)
    }

    func cleanUp() {
        if let lab = try? LabOperations.load(folder.appendingPathComponent("lab.yaml").path, workingDirectory: "/", today: "2026-12-07") {
            _ = try? operations.down(lab.definition, members: [])
        }
        _ = try? ChildProcess.run(docker, arguments: ["rmi", "-f", "dkt-ops/ann:snapshot-x"])
        try? FileManager.default.removeItem(at: folder)
    }

    @Test func saveTurnsWhatAMemberAddedIntoADockerfileAndAnImageTheyRunOnNext() throws {
        defer { cleanUp(); _ = try? ChildProcess.run(docker, arguments: ["rmi", "-f", "dkt-ops/ann:saved-20261207"]) }
        let lab = try writeLab()
        #expect(try operations.up(lab, members: lab.plan.members).failed.isEmpty)
        _ = try shell("dkt-ops-ann", "mkdir -p /opt/tool && echo tool > /opt/tool/run && echo mine > /home/ann/notes.txt && rm -f /usr/share/doc/apt/copyright")
        let locked = try LabOperations.load(folder.appendingPathComponent("lab.yaml").path, workingDirectory: "/", today: "2026-12-07")
        let saved = try operations.save(locked, member: "ann", buildImage: true, today: "2026-12-07")
        let dockerfile = try String(contentsOfFile: saved.dockerfile, encoding: .utf8)
        #expect(saved.dockerfile.hasSuffix("/dkt-ops-ann.Dockerfile"))
        #expect(dockerfile.contains("\nFROM dockerkit-test/lab:1\n"))
        #expect(dockerfile.contains("COPY [\"files/opt/tool\", \"/opt/tool\"]"))
        #expect(dockerfile.contains("RUN rm -rf -- /usr/share/doc/apt/copyright"))
        #expect(!dockerfile.contains("notes.txt"), "the home is a mount: never copied")
        #expect(FileManager.default.fileExists(atPath: saved.context + "/files/opt/tool/run"))
        #expect(saved.image == "dkt-ops/ann:saved-20261207")
        #expect(try ChildProcess.run(docker, arguments: ["image", "inspect", "dkt-ops/ann:saved-20261207"]).status == 0)
        let after = try LabOperations.load(folder.appendingPathComponent("lab.yaml").path, workingDirectory: "/", today: "2026-12-07")
        #expect(after.plan.members.first { $0.name == "ann" }?.image == "dkt-ops/ann:saved-20261207")
    }

    @Test func aHomeComesBackFromItsSnapshot() throws {
        defer { cleanUp() }
        let lab = try writeLab()
        #expect(try operations.up(lab, members: lab.plan.members).failed.isEmpty)
        _ = try shell("dkt-ops-ann", "echo precious > /home/ann/thesis.txt && chown ann /home/ann/thesis.txt")
        let snapshot = try operations.snapshot(lab.plan, member: "ann", container: true, environment: ProcessInfo.processInfo.environment)
        #expect(try operations.snapshots(lab.definition).map(\.name) == [snapshot.name])
        let image = try #require(snapshot.image)
        #expect(try ChildProcess.run(docker, arguments: ["image", "inspect", image]).status == 0)
        _ = try ChildProcess.run(docker, arguments: ["rmi", "-f", image])
        _ = try shell("dkt-ops-ann", "touch /etc/marker-of-the-snapshot")
        let withImage = try operations.snapshot(lab.plan, member: "ann", container: true, environment: ProcessInfo.processInfo.environment,
                                                now: 1_796_601_700)
        _ = try shell("dkt-ops-ann", "rm /home/ann/thesis.txt /etc/marker-of-the-snapshot")
        let aside = try operations.restore(lab, member: "ann", snapshot: snapshot.name, environment: ProcessInfo.processInfo.environment)
        #expect(try shell("dkt-ops-ann", "cat /home/ann/thesis.txt; stat -c %U /home/ann/thesis.txt") == "precious\nann\n")
        #expect(FileManager.default.fileExists(atPath: aside))
        // On the snapshot's image: the container's own change comes back too, until `up ann` names her.
        let again = try LabOperations.load(folder.appendingPathComponent("lab.yaml").path, workingDirectory: "/", today: "2026-12-07")
        _ = try operations.restore(again, member: "ann", snapshot: withImage.name, onImage: true, environment: ProcessInfo.processInfo.environment)
        #expect(try shell("dkt-ops-ann", "test -e /etc/marker-of-the-snapshot && echo there") == "there\n")
        let named = try LabOperations.load(folder.appendingPathComponent("lab.yaml").path, workingDirectory: "/", today: "2026-12-07", givingBack: ["ann"])
        #expect(named.plan.members.first { $0.name == "ann" }?.image == nil)
        if let image = withImage.image { _ = try? ChildProcess.run(docker, arguments: ["rmi", "-f", image]) }
    }

    @Test func aMemberPastUntilIsStoppedAndNotStartedAgain() throws {
        defer { cleanUp() }
        let lab = try writeLab()
        #expect(try operations.up(lab, members: lab.plan.members).failed.isEmpty)
        let expired = try writeLab(ben: "{name: ben, key: keys/ben.pub, until: \"2020-01-01\"}")
        #expect(expired.plan.members.first { $0.name == "ben" }?.isExpired == true)
        #expect(operations.preview(expired.plan).members["ben"]?.kind == .stop)
        let actions = try operations.reclaim(expired, readings: .failure(GPUReadingFailure(message: "no GPUs here")), environment: [:], today: "2026-12-07")
        #expect(actions == [ReclaimAction(member: "ben", kind: .expired, reason: "past until 2020-01-01")])
        #expect(try operations.engine.container(named: "dkt-ops-ben")?.status == "exited")
        _ = try operations.up(expired, members: expired.plan.members)
        #expect(try operations.engine.container(named: "dkt-ops-ben")?.status == "exited")
        #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("homes/ben").path))
    }

    @Test func gpusIdlePastTheLimitAreTakenBackAndTheMemberRunsWithout() throws {
        defer { cleanUp() }
        // ben holds GPU 0; this engine has no NVIDIA runtime, so his container cannot start with it.
        let lab = try writeLab("gpus: [\"0\"]\nreclaim: {gpu-idle: 48h}", ben: "{name: ben, key: keys/ben.pub, gpus: 1}")
        _ = try operations.up(lab, members: lab.plan.members)
        #expect(lab.plan.members.first { $0.name == "ben" }?.gpus == ["0"])
        let now = 1_796_601_600
        try GPUIdleRecord(idleSince: ["ben": now - 3 * 86400]).save(lab.definition)
        let idle = GPUReadings(driverVersion: "580.159.04", cudaVersion: "13.0", gpus: [
            GPUReadings.GPU(index: "0", uuid: "GPU-63fec18a-dd8a-d161-9897-fc2335cba94b", name: "NVIDIA H100 80GB HBM3", memoryTotal: 81559,
                            memoryUsed: 0, utilization: 0, busID: "00000000:00:06.0", migMode: "Disabled"),
        ])
        let actions = try operations.reclaim(lab, readings: .success(idle), environment: [:], today: "2026-12-07", now: now)
        #expect(actions.map(\.kind) == [.gpusReclaimed], "\(actions)")
        #expect(try operations.engine.container(named: "dkt-ops-ben")?.status == "running")
        let after = try LabOperations.load(folder.appendingPathComponent("lab.yaml").path, workingDirectory: "/", today: "2026-12-07")
        #expect(after.plan.members.first { $0.name == "ben" }?.reclaimed == "2026-12-07")
        #expect(after.plan.members.first { $0.name == "ben" }?.gpus == [])
        let notice = try shell("dkt-ops-ben", "sleep 1; . /etc/profile.d/00-lab-notice.sh")
        #expect(notice.contains("were idle for 72 h"), "\(notice)")
        let log = try String(contentsOf: folder.appendingPathComponent("lab.log"), encoding: .utf8)
        #expect(log.contains("\"action\":\"reclaim-gpus\""))
    }
}
