import FoundationEssentials
import Support
import Templates
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// A lab file read and planned over its state.
package struct LoadedLab: Sendable {
    package let plan: LabPlan
    /// The state file as read, to replace it only if nobody changed it meanwhile.
    let stateOriginal: StoredFileReading

    package var definition: LabDefinition { plan.definition }
}

/// What `up` would do to one member, and why.
package struct MemberAction: Sendable, Equatable {
    package enum Kind: String, Sendable {
        case create, unchanged, recreate, start, stop, remove
        /// Nothing to do (a member who left and has no container).
        case none
        /// The engine could not be asked.
        case unknown
    }

    package let kind: Kind
    package let reasons: [String]
}

/// What `up` would do: to the image and to each member (by name), departed members included.
package struct LabPreview: Sendable {
    /// Why the image would be built; nil when it is there and current.
    package let imageBuild: String?
    package let members: [String: MemberAction]
    /// The engine could not be asked: why (actions are then `unknown`).
    package let engineProblem: String?
    /// What of `limits.disk` this host cannot enforce.
    package var diskNotes: [String] = []
}

/// A member's container state as `lab status` shows it.
package struct MemberStatus: Sendable {
    package enum State: String, Sendable {
        case running, restarting, exited, missing, departed
    }

    package let name: String
    /// Nil for a departed member.
    package let plan: MemberPlan?
    package let state: State
    /// Why the member is not running (nil when running, or departed with nothing left).
    package let reason: String?
    /// Seconds since the container started, when it runs.
    package let uptime: Int?
    package let health: String?
}

/// How a member's container stands against the one `up` would give them; `plan` and `up` decide by it alike.
enum ContainerChange {
    case create(why: String)
    /// A container of that name that is not this lab's member: never touched.
    case foreign
    case unchanged
    case start(ObservedContainer)
    case recreate(differences: [String])

    init(_ member: MemberPlan, spec: LabContainerSpec, existing: ObservedContainer?, labName: String) {
        guard let existing else {
            self = .create(why: member.isNew ? "a new member" : "no container")
            return
        }
        guard existing.lab == labName, existing.member == member.name else {
            self = .foreign
            return
        }
        let differences = spec.differences(from: existing.labels)
        if !differences.isEmpty {
            self = .recreate(differences: differences)
        } else {
            self = existing.status == "running" ? .unchanged : .start(existing)
        }
    }
}

/// How `lab up` went for the members it acted on.
package struct LabUpOutcome: Sendable {
    /// Members that did not start or do not answer SSH, with why.
    package let failed: [(name: String, reason: String)]
}

/// The lab's use cases: plan, up (with its build), down, status, forget, invite and export's secrets. Reports
/// progress through `report`, never prints.
package struct LabOperations: Sendable {
    package let engine: LabEngine
    let report: @Sendable (String) -> Void
    /// The engine's build output, as it comes.
    let buildProgress: @Sendable (ArraySlice<UInt8>) -> Void
    /// Who runs the command, for the audit log.
    let admin: String
    /// How long each member's sshd has to answer after `up`.
    let reachTimeout: Double

    package init(engine: String?, admin: String, reachTimeout: Double = 30, report: @escaping @Sendable (String) -> Void,
                 buildProgress: @escaping @Sendable (ArraySlice<UInt8>) -> Void) {
        self.engine = LabEngine(engine: engine)
        self.admin = admin
        self.reachTimeout = reachTimeout
        self.report = report
        self.buildProgress = buildProgress
    }

    // MARK: Loading

    /// Reads the lab file at `path` (relative to `workingDirectory`) and its state, and plans the lab.
    package static func load(_ path: String, workingDirectory: String, today: String, givingBack: Set<String> = []) throws(InputError) -> LoadedLab {
        try load(try readDefinition(path, workingDirectory: workingDirectory), today: today, givingBack: givingBack)
    }

    /// Reads the lab file at `path` (relative to `workingDirectory`), and the key files it names.
    package static func readDefinition(_ path: String, workingDirectory: String) throws(InputError) -> LabDefinition {
        let absolute = path.hasPrefix("/") ? path : FilePath.appending(path, to: workingDirectory)
        let bytes: [UInt8]
        switch try readStoredFile(absolute, limit: 1 << 20) {
        case .absent: throw InputError(source: path, message: "no such file\(path == "lab.yaml" ? " (use -f FILE to name another)" : "")")
        case .contents(let contents): bytes = contents
        }
        do {
            return try LabDefinitionReader.read(String(decoding: bytes, as: UTF8.self), path: path, directory: FilePath.parent(absolute)) { file in
                guard case .contents(let contents)? = try? readStoredFile(file, limit: 1 << 20) else { return nil }
                return contents
            }
        } catch {
            throw InputError(source: error.path, line: error.line, column: error.column, message: error.message)
        }
    }

    /// Reads `definition`'s state and plans the lab over it.
    package static func load(_ definition: LabDefinition, today: String, givingBack: Set<String> = []) throws(InputError) -> LoadedLab {
        let stateOriginal = try readStoredFile(definition.statePath, limit: LabState.sizeLimit)
        var state = LabState()
        if case .contents(let stateBytes) = stateOriginal {
            state = try LabState.decode(stateBytes, path: definition.statePath, labName: definition.name)
        }
        do {
            return LoadedLab(plan: try LabAllocator.plan(definition, state: state, today: today, givingBack: givingBack), stateOriginal: stateOriginal)
        } catch {
            throw InputError(source: error.path, line: error.line, column: error.column, message: error.message)
        }
    }

    /// Holds the lab file's lock until the process ends, so two `lab` commands on one lab never interleave;
    /// `waiting` is told once when another command holds it.
    package static func lock(_ definition: LabDefinition, waiting: () -> Void) throws(InputError) {
        let descriptor = open(definition.lockPath, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0o600)
        guard descriptor >= 0 else {
            throw InputError(source: definition.lockPath, message: "cannot open the lock file: \(String(cString: strerror(errno)))")
        }
        if flock(descriptor, LOCK_EX | LOCK_NB) == 0 { return }
        waiting()
        guard flock(descriptor, LOCK_EX) == 0 else {
            throw InputError(source: definition.lockPath, message: "cannot take the lock: \(String(cString: strerror(errno)))")
        }
    }

    /// Today as `YYYY-MM-DD` (UTC).
    package static func today() -> String {
        UTCTime(secondsSince1970: Int(Date().timeIntervalSince1970)).day8601
    }

    // MARK: Image

    /// The generated image files and their digest (the label that tells a stale image under the same tag).
    static func generatedImage(_ request: LabImageRequest, definition: LabDefinition) throws(InputError) -> (image: LabImage, digest: String) {
        let image: LabImage
        do {
            image = try LabImageGenerator().generate(request, invocation: "dockerkit lab up (image: in \(FilePath.lastComponent(definition.path)))")
        } catch {
            throw InputError(source: definition.path, message: "image: \(error)")
        }
        var digest = SHA256()
        for file in image.files where file.name != "README.md" {
            digest.update(Array(file.name.utf8) + [0, file.isExecutable ? 1 : 0])
            digest.update(Array(file.contents.utf8) + [0])
        }
        return (image, digest.finalize())
    }

    /// The label holding the digest of the image's generated files.
    package static let imageDigestLabel = "dockerkit.lab.image"

    /// Why the image must be built (nil: it is there and current), and its ID when it is there.
    func imageState(_ definition: LabDefinition) throws(InputError) -> (build: String?, id: String?, generated: (LabImage, String)?) {
        let tag = definition.image.tag
        let observed = try engine.image(tag)
        switch definition.image {
        case .reference:
            return (nil, observed?.id, nil)
        case .generated(let request, _):
            let (image, digest) = try Self.generatedImage(request, definition: definition)
            guard let observed else { return ("\(tag) is missing", nil, (image, digest)) }
            guard observed.labels[Self.imageDigestLabel] == digest else {
                return ("the image keys (or dockerkit's templates) changed since \(tag) was built", observed.id, (image, digest))
            }
            return (nil, observed.id, (image, digest))
        }
    }

    // MARK: plan

    /// What `up` would do, asking the engine (never changing anything).
    package func preview(_ plan: LabPlan) -> LabPreview {
        do {
            let image = try imageState(plan.definition)
            if case .reference = plan.definition.image, image.id == nil {
                let problem = "image \(plan.definition.image.tag) is not in the engine's local images; pull or load it first"
                return LabPreview(imageBuild: nil, members: unknownActions(plan, problem), engineProblem: problem)
            }
            let imageID = image.build == nil ? image.id ?? "" : "(the image to build)"
            var actions: [String: MemberAction] = [:]
            let containers = try engine.containers(ofLab: plan.definition.name)
            let limitsWritableLayer = LabQuota.engineLimitsWritableLayers(engine)
            for member in plan.members {
                actions[member.name] = try action(member, plan: plan, imageID: imageID, imageChange: image.build, limitsWritableLayer: limitsWritableLayer)
            }
            for departed in plan.departed {
                let left = containers.filter { $0.member == departed.name }
                actions[departed.name] = left.isEmpty
                    ? MemberAction(kind: .none, reasons: ["left the lab on \(departed.since); uid \(departed.uid) and ports kept until `lab forget \(departed.name)`"])
                    : MemberAction(kind: .remove, reasons: ["no longer in \(FilePath.lastComponent(plan.definition.path)): the container goes, the home stays"])
            }
            for container in containers where container.member.map({ name in !plan.members.contains { $0.name == name } && !plan.departed.contains { $0.name == name } }) == true {
                if let name = container.member { actions[name] = MemberAction(kind: .remove, reasons: ["not a member of the lab"]) }
            }
            var preview = LabPreview(imageBuild: image.build, members: actions, engineProblem: nil)
            preview.diskNotes = diskNotes(plan)
            return preview
        } catch {
            return LabPreview(imageBuild: nil, members: unknownActions(plan, error.message), engineProblem: error.message)
        }
    }

    /// What of the disk limits the host cannot enforce (homes not on XFS with prjquota, an engine that cannot
    /// limit writable layers).
    func diskNotes(_ plan: LabPlan) -> [String] {
        guard plan.definition.limits.disk != nil || plan.members.contains(where: { $0.limits.disk != nil }) else { return [] }
        var notes: [String] = []
        if !(LabQuota.mount(containing: plan.definition.homes).map(LabQuota.enforcesProjectQuotas) ?? false) {
            notes.append("limits.disk is not enforced on homes (\(plan.definition.homes) is not on XFS with prjquota); lab top warns past it")
        }
        if !LabQuota.engineLimitsWritableLayers(engine) {
            notes.append("limits.disk is not enforced in containers' writable layers (the engine's storage cannot limit them)")
        }
        return notes
    }

    private func unknownActions(_ plan: LabPlan, _ why: String) -> [String: MemberAction] {
        var actions: [String: MemberAction] = [:]
        for member in plan.members { actions[member.name] = MemberAction(kind: .unknown, reasons: [why]) }
        for departed in plan.departed { actions[departed.name] = MemberAction(kind: .unknown, reasons: [why]) }
        return actions
    }

    /// One member's action, from its container (if any) and the spec `up` would give it.
    private func action(_ member: MemberPlan, plan: LabPlan, imageID: String, imageChange: String?, limitsWritableLayer: Bool) throws(InputError) -> MemberAction {
        let existing = try engine.container(named: member.container)
        if member.isExpired {
            let reason = "past until \(member.member.until ?? "?"): not started"
            guard let existing, existing.status == "running" || existing.status == "restarting" else { return MemberAction(kind: .none, reasons: [reason]) }
            return MemberAction(kind: .stop, reasons: [reason, "the home is kept"])
        }
        var memberImageID = imageID
        if let override = member.image { memberImageID = (try engine.image(override))?.id ?? "(missing \(override))" }
        let spec = LabContainerSpec(member, in: plan, image: member.image ?? plan.definition.image.tag, imageID: memberImageID,
                                    limitsWritableLayer: limitsWritableLayer)
        var reasons: [String] = []
        switch ContainerChange(member, spec: spec, existing: existing, labName: plan.definition.name) {
        case .create(let why):
            return MemberAction(kind: .create, reasons: [why])
        case .foreign:
            return MemberAction(kind: .create, reasons: ["a container named \(member.container) is not the lab's: up stops with an error"])
        case .recreate(let differences):
            reasons = differences
        case .unchanged, .start:
            break
        }
        if let imageChange, !reasons.contains("the image changed") {
            reasons.removeAll { $0 == "dockerkit's container settings changed" }
            reasons.insert("the image will be rebuilt: \(imageChange)", at: 0)
        }
        if !reasons.isEmpty { return MemberAction(kind: .recreate, reasons: reasons + ["running jobs in the container end; the home is kept"]) }
        guard let existing, existing.status != "running" else { return MemberAction(kind: .unchanged, reasons: []) }
        return MemberAction(kind: .start, reasons: ["the container is \(existing.status)"])
    }

    // MARK: up

    /// Builds the image when missing or stale, records the state, makes homes, secrets and host keys, removes the
    /// containers of members who left, creates or starts `members`, then checks each answers SSH.
    package func up(_ lab: LoadedLab, members: [MemberPlan]) throws(InputError) -> LabUpOutcome {
        let plan = lab.plan
        let definition = plan.definition
        let log = LabAuditLog(path: definition.logPath, admin: admin)
        let image = try imageState(definition)
        var imageID = image.id
        if let why = image.build, let (generated, digest) = image.generated {
            report("building \(definition.image.tag) from \(generated.baseImage): \(why)")
            try build(generated, tag: definition.image.tag, digest: digest)
            log.append(command: "up", member: nil, action: "build", reason: why)
            imageID = try engine.image(definition.image.tag)?.id
        }
        guard let imageID else {
            throw InputError(source: definition.path, message: "image \(definition.image.tag) is not in the engine's local images; pull or load it first")
        }
        try recordState(lab)
        let folders = LabFolders(report: report)
        try folders.prepare(plan, members: members)

        // Members who left lose access now: their containers go (homes stay).
        for container in try engine.containers(ofLab: definition.name) {
            guard let name = container.member, !plan.members.contains(where: { $0.name == name }) else { continue }
            do {
                try engine.remove(container.id)
                if definition.network == .bridge { try engine.removeNetwork(definition.networkName(of: name), lab: definition.name, member: name) }
                report("\(name): left the lab: stopped and removed \(container.name); home kept, uid and ports reserved")
                log.append(command: "up", member: name, action: "remove", reason: "no longer in \(FilePath.lastComponent(definition.path))")
            } catch {
                report("\(name): left the lab, but their container \(container.name) could not be removed: \(error.message)")
            }
        }

        var failed: [(name: String, reason: String)] = []
        var started: [MemberPlan] = []
        let limitsWritableLayer = LabQuota.engineLimitsWritableLayers(engine)
        for member in members {
            if member.isExpired {
                if let container = try? engine.container(named: member.container) { _ = try? stopExpired(member, container: container, command: "up", log: log) }
                report("\(member.name): past until \(member.member.until ?? "?"); not started (home kept)")
                continue
            }
            if let day = member.reclaimed { report("\(member.name): runs without GPUs since \(day) (reclaimed); `lab up \(member.name)` gives them back when free") }
            do {
                try folders.makeHostKeys(member, definition: definition) { folder throws(InputError) in
                    try engine.runOnce(image: definition.image.tag, folder: folder, command: [
                        "sh", "-c", "for t in ed25519 ecdsa rsa; do ssh-keygen -q -t $t -N '' -C \"$0\" -f /out/ssh_host_${t}_key || exit 1; done",
                        "\(member.name)@\(definition.name)",
                    ])
                }
                let done = try up(member, plan: plan, imageID: imageID, limitsWritableLayer: limitsWritableLayer)
                if let done {
                    report("\(member.name): \(done.action) (\(member.ports.map { "\($0.service.rawValue) \($0.port)" }.joined(separator: ", ")))")
                    if done.action != "unchanged" { log.append(command: "up", member: member.name, action: done.action, reason: done.reason) }
                }
                started.append(member)
            } catch {
                var message = error.message
                if message.contains("could not select device driver") && message.contains("gpu") {
                    message = "the engine has no NVIDIA runtime for --gpus (install the NVIDIA container toolkit and restart the engine)"
                }
                report("\(member.name): did not start: \(message)")
                failed.append((member.name, message))
            }
        }
        failed += unreachable(started, definition: definition)
        return LabUpOutcome(failed: failed)
    }

    /// Creates, starts or re-creates one member; returns what was done and why.
    private func up(_ member: MemberPlan, plan: LabPlan, imageID: String, limitsWritableLayer: Bool) throws(InputError) -> (action: String, reason: String)? {
        let definition = plan.definition
        if definition.network == .bridge {
            _ = try engine.ensureNetwork(definition.networkName(of: member.name), lab: definition.name, member: member.name)
        }
        var memberImageID = imageID
        if let override = member.image {
            guard let found = try engine.image(override) else {
                throw InputError(source: override, message: "the snapshot image \(override) is gone; `lab up \(member.name)` runs the lab's image again")
            }
            memberImageID = found.id
        }
        let spec = LabContainerSpec(member, in: plan, image: member.image ?? definition.image.tag, imageID: memberImageID,
                                    limitsWritableLayer: limitsWritableLayer)
        let existing = try engine.container(named: member.container)
        switch ContainerChange(member, spec: spec, existing: existing, labName: definition.name) {
        case .create(let why):
            try create(spec)
            return ("created", why)
        case .foreign:
            throw InputError(source: member.container, message: "a container with this name exists and is not \(definition.name)'s member \(member.name); rename or remove it")
        case .unchanged:
            return ("unchanged", "")
        case .start(let container):
            try engine.start(container.id)
            return ("started", "the container was \(container.status)")
        case .recreate(let differences):
            if let existing { try engine.remove(existing.id) }
            try create(spec)
            return ("re-created", differences.joined(separator: "; "))
        }
    }

    /// Stops a running member who is past their `until` day and keeps the engine from starting them again (the
    /// container stays, with its changes); returns whether it was running.
    @discardableResult
    func stopExpired(_ member: MemberPlan, container: ObservedContainer, command: String, log: LabAuditLog) throws(InputError) -> Bool {
        guard container.status == "running" || container.status == "restarting" else { return false }
        _ = try engine.client.run(["update", "--restart", "no", container.id])
        try engine.stop(container.id)
        log.append(command: command, member: member.name, action: "expire", reason: "past until \(member.member.until ?? "?")")
        return true
    }

    /// Creates and starts a container; one that was created but does not start is removed again, so the next `up`
    /// tries afresh.
    private func create(_ spec: LabContainerSpec) throws(InputError) {
        try engine.create(spec, image: spec.arguments.last ?? "")
        do {
            try engine.start(spec.member.container)
        } catch {
            try? engine.remove(spec.member.container)
            throw error
        }
    }

    /// Members whose sshd gives no SSH banner on their published port within the timeout, with the container's
    /// state and last log lines.
    private func unreachable(_ members: [MemberPlan], definition: LabDefinition) -> [(name: String, reason: String)] {
        let address = SSHBannerProbe.connectAddress(for: definition.bindAddress)
        let deadline = Date().timeIntervalSince1970 + reachTimeout
        var failed: [(name: String, reason: String)] = []
        for member in members {
            guard let port = member.port(of: .ssh) else { continue }
            if SSHBannerProbe.waitForBanner(address: address, port: port, until: deadline) { continue }
            let container = try? engine.container(named: member.container)
            var reason = "not reachable: no SSH banner on \(address):\(port) within \(Int(reachTimeout)) s"
            if let container { reason += "; the container is \(container.status)\(container.exitCode.map { container.status == "running" ? "" : " (exit code \($0))" } ?? "")" }
            let lines = engine.lastLogLines(member.container, count: 5)
            if !lines.isEmpty { reason += "; its last lines: " + lines.joined(separator: " | ") }
            report("\(member.name): \(reason)")
            failed.append((member.name, reason))
        }
        return failed
    }

    /// Writes the state file atomically when the plan changed it; refuses when someone changed it since it was read.
    func recordState(_ lab: LoadedLab) throws(InputError) {
        let definition = lab.definition
        let text = Array(lab.plan.state.encoded(labName: definition.name).utf8)
        do {
            switch lab.stateOriginal {
            case .contents(let original):
                guard text != original else { return }
                try SafeFileWriter.write(text, to: definition.statePath, expecting: original)
            case .absent:
                try SafeFileWriter.create(text, at: definition.statePath, mode: 0o644)
            }
        } catch {
            throw InputError(source: definition.statePath, message: error.message)
        }
    }

    /// Generates the lab image into a temporary folder and builds it, labelled with its digest.
    private func build(_ image: LabImage, tag: String, digest: String) throws(InputError) {
        var template = Array("/tmp/dockerkit-lab-image-XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else { throw InputError(source: "/tmp", message: "cannot make a temporary folder") }
        let folder = String(cString: made)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        for file in image.files {
            do {
                try SafeFileWriter.create(Array(file.contents.utf8), at: FilePath.appending(file.name, to: folder), mode: file.isExecutable ? 0o755 : 0o644)
            } catch {
                throw InputError(source: folder, message: error.message)
            }
        }
        try engine.build(folder, tag: tag, labels: [Self.imageDigestLabel: digest], progress: buildProgress) { report($0) }
    }

    // MARK: down

    /// Stops and removes the containers of `members` (all of the lab's when empty) whose labels name this lab and
    /// member exactly; goes on past an engine error. Returns the members it could not remove, with why.
    package func down(_ definition: LabDefinition, members: [String]) throws(InputError) -> [(name: String, reason: String)] {
        let log = LabAuditLog(path: definition.logPath, admin: admin)
        let containers = try engine.containers(ofLab: definition.name)
        for name in members where !containers.contains(where: { $0.member == name }) {
            report("\(name): no container")
        }
        var failed: [(name: String, reason: String)] = []
        for container in containers {
            guard let member = container.member, members.isEmpty || members.contains(member) else { continue }
            do {
                if container.status == "running" || container.status == "restarting" { try engine.stop(container.id) }
                try engine.remove(container.id)
                if definition.network == .bridge { try engine.removeNetwork(definition.networkName(of: member), lab: definition.name, member: member) }
                report("\(member): stopped and removed \(container.name); home kept")
                log.append(command: "down", member: member, action: "remove", reason: "")
            } catch {
                report("\(member): could not remove \(container.name): \(error.message)")
                failed.append((member, error.message))
            }
        }
        return failed
    }

    // MARK: status

    /// Each member's state, departed members included, with a reason for every one not running.
    package func status(_ plan: LabPlan) throws(InputError) -> [MemberStatus] {
        let containers = try engine.containers(ofLab: plan.definition.name)
        var statuses: [MemberStatus] = []
        for member in plan.members {
            guard let container = containers.first(where: { $0.member == member.name && $0.name == member.container }) else {
                statuses.append(MemberStatus(name: member.name, plan: member, state: .missing, reason: "no container: `dockerkit lab up \(member.name)` makes it", uptime: nil, health: nil))
                continue
            }
            let state: MemberStatus.State
            switch container.status {
            case "running": state = .running
            case "restarting": state = .restarting
            default: state = .exited
            }
            let uptime = state == .running ? container.startedAt.map { max(0, Int(Date().timeIntervalSince1970) - $0) } : nil
            let reason = state == .running ? (container.health == "unhealthy" ? "unhealthy: sshd does not answer its health check" : nil) : why(container, limits: member.limits)
            statuses.append(MemberStatus(name: member.name, plan: member, state: state, reason: reason, uptime: uptime, health: container.health))
        }
        for departed in plan.departed {
            let left = containers.contains { $0.member == departed.name }
            statuses.append(MemberStatus(
                name: departed.name, plan: nil, state: .departed,
                reason: "left on \(departed.since)" + (left ? "; their container is still there: `dockerkit lab up` removes it" : ""), uptime: nil, health: nil))
        }
        return statuses
    }

    /// Why a container is not running, in words: the engine's error, an OOM kill, the exit code, the last log line.
    private func why(_ container: ObservedContainer, limits: LabLimits) -> String {
        var parts: [String] = []
        if let error = container.error {
            if error.contains("could not select device driver") && error.contains("gpu") {
                parts.append("no NVIDIA runtime: the engine cannot give it GPUs (install the NVIDIA container toolkit)")
            } else {
                parts.append("the engine could not start it: \(error.escapingControlCharacters())")
            }
        }
        if container.oomKilled {
            parts.append("killed for using more memory than its limit" + (limits.memory.map { " (\(describeByteSize($0)))" } ?? ""))
        }
        switch container.status {
        case "restarting": parts.append("restarting over and over: exited with code \(container.exitCode ?? 0) (\(container.restartCount) restarts)")
        case "created": parts.append("created but never started")
        case "exited": parts.append(container.exitCode == 0 ? "stopped (exit code 0)" : "exited with code \(container.exitCode ?? -1)")
        default: parts.append(container.status)
        }
        if let line = engine.lastLogLines(container.id, count: 1).last { parts.append("last line: \(line)") }
        return parts.joined(separator: "; ")
    }

    // MARK: forget

    /// Releases the uid and ports kept for a member who left; the home stays on disk.
    package func forget(_ lab: LoadedLab, member name: String) throws(InputError) -> DepartedMember {
        let definition = lab.definition
        if definition.members.contains(where: { $0.name == name }) {
            throw InputError(source: definition.path, message: "\(name) is still a member; take them out of \(FilePath.lastComponent(definition.path)) and run `lab up` first")
        }
        guard let departed = lab.plan.departed.first(where: { $0.name == name }) else {
            throw InputError(source: definition.statePath, message: "\(name.escapingControlCharacters()) is not a member who left this lab")
        }
        if try engine.containers(ofLab: definition.name).contains(where: { $0.member == name }) {
            throw InputError(source: definition.path, message: "\(name) still has a container; `dockerkit lab up` (or `lab down \(name)`) removes it first")
        }
        var state = lab.plan.state
        state.members[name] = nil
        let forgotten = LoadedLab(plan: LabPlan(definition: definition, members: lab.plan.members, state: state,
                                                departed: lab.plan.departed.filter { $0.name != name }),
                                  stateOriginal: lab.stateOriginal)
        try recordState(forgotten)
        LabAuditLog(path: definition.logPath, admin: admin).append(command: "forget", member: name, action: "forget",
                                                                   reason: "uid \(departed.uid) and ports released; home \(definition.home(of: name)) kept")
        return departed
    }

    // MARK: invite and export

    /// The invitation for `member`, with the host keys their sshd really offers (read from the lab's secrets).
    package static func invitation(_ plan: LabPlan, member name: String, host: String, language: LabInvite.Language) throws(InputError) -> String {
        guard let member = plan.members.first(where: { $0.name == name }) else {
            throw InputError(source: plan.definition.path, message: "\(name) is not a member")
        }
        var keys: [String] = []
        let folder = plan.definition.hostKeysDirectory(of: name)
        for type in ["ed25519", "ecdsa", "rsa"] {
            if case .contents(let bytes) = try readStoredFile(FilePath.appending("ssh_host_\(type)_key.pub", to: folder), limit: 64 << 10) {
                keys.append(String(decoding: bytes, as: UTF8.self).trimmingWhitespace())
            }
        }
        return LabInvite.text(member, definition: plan.definition, host: host, hostKeys: keys, language: language)
    }

    package enum ExportFormat: Sendable {
        case compose, kubernetes
    }

    /// Writes the lab as Compose (with the image's build folder) or Kubernetes manifests into `output` (default
    /// `lab-FORMAT` beside the lab file), making the secrets they mount first; returns the folder and the file count.
    package static func export(_ plan: LabPlan, format: ExportFormat, to output: String?, kubernetes: LabExport.KubernetesOptions = LabExport.KubernetesOptions(),
                               environment: [String: String] = ProcessInfo.processInfo.environment,
                               report: @escaping @Sendable (String) -> Void) throws(InputError) -> (directory: String, files: Int) {
        let directory = output ?? FilePath.appending(format == .compose ? "lab-compose" : "lab-kubernetes", to: plan.definition.directory)
        var files: [ExportedFile] = []
        if format == .compose {
            var imageFolder: (path: String, digest: String)?
            if case .generated(let request, _) = plan.definition.image {
                let (image, digest) = try generatedImage(request, definition: plan.definition)
                files += image.files.map { ExportedFile(name: "image/\($0.name)", contents: $0.contents, isExecutable: $0.isExecutable) }
                imageFolder = ("./image", digest)
            }
            files.append(LabExport.compose(plan, imageFolder: imageFolder))
        } else {
            files = try LabExport.kubernetes(plan, options: kubernetes)
            if kubernetes.registry == nil {
                for member in plan.members {
                    if let problem = LabExport.nodePortProblem(member, options: kubernetes) { report("\(problem); its Service is ClusterIP in these manifests") }
                }
                report("the manifests name the image \(plan.definition.image.tag.escapingControlCharacters()) as it is: push it to a registry the cluster pulls from and export with --registry HOST/PATH")
            }
        }
        // The files are worked out first, so a lab that cannot be exported leaves nothing behind.
        let folders = LabFolders(report: report)
        try folders.makeSecrets(plan, members: plan.members)
        try makeHostKeys(plan, folders: folders, environment: environment, report: report)
        try writeExport(files, into: directory)
        return (directory, files.count)
    }

    /// The SSH host keys `lab up` would make, made now with the host's ssh-keygen where `up` has not run yet, so an
    /// exported lab keeps them across restarts too.
    private static func makeHostKeys(_ plan: LabPlan, folders: LabFolders, environment: [String: String], report: @escaping @Sendable (String) -> Void) throws(InputError) {
        let needing = plan.members.filter { $0.port(of: .ssh) != nil }
        guard !needing.isEmpty else { return }
        guard let keygen = FilePath.executable("ssh-keygen", environment: environment) else {
            report("ssh-keygen is not installed here: members without host keys yet (run `lab up` once, or install openssh-client) get new ones at every start")
            return
        }
        for member in needing {
            var information = stat()
            if lstat(plan.definition.hostKeysDirectory(of: member.name), &information) == 0 { continue }
            try folders.makeHostKeys(member, definition: plan.definition) { folder throws(InputError) in
                for type in ["ed25519", "ecdsa", "rsa"] {
                    let key = FilePath.appending("ssh_host_\(type)_key", to: folder)
                    guard let result = try? ChildProcess.run(keygen, arguments: ["-q", "-t", type, "-N", "", "-C", "\(member.name)@\(plan.definition.name)", "-f", key]),
                          result.status == 0 else { throw InputError(source: folder, message: "ssh-keygen could not make the \(type) host key") }
                }
            }
        }
    }

    /// Writes the files under `directory`, never through a symlink on the way (the folder itself included).
    private static func writeExport(_ files: [ExportedFile], into directory: String) throws(InputError) {
        func ensureFolder(_ folder: String, intermediate: Bool) throws(InputError) {
            var information = stat()
            if lstat(folder, &information) == 0 {
                guard information.st_mode & S_IFMT == S_IFDIR else { throw InputError(source: folder, message: "is a symlink or a file, not a folder: nothing is written through it") }
                return
            }
            do {
                try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: intermediate)
            } catch {
                throw InputError(source: folder, message: "cannot make the folder")
            }
        }
        try ensureFolder(directory, intermediate: true)
        for file in files {
            let path = FilePath.appending(file.name, to: directory)
            var folder = directory
            for component in FilePath.cleanComponents(file.name).dropLast() {
                folder = FilePath.appending(String(component), to: folder)
                try ensureFolder(folder, intermediate: false)
            }
            do {
                try SafeFileWriter.create(Array(file.contents.utf8), at: path, mode: file.isExecutable ? 0o755 : 0o644)
            } catch {
                throw InputError(source: path, message: error.message)
            }
        }
    }
}
