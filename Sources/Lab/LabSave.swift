import Engine
import FoundationEssentials
import ImageHistory
import Support
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// What `lab save` wrote.
package struct LabSaved: Sendable {
    package let dockerfile: String
    package let context: String
    package let reversal: ContainerReversal
    /// The image built from it, when asked for.
    package let image: String?
}

extension LabDefinition {
    /// `LAB-MEMBER.Dockerfile` and its context folder `LAB-MEMBER.context/`, beside the lab file.
    package func savedPaths(of member: String) -> (dockerfile: String, context: String) {
        (FilePath.appending("\(name)-\(member).Dockerfile", to: directory), FilePath.appending("\(name)-\(member).context", to: directory))
    }
}

extension LabOperations {
    /// Turns what `member` added to their container (packages, files; never their home or the lab's mounts) into a
    /// Dockerfile beside the lab file. With `buildImage`, builds `LAB/MEMBER:saved-DAY` from it and records it as
    /// the member's image, so the next `up` that re-creates them keeps what they installed (`lab up MEMBER` goes
    /// back to the lab's image).
    package func save(_ lab: LoadedLab, member name: String, buildImage: Bool, today: String) throws(InputError) -> LabSaved {
        let plan = lab.plan
        let definition = plan.definition
        guard let member = plan.members.first(where: { $0.name == name }) else { throw InputError(source: definition.path, message: "\(name) is not a member") }
        let reverse = try ContainerReverse(container: member.container, client: engine.client)
        let (dockerfilePath, context) = definition.savedPaths(of: name)
        try Self.replaceFolder(context)
        let written = try reverse.write(contextDirectory: context)
        for warning in written.warnings { report("\(name): \(warning)") }
        try Self.replaceFile(dockerfilePath, with: written.dockerfile)
        let log = LabAuditLog(path: definition.logPath, admin: admin)
        log.append(command: "save", member: name, action: "save", reason: FilePath.lastComponent(dockerfilePath))
        guard buildImage else { return LabSaved(dockerfile: dockerfilePath, context: context, reversal: reverse.reversal, image: nil) }
        let tag = "\(definition.name)/\(name):saved-\(today.replacingAll("-", with: ""))"
        try engine.build(context, dockerfile: dockerfilePath, tag: tag, labels: [:], progress: buildProgress) { report($0) }
        var state = plan.state
        state.members[name]?.image = tag
        try recordState(LoadedLab(plan: LabPlan(definition: definition, members: plan.members, state: state, departed: plan.departed), stateOriginal: lab.stateOriginal))
        log.append(command: "save", member: name, action: "image", reason: tag)
        return LabSaved(dockerfile: dockerfilePath, context: context, reversal: reverse.reversal, image: tag)
    }

    /// Writes `text` at `path`, replacing a regular file that was there (never through a symlink).
    static func replaceFile(_ path: String, with text: String) throws(InputError) {
        var information = stat()
        if lstat(path, &information) == 0 {
            guard information.st_mode & S_IFMT == S_IFREG else { throw InputError(source: path, message: "exists and is not a regular file; move it away") }
            unlink(path)
        }
        do {
            try SafeFileWriter.create(Array(text.utf8), at: path, mode: 0o644)
        } catch {
            throw InputError(source: path, message: error.message)
        }
    }

    /// An empty folder at `path`: one `save` made before is removed first; a symlink or a file there is refused.
    static func replaceFolder(_ path: String) throws(InputError) {
        var information = stat()
        if lstat(path, &information) == 0 {
            guard information.st_mode & S_IFMT == S_IFDIR else { throw InputError(source: path, message: "exists and is not a folder; move it away") }
            do {
                try FileManager.default.removeItem(atPath: path)
            } catch {
                throw InputError(source: path, message: "cannot remove the folder an earlier save made")
            }
        }
        guard mkdir(path, 0o755) == 0 else { throw InputError(source: path, message: "cannot create: \(String(cString: strerror(errno)))") }
    }
}
