import Foundation
import Support
import Testing
@testable import Lab

/// An XFS file system in a loop file, mounted with project quotas, when this machine allows it; else why not.
private let xfsQuotaMount: (point: String?, reason: String) = {
    guard getuid() == 0 else { return (nil, "needs root to mount a loop file") }
    for tool in ["/usr/sbin/mkfs.xfs", "/usr/sbin/xfs_quota", "/usr/bin/mount"] where !FileManager.default.isExecutableFile(atPath: tool) {
        return (nil, "needs xfsprogs and mount (apt-get install xfsprogs; .ci/run does)")
    }
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("dockerkit-xfs-\(getpid())")
    try? FileManager.default.createDirectory(at: folder.appendingPathComponent("mnt"), withIntermediateDirectories: true)
    let image = folder.appendingPathComponent("xfs.img").path
    guard FileManager.default.createFile(atPath: image, contents: nil), let handle = FileHandle(forWritingAtPath: image) else { return (nil, "cannot make a loop file") }
    try? handle.truncate(atOffset: 320 << 20)
    try? handle.close()
    guard (try? ChildProcess.run("/usr/sbin/mkfs.xfs", arguments: ["-q", "-f", image]))?.status == 0 else {
        try? FileManager.default.removeItem(at: folder)
        return (nil, "mkfs.xfs failed")
    }
    guard let mounted = try? ChildProcess.run("/usr/bin/mount", arguments: ["-o", "loop,prjquota", image, folder.appendingPathComponent("mnt").path]),
          mounted.status == 0 else {
        try? FileManager.default.removeItem(at: folder)
        let dmesg = (try? ChildProcess.run("/usr/bin/dmesg", arguments: []))
            .map { String(decoding: $0.output, as: UTF8.self).split(separator: "\n").last { $0.contains("XFS") }.map(String.init) ?? "" } ?? ""
        return (nil, "cannot mount XFS with prjquota here: \(dmesg.isEmpty ? "mount refused" : dmesg)")
    }
    return (folder.appendingPathComponent("mnt").path, "")
}()

@Suite(.serialized, .enabled(if: xfsQuotaMount.point != nil, Comment(rawValue: xfsQuotaMount.reason)))
struct HomeQuotaTests {
    @Test func aHomeOnXFSWithProjectQuotasStopsAtItsLimit() throws {
        let point = try #require(xfsQuotaMount.point)
        defer { _ = try? ChildProcess.run("/usr/bin/umount", arguments: ["-d", point]) }
        let home = point + "/alice"
        try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
        let mount = try #require(LabQuota.mount(containing: home))
        #expect(LabQuota.enforcesProjectQuotas(mount))
        try LabQuota.limitHome(home, projectID: 2001, bytes: 8 << 20, mount: mount, environment: ProcessInfo.processInfo.environment)
        let small = try ChildProcess.run("/bin/sh", arguments: ["-c", "head -c 4000000 /dev/zero > \"$0/small\"", home])
        #expect(small.status == 0)
        let large = try ChildProcess.run("/bin/sh", arguments: ["-c", "head -c 16000000 /dev/zero > \"$0/large\"", home])
        #expect(large.status != 0, "the home grew past its 8 MiB limit")
    }
}

@Test func quotasAreSaidToBeUnenforcedOffXFS() {
    let ext4 = LabQuota.Mount(device: "/dev/sda1", point: "/", type: "ext4", options: ["rw"])
    let xfs = LabQuota.Mount(device: "/dev/sdb1", point: "/srv", type: "xfs", options: ["rw", "noquota"])
    #expect(!LabQuota.enforcesProjectQuotas(ext4) && !LabQuota.enforcesProjectQuotas(xfs))
    #expect(LabQuota.enforcesProjectQuotas(LabQuota.Mount(device: "/dev/sdb1", point: "/srv", type: "xfs", options: ["rw", "prjquota"])))
}
