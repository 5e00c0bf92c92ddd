import FoundationEssentials
import Support

/// Disk limits the host can enforce: XFS project quotas on homes, the engine's `--storage-opt size=` on containers'
/// writable layers (overlay2 on XFS with project quotas).
package enum LabQuota {
    /// A mounted file system, from /proc/self/mounts.
    package struct Mount: Sendable, Equatable {
        package let device: String
        package let point: String
        package let type: String
        package let options: [String]
    }

    /// The mounts listed in `text` (the format of /proc/self/mounts; `\040` is a space).
    package static func mounts(_ text: String) -> [Mount] {
        text.split(whereSeparator: \.isNewline).compactMap { line in
            let fields = line.split(separator: " ").map { unescape(String($0)) }
            guard fields.count >= 4 else { return nil }
            return Mount(device: fields[0], point: fields[1], type: fields[2], options: fields[3].split(separator: ",").map(String.init))
        }
    }

    /// The mount holding `path` (the longest mount point that is a prefix of it).
    package static func mount(containing path: String, mountsText: String? = nil) -> Mount? {
        let text = mountsText ?? ((try? readStoredFile("/proc/self/mounts", limit: 16 << 20)).flatMap { reading -> String? in
            if case .contents(let bytes) = reading { return String(decoding: bytes, as: UTF8.self) }
            return nil
        } ?? "")
        let absolute = FilePath.resolved(path, from: "/")
        return mounts(text).filter { mount in
            mount.point == "/" || absolute == mount.point || absolute.hasPrefix(mount.point + "/")
        }.max { $0.point.count < $1.point.count }
    }

    /// Whether homes on this mount can have a size limit.
    package static func enforcesProjectQuotas(_ mount: Mount) -> Bool {
        mount.type == "xfs" && mount.options.contains { $0 == "prjquota" || $0 == "pquota" }
    }

    /// Whether the engine can limit a container's writable layer (`--storage-opt size=`): overlay2 on XFS with
    /// project quotas, or devicemapper, btrfs and zfs, which take a size of their own.
    package static func engineLimitsWritableLayers(_ engine: LabEngine) -> Bool {
        guard let output = try? engine.client.run(["info", "--format", "{{.Driver}}\t{{.DockerRootDir}}"]) else { return false }
        let fields = String(decoding: output, as: UTF8.self).trimmingWhitespace().split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
        guard fields.count == 2 else { return false }
        switch fields[0] {
        case "overlay2": return mount(containing: fields[1]).map(enforcesProjectQuotas) ?? false
        case "devicemapper", "btrfs", "zfs": return true
        default: return false
        }
    }

    /// Limits the folder `home` to `bytes` with an XFS project quota (project id = the member's uid), using
    /// `xfs_quota` from xfsprogs.
    package static func limitHome(_ home: String, projectID: Int, bytes: Int, mount: Mount, environment: [String: String]) throws(InputError) {
        guard let tool = FilePath.executable("xfs_quota", environment: environment) else {
            throw InputError(source: home, message: "xfs_quota is not installed (apt-get install xfsprogs); the home's size is not enforced")
        }
        let kib = (bytes + 1023) / 1024
        let commands = ["project -s -p \(home) \(projectID)", "limit -p bhard=\(kib)k \(projectID)"]
        for command in commands {
            let result: ChildProcess.Result
            do {
                result = try ChildProcess.run(tool, arguments: ["-x", "-c", command, mount.point])
            } catch {
                throw InputError(source: home, message: "xfs_quota: \(error.message)")
            }
            guard result.status == 0 else {
                let text = String(decoding: result.errorOutput + result.output, as: UTF8.self).trimmingWhitespace()
                throw InputError(source: home, message: "xfs_quota \(command) failed: \(text.escapingControlCharacters())")
            }
        }
    }

    /// `\040` (octal) as the byte it stands for, as the kernel writes spaces and tabs in mount points.
    private static func unescape(_ field: String) -> String {
        guard field.contains("\\") else { return field }
        let bytes = Array(field.utf8)
        var result: [UInt8] = []
        var index = 0
        while index < bytes.count {
            if bytes[index] == UInt8(ascii: "\\"), index + 3 < bytes.count,
               bytes[(index + 1)...(index + 3)].allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "7") }) {
                let value = bytes[(index + 1)...(index + 3)].reduce(0) { $0 * 8 + Int($1 - UInt8(ascii: "0")) }
                result.append(UInt8(truncatingIfNeeded: value))
                index += 4
            } else {
                result.append(bytes[index])
                index += 1
            }
        }
        return String(decoding: result, as: UTF8.self)
    }
}
