import FoundationEssentials
import Support
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// The lab's folders on the server: members' homes and the generated secrets. Existing ones are never replaced,
/// and nothing here is ever deleted.
package struct LabFolders: Sendable {
    let report: @Sendable (String) -> Void

    package init(report: @escaping @Sendable (String) -> Void) {
        self.report = report
    }

    /// Makes each member's home (owned by their uid) and the generated secrets they need; existing ones are kept.
    package func prepare(_ plan: LabPlan, members: [MemberPlan]) throws(InputError) {
        let definition = plan.definition
        for dataset in definition.datasets {
            var information = stat()
            guard stat(dataset.host, &information) == 0, information.st_mode & S_IFMT == S_IFDIR else {
                throw InputError(source: definition.path, message: "dataset \(dataset.host) (for \(dataset.path)) is not a folder on this server")
            }
        }
        try makeFolder(definition.homes, mode: 0o755, owner: nil)
        let mount = LabQuota.mount(containing: definition.homes)
        for member in members {
            if try makeFolder(member.home, mode: 0o750, owner: (uid_t(member.uid), gid_t(member.uid))) {
                report("\(member.name): made \(member.home) for uid \(member.uid)")
            }
            guard let disk = member.limits.disk else { continue }
            if let mount, LabQuota.enforcesProjectQuotas(mount) {
                // Set on every up: a changed limit takes effect, an unchanged one is set again, harmlessly.
                try LabQuota.limitHome(member.home, projectID: member.uid, bytes: disk, mount: mount, environment: ProcessInfo.processInfo.environment)
            } else {
                report("\(member.name): limits.disk \(describeByteSize(disk)) is not enforced on \(member.home) (not XFS with prjquota); `lab top` warns past it")
            }
        }
        try makeSecrets(plan, members: members)
    }

    /// Makes the member's SSH host keys once (with `generate`, which fills the folder it is given) into
    /// secrets/MEMBER-hostkeys; existing keys are kept, so re-creating the container never changes them.
    package func makeHostKeys(_ member: MemberPlan, definition: LabDefinition, generate: (String) throws(InputError) -> Void) throws(InputError) {
        let folder = definition.hostKeysDirectory(of: member.name)
        var information = stat()
        if lstat(folder, &information) == 0 {
            guard information.st_mode & S_IFMT == S_IFDIR else { throw InputError(source: folder, message: "exists and is not a folder") }
            guard lstat(FilePath.appending("ssh_host_ed25519_key.pub", to: folder), &information) == 0 else {
                throw InputError(source: folder, message: "holds no ssh_host_ed25519_key.pub; remove the folder to make new host keys (students will see a changed host key)")
            }
            return
        }
        try makeFolder(definition.secretsDirectory, mode: 0o700, owner: nil)
        // Made under a temporary name and renamed into place, so a folder that exists always holds all the keys.
        let temporary = "\(folder).\(getpid()).tmp"
        try? FileManager.default.removeItem(atPath: temporary)
        try makeFolder(temporary, mode: 0o700, owner: nil)
        do throws(InputError) {
            try generate(temporary)
            guard lstat(FilePath.appending("ssh_host_ed25519_key.pub", to: temporary), &information) == 0 else {
                throw InputError(source: folder, message: "the image's ssh-keygen made no host keys")
            }
            guard rename(temporary, folder) == 0 else { throw InputError(source: folder, message: "cannot move the host keys into place: \(String(cString: strerror(errno)))") }
        } catch {
            try? FileManager.default.removeItem(atPath: temporary)
            throw error
        }
        report("\(member.name): made SSH host keys in \(folder); they stay across re-creates")
    }

    /// Generates the VNC passwords and Jupyter tokens members need into secrets/ (mode 0600); existing ones are kept.
    package func makeSecrets(_ plan: LabPlan, members: [MemberPlan]) throws(InputError) {
        let definition = plan.definition
        for member in members {
            for service in [LabService.novnc, .jupyter] where member.port(of: service) != nil {
                try makeFolder(definition.secretsDirectory, mode: 0o700, owner: nil)
                let path = definition.secretPath(of: member.name, service)
                if try createSecret(at: path, length: service == .novnc ? 8 : 32) {
                    report("\(member.name): wrote a new \(service == .novnc ? "VNC password" : "Jupyter token") to \(path) (mode 0600)")
                }
            }
        }
    }


    /// Makes `path` when missing (returns true then); an existing folder is left as it is.
    @discardableResult
    func makeFolder(_ path: String, mode: mode_t, owner: (uid_t, gid_t)?) throws(InputError) -> Bool {
        var information = stat()
        if lstat(path, &information) == 0 {
            guard information.st_mode & S_IFMT == S_IFDIR else { throw InputError(source: path, message: "exists and is not a folder") }
            return false
        }
        guard mkdir(path, mode) == 0 else { throw InputError(source: path, message: "cannot make the folder: \(String(cString: strerror(errno)))") }
        _ = chmod(path, mode)
        if let (uid, gid) = owner, chown(path, uid, gid) != 0 {
            throw InputError(source: path, message: "cannot give the folder to uid \(uid): \(String(cString: strerror(errno))) (run dockerkit lab as root, or make it yourself)")
        }
        return true
    }

    /// Writes a random secret to `path` with mode 0600 when the file does not exist yet (returns true then).
    func createSecret(at path: String, length: Int) throws(InputError) -> Bool {
        var information = stat()
        if lstat(path, &information) == 0 {
            guard information.st_mode & S_IFMT == S_IFREG else { throw InputError(source: path, message: "exists and is not a regular file") }
            return false
        }
        let alphabet = Array("abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789".utf8)
        var random = [UInt8](repeating: 0, count: length)
        guard getentropy(&random, length) == 0 else { throw InputError(source: path, message: "no random bytes from the system") }
        let secret = random.map { alphabet[Int($0) % alphabet.count] } + [UInt8(ascii: "\n")]
        // Written under a temporary name and linked into place, so the file is never seen half-written or with
        // looser permissions, and an existing file is never replaced.
        let temporary = "\(path).\(getpid()).tmp"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw InputError(source: path, message: "cannot write: \(String(cString: strerror(errno)))") }
        let written = secret.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        let synced = fsync(descriptor) == 0
        close(descriptor)
        defer { unlink(temporary) }
        guard written == secret.count, synced, link(temporary, path) == 0 else {
            throw InputError(source: path, message: "cannot write: \(String(cString: strerror(errno)))")
        }
        return true
    }
}
