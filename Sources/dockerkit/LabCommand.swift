import FoundationEssentials
import Lab
import Lint
import Support
import Templates
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// `dockerkit lab`: runs a shared GPU server's members from one lab.yaml, and exports it to Compose or Kubernetes.
enum LabCommand {
    static let valueOptions: Set<String> = ["--file", "--format", "--output", "--engine"]
    static let flagOptions: Set<String> = ["--help"]
    static let actions = ["plan", "up", "down", "status", "export"]
    static let usage = """
        usage: dockerkit lab plan   [-f lab.yaml] [--format table|json]   what would run; changes nothing
               dockerkit lab up     [-f lab.yaml] [MEMBER...]             build the image when missing, create/start members
               dockerkit lab down   [-f lab.yaml] [MEMBER...]             stop and remove member containers; homes are kept
               dockerkit lab status [-f lab.yaml] [--format table|json]   state, ports, GPUs, uptime per member
               dockerkit lab export --format compose|kubernetes [-f lab.yaml] [-o DIR]
        options: --engine docker|PATH (else DOCKERKIT_ENGINE, else docker; DOCKER_HOST picks the engine)

        lab.yaml names the lab, its image (the keys `dockerkit new` takes: cuda, flavor, cudnn, os, ssh, vnc, jupyter,
        conda, mirror, python, base, packages, locale, tz, cjk-fonts, tag; or ref: IMAGE), network (bridge|host), bind,
        ports ({ssh: 2200-2299, novnc: …, jupyter: …}), gpus, limits ({memory, cpus, pids, shm}), homes, datasets
        ([{host, path, readonly}]) and members ([{name, key, gpus, limits, uid}]). Relative paths are relative to it.
        Ports, GPUs and uids given out are recorded in lab.state.json beside it, so nobody moves when members change.
        Each member logs in over SSH as their name with their key; their home is homes/MEMBER; VNC passwords and
        Jupyter tokens are generated into secrets/MEMBER-vnc and secrets/MEMBER-jupyter (mode 0600).
        Exit status: 0 done, 1 a member did not start, 2 bad lab.yaml, state or arguments, or the engine failed.
        """

    static func run(_ arguments: [String]) throws(CommandFailure) -> Int32 {
        guard let action = arguments.first, !["--help", "-h", "help"].contains(action) else {
            if arguments.isEmpty { throw CommandFailure(message: "dockerkit lab: error: which action?\n\(usage)") }
            StandardStreams.write(usage + "\n")
            return 0
        }
        let options: CommandLineArguments
        do {
            options = try CommandLineArguments(
                Array(arguments.dropFirst()).map { ["-f": "--file", "-o": "--output"][$0] ?? $0 },
                valueOptions: valueOptions, flagOptions: flagOptions)
        } catch {
            throw CommandFailure(message: "dockerkit lab: error: \(error.message)\n\(usage)")
        }
        if options.has("--help") {
            StandardStreams.write(usage + "\n")
            return 0
        }
        let takesMembers = action == "up" || action == "down"
        guard takesMembers || options.positional.isEmpty else {
            throw CommandFailure(message: "dockerkit lab \(action): error: unexpected argument \(options.positional[0])")
        }
        let format = options.value("--format")
        switch action {
        case "plan", "status":
            guard format == nil || format == "table" || format == "json" else {
                throw CommandFailure(message: "dockerkit lab \(action): error: --format is table or json, not \(format ?? "")")
            }
        case "export":
            guard format == "compose" || format == "kubernetes" else {
                throw CommandFailure(message: "dockerkit lab export: error: --format compose or --format kubernetes is required")
            }
        case "up", "down":
            guard format == nil else { throw CommandFailure(message: "dockerkit lab \(action): error: --format is for plan, status and export") }
        default:
            throw CommandFailure(message: "dockerkit lab: error: unknown action \(action)\n\(usage)")
        }

        let loaded = try load(options.value("--file") ?? "lab.yaml")
        let plan = loaded.plan
        let report: @Sendable (String) -> Void = { line in
            StandardStreams.error("dockerkit lab: \(line)\n")
            StandardStreams.flush()
        }
        let engine = LabEngine(engine: options.value("--engine"), report: report)
        let folders = LabFolders(report: report)
        let selected = action == "up" ? try selectedMembers(options.positional, plan: plan) : []
        do throws(InputError) {
            switch action {
            case "plan":
                StandardStreams.write(format == "json" ? planJSON(plan) : planTable(plan))
                return 0
            case "status":
                let statuses = try engine.status(plan)
                StandardStreams.write(format == "json" ? statusJSON(statuses, plan: plan) : statusTable(statuses, plan: plan))
                return 0
            case "export":
                try folders.makeSecrets(plan, members: plan.members)
                try export(plan, format: format ?? "compose", to: options.value("--output"))
                return 0
            case "down":
                try engine.down(labName: plan.definition.name, members: options.positional)
                return 0
            default:
                return try up(plan, loaded: loaded, members: selected, engine: engine, folders: folders)
            }
        } catch {
            throw CommandFailure(message: "\(error.description)")
        }
    }

    struct Loaded {
        let plan: LabPlan
        /// The state file's bytes as read (nil when there was none), to replace it safely.
        let stateBytes: [UInt8]?
    }

    /// Reads lab.yaml and its state, and plans the lab; errors name the file, line and column.
    static func load(_ path: String) throws(CommandFailure) -> Loaded {
        let bytes: [UInt8]
        do {
            bytes = try readInput(path, limit: 1 << 20)
        } catch {
            throw CommandFailure(message: "dockerkit lab: error: \(error.message)\(path == "lab.yaml" ? " (use -f FILE to name another)" : "")")
        }
        let absolute = path.hasPrefix("/") ? path : FilePath.appending(path, to: FileManager.default.currentDirectoryPath)
        let definition: LabDefinition
        do {
            definition = try LabDefinitionReader.read(String(decoding: bytes, as: UTF8.self), path: path, directory: FilePath.parent(absolute)) { file in
                readRegularFile(file, limit: 1 << 20)
            }
        } catch {
            throw CommandFailure(message: error.formatted)
        }
        var state = LabState()
        let stateBytes = readRegularFile(definition.statePath, limit: 16 << 20)
        if let stateBytes {
            do {
                state = try LabState.decode(stateBytes, path: definition.statePath)
            } catch {
                throw CommandFailure(message: "\(definition.statePath): error: \(error.message)")
            }
        }
        do {
            return Loaded(plan: try LabAllocator.plan(definition, state: state), stateBytes: stateBytes)
        } catch {
            throw CommandFailure(message: error.formatted)
        }
    }

    /// A file's bytes when it is a regular file no larger than `limit`.
    static func readRegularFile(_ path: String, limit: Int) -> [UInt8]? {
        var information = stat()
        guard stat(path, &information) == 0, information.st_mode & S_IFMT == S_IFREG, Int(information.st_size) <= limit else { return nil }
        return try? readInput(path, limit: limit)
    }

    /// The members `up` acts on: those named (each must be in lab.yaml), else all. `down` takes names as they are,
    /// since it also removes the containers of members lab.yaml no longer has.
    static func selectedMembers(_ names: [String], plan: LabPlan) throws(CommandFailure) -> [MemberPlan] {
        guard !names.isEmpty else { return plan.members }
        var selected: [MemberPlan] = []
        for name in names {
            guard let member = plan.members.first(where: { $0.name == name }) else {
                throw CommandFailure(message: "dockerkit lab up: error: \(name) is not a member in \(plan.definition.path)")
            }
            selected.append(member)
        }
        return selected
    }

    static func up(_ plan: LabPlan, loaded: Loaded, members: [MemberPlan], engine: LabEngine, folders: LabFolders) throws(InputError) -> Int32 {
        let definition = plan.definition
        try recordState(plan, original: loaded.stateBytes)
        try folders.prepare(plan, members: members)
        let tag = definition.image.tag
        var imageID = try engine.imageID(tag)
        if imageID == nil {
            guard case .generated(let request, _) = definition.image else {
                throw InputError(source: definition.path, message: "image \(tag) is not in the engine's local images; pull or load it first")
            }
            try buildImage(request, tag: tag, engine: engine)
            imageID = try engine.imageID(tag)
        }
        guard let imageID else { throw InputError(source: tag, message: "the engine has no image \(tag) after building it") }
        let failed = try engine.up(plan, members: members, image: tag, imageID: imageID)
        for name in try engine.departedContainers(plan) {
            StandardStreams.error("dockerkit lab: \(name) is no longer in \(definition.path) but has a container; `dockerkit lab down \(name)` removes it\n")
        }
        if !failed.isEmpty {
            StandardStreams.error("dockerkit lab: \(failed.count) of \(members.count) member\(members.count == 1 ? "" : "s") did not start: \(failed.joined(separator: ", "))\n")
            return 1
        }
        return 0
    }

    /// Writes lab.state.json atomically when the plan gave out something new.
    static func recordState(_ plan: LabPlan, original: [UInt8]?) throws(InputError) {
        let text = Array(plan.state.encoded(labName: plan.definition.name).utf8)
        guard text != original else { return }
        do {
            if let original {
                try SafeFileWriter.write(text, to: plan.definition.statePath, expecting: original)
            } else {
                try SafeFileWriter.create(text, at: plan.definition.statePath, mode: 0o644)
            }
        } catch {
            throw InputError(source: plan.definition.statePath, message: error.message)
        }
    }

    /// Generates the lab image (as `dockerkit new` would) into a temporary folder and builds it.
    static func buildImage(_ request: LabImageRequest, tag: String, engine: LabEngine) throws(InputError) {
        let image: LabImage
        do {
            image = try LabImageGenerator().generate(request, invocation: "dockerkit lab up (image: in lab.yaml)")
        } catch {
            throw InputError(source: "lab.yaml", message: "image: \(error)")
        }
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
        StandardStreams.error("dockerkit lab: building \(tag) from \(image.baseImage) (the image is missing)\n")
        StandardStreams.flush()
        try engine.build(folder, tag: tag) { chunk in chunk.withUnsafeBufferPointer { _ = writeAll($0, to: 2) } }
    }

    static func export(_ plan: LabPlan, format: String, to output: String?) throws(InputError) {
        let directory = output ?? FilePath.appending("lab-\(format)", to: plan.definition.directory)
        var files: [ExportedFile]
        if format == "compose" {
            var imageFolder: String?
            files = []
            if case .generated(let request, _) = plan.definition.image {
                do {
                    let image = try LabImageGenerator().generate(request, invocation: "dockerkit lab export (image: in lab.yaml)")
                    files += image.files.map { ExportedFile(name: "image/\($0.name)", contents: $0.contents, isExecutable: $0.isExecutable) }
                    imageFolder = "./image"
                } catch {
                    throw InputError(source: plan.definition.path, message: "image: \(error)")
                }
            }
            files.append(LabExport.compose(plan, imageFolder: imageFolder))
        } else {
            files = LabExport.kubernetes(plan)
        }
        for file in files {
            let path = FilePath.appending(file.name, to: directory)
            do {
                try FileManager.default.createDirectory(atPath: FilePath.parent(path), withIntermediateDirectories: true)
            } catch {
                throw InputError(source: FilePath.parent(path), message: "cannot make the folder")
            }
            do {
                try SafeFileWriter.create(Array(file.contents.utf8), at: path, mode: file.isExecutable ? 0o755 : 0o644)
            } catch {
                throw InputError(source: path, message: error.message)
            }
        }
        StandardStreams.error("dockerkit lab export: wrote \(files.count) file\(files.count == 1 ? "" : "s") to \(directory)\n")
    }

    static func limitsText(_ limits: LabLimits) -> String {
        var parts: [String] = []
        if let memory = limits.memory { parts.append("mem \(describeByteSize(memory))") }
        if let cpus = limits.cpus { parts.append("cpus \(cpus == cpus.rounded() ? String(Int(cpus)) : String(cpus))") }
        if let pids = limits.pids { parts.append("pids \(pids)") }
        if let shm = limits.shm { parts.append("shm \(describeByteSize(shm))") }
        return parts.isEmpty ? "-" : parts.joined(separator: ", ")
    }

    static func portsText(_ member: MemberPlan) -> String {
        member.ports.map { "\($0.service.rawValue) \($0.port)" }.joined(separator: ", ")
    }

    static func planTable(_ plan: LabPlan) -> String {
        var rows = [["MEMBER", "UID", "PORTS", "GPUS", "LIMITS", ""]]
        for member in plan.members {
            rows.append([member.name, String(member.uid), portsText(member), member.gpus.isEmpty ? "-" : member.gpus.joined(separator: ","),
                         limitsText(member.limits), member.isNew ? "new" : ""])
        }
        var text = alignedTable(rows)
        for member in plan.members {
            for change in member.changes { text += "\(member.name): moved: \(change)\n" }
        }
        for name in plan.departed { text += "\(name): no longer in \(FilePath.lastComponent(plan.definition.path)); their ports and GPUs are free\n" }
        return text
    }

    static func writeMember(_ writer: inout JSONWriter, _ member: MemberPlan) {
        writer.key("name")
        writer.string(member.name)
        for service in LabService.allCases {
            writer.key("\(service.rawValue)_port")
            if let port = member.port(of: service) { writer.number(port) } else { writer.null() }
        }
        writer.key("gpus")
        writer.stringArray(member.gpus)
        writer.key("limits")
        writer.beginObject()
        writer.key("memory")
        if let memory = member.limits.memory { writer.number(memory) } else { writer.null() }
        writer.key("cpus")
        if let cpus = member.limits.cpus { writer.number(cpus) } else { writer.null() }
        writer.key("pids")
        if let pids = member.limits.pids { writer.number(pids) } else { writer.null() }
        writer.key("shm")
        if let shm = member.limits.shm { writer.number(shm) } else { writer.null() }
        writer.endObject()
        writer.key("home")
        writer.string(member.home)
        writer.key("container")
        writer.string(member.container)
        writer.key("uid")
        writer.number(member.uid)
    }

    /// `{"lab": …, "members": [{…}, …], …}`, the shape `plan` and `status` share: each item's member fields, then
    /// its own, then what follows the members.
    static func labJSON<Item>(_ plan: LabPlan, _ items: [Item], member: (Item) -> MemberPlan, fields: (inout JSONWriter, Item) -> Void,
                              after: (inout JSONWriter) -> Void = { _ in }) -> String {
        var writer = JSONWriter()
        writer.beginObject()
        writer.key("lab")
        writer.string(plan.definition.name)
        writer.key("members")
        writer.beginArray()
        for item in items {
            writer.beginObject()
            writeMember(&writer, member(item))
            fields(&writer, item)
            writer.endObject()
        }
        writer.endArray()
        after(&writer)
        writer.endObject()
        return writer.output + "\n"
    }

    static func planJSON(_ plan: LabPlan) -> String {
        labJSON(plan, plan.members, member: { $0 }, fields: { writer, member in
            writer.key("new")
            writer.bool(member.isNew)
            writer.key("changes")
            writer.stringArray(member.changes)
        }, after: { writer in
            writer.key("departed")
            writer.stringArray(plan.departed)
        })
    }

    static func secretsText(_ member: MemberPlan, definition: LabDefinition) -> [String] {
        [LabService.novnc, .jupyter].filter { member.port(of: $0) != nil }.map { definition.secretPath(of: member.name, $0) }
    }

    static func statusTable(_ statuses: [MemberStatus], plan: LabPlan) -> String {
        var rows = [["MEMBER", "STATE", "UPTIME", "PORTS", "GPUS", "SECRETS"]]
        for status in statuses {
            let member = status.plan
            let state = status.state.rawValue + (status.health.map { $0 == "healthy" ? "" : " (\($0))" } ?? "")
            rows.append([member.name, state, status.uptime.map(describeDuration) ?? "-", portsText(member),
                         member.gpus.isEmpty ? "-" : member.gpus.joined(separator: ","),
                         secretsText(member, definition: plan.definition).joined(separator: " ").nonEmpty ?? "-"])
        }
        return alignedTable(rows)
    }

    static func statusJSON(_ statuses: [MemberStatus], plan: LabPlan) -> String {
        labJSON(plan, statuses, member: \.plan, fields: { writer, status in
            writer.key("state")
            writer.string(status.state.rawValue)
            writer.key("health")
            writer.optionalString(status.health)
            writer.key("uptime_seconds")
            if let uptime = status.uptime { writer.number(uptime) } else { writer.null() }
            writer.key("vnc_password_file")
            writer.optionalString(status.plan.port(of: .novnc) != nil ? plan.definition.secretPath(of: status.plan.name, .novnc) : nil)
            writer.key("jupyter_token_file")
            writer.optionalString(status.plan.port(of: .jupyter) != nil ? plan.definition.secretPath(of: status.plan.name, .jupyter) : nil)
        })
    }

    /// `3d 4h`, `5h 12m`, `42s`.
    static func describeDuration(_ seconds: Int) -> String {
        if seconds >= 86400 { return "\(seconds / 86400)d \(seconds % 86400 / 3600)h" }
        if seconds >= 3600 { return "\(seconds / 3600)h \(seconds % 3600 / 60)m" }
        if seconds >= 60 { return "\(seconds / 60)m \(seconds % 60)s" }
        return "\(seconds)s"
    }
}

private extension String {
    var nonEmpty: String? { isEmpty ? nil : self }
}
