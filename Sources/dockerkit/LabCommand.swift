import FoundationEssentials
import Lab
import Lint
import Support
import Templates

/// `dockerkit lab`: runs a shared GPU server's members from one lab.yaml, and exports it to Compose or Kubernetes.
/// Option handling and printing only; the use cases are the Lab target's.
enum LabCommand {
    static let valueOptions: Set<String> = ["--file", "--format", "--output", "--engine", "--host", "--lang"]
    static let flagOptions: Set<String> = ["--help"]
    static let actions = ["plan", "up", "down", "status", "invite", "forget", "export"]
    static let usage = """
        usage: dockerkit lab plan   [-f lab.yaml] [--format table|json]   what `up` would do, and why; changes nothing
               dockerkit lab up     [-f lab.yaml] [MEMBER...]             build the image when missing or changed, create,
                                                                          start or re-create members, check each answers SSH
               dockerkit lab down   [-f lab.yaml] [MEMBER...]             stop and remove member containers; homes are kept
               dockerkit lab status [-f lab.yaml] [--format table|json]   state per member, with why one is not running
               dockerkit lab invite MEMBER [-f lab.yaml] [--host HOST] [--lang en|zh]
                                                                          what a student needs: ssh line, config, host key
               dockerkit lab forget MEMBER [-f lab.yaml]                  release the uid and ports of a member who left
               dockerkit lab export --format compose|kubernetes [-f lab.yaml] [-o DIR]
        options: --engine docker|PATH (else DOCKERKIT_ENGINE, else docker; DOCKER_HOST picks the engine)

        lab.yaml names the lab, its image (the keys `dockerkit new` takes: cuda, flavor, cudnn, os, ssh, vnc, jupyter,
        conda, mirror, python, base, packages, locale, tz, cjk-fonts, tag; or ref: IMAGE), network (bridge|host), bind,
        ports ({ssh: 2200-2299, novnc: …, jupyter: …}), gpus, limits ({memory, cpus, pids, shm}), homes, datasets
        ([{host, path, readonly}]) and members ([{name, key, gpus, limits, uid, vnc, jupyter}]). Relative paths are
        relative to it. network: bridge (the default) gives each member a network of their own, ports published on
        bind; host shares the server's network (and loopback) with every member.
        Uids, ports and GPUs given out are recorded in NAME.state.json beside the lab file (lab.state.json for
        lab.yaml); a member taken out keeps their uid and ports until `lab forget`. Every up, down, forget, re-create
        and build is appended to NAME.log (JSON Lines). Secrets (VNC passwords, Jupyter tokens, SSH host keys) are
        made once into secrets/ (NAME.secrets/ for another lab file), mode 0700.
        Exit status: 0 done (status: every member runs); 1 a member did not start, does not answer SSH, or is not
        running (status), or a container could not be removed (down); 2 bad lab file, state or arguments, or the
        engine failed.
        """

    /// A failure whose text is safe for a terminal: control characters from files or the engine are escaped.
    static func failure(_ text: String) -> CommandFailure {
        CommandFailure(message: text.split(separator: "\n", omittingEmptySubsequences: false)
            .map { String($0).escapingControlCharacters(keepingTabs: true) }.joined(separator: "\n"))
    }

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
            throw failure("dockerkit lab: error: \(error.message)\n\(usage)")
        }
        if options.has("--help") {
            StandardStreams.write(usage + "\n")
            return 0
        }
        guard actions.contains(action) else { throw failure("dockerkit lab: error: unknown action \(action)\n\(usage)") }
        let takesMembers = action == "up" || action == "down"
        let takesOne = action == "invite" || action == "forget"
        if takesOne {
            guard options.positional.count == 1 else { throw failure("dockerkit lab \(action): error: name one member") }
        } else if !takesMembers, let extra = options.positional.first {
            throw failure("dockerkit lab \(action): error: unexpected argument \(extra)")
        }
        let format = options.value("--format")
        switch action {
        case "plan", "status":
            guard format == nil || format == "table" || format == "json" else {
                throw failure("dockerkit lab \(action): error: --format is table or json, not \(format ?? "")")
            }
        case "export":
            guard format == "compose" || format == "kubernetes" else {
                throw failure("dockerkit lab export: error: --format compose or --format kubernetes is required")
            }
        default:
            guard format == nil else { throw failure("dockerkit lab \(action): error: --format is for plan, status and export") }
        }
        let language: LabInvite.Language
        if let lang = options.value("--lang") {
            guard action == "invite", let chosen = LabInvite.Language(rawValue: lang) else {
                throw failure("dockerkit lab \(action): error: --lang is for invite and takes en or zh")
            }
            language = chosen
        } else {
            language = .en
        }
        if options.value("--host") != nil && action != "invite" { throw failure("dockerkit lab \(action): error: --host is for invite") }

        let report: @Sendable (String) -> Void = { line in
            StandardStreams.error("dockerkit lab: \(line.escapingControlCharacters(keepingTabs: true))\n")
            StandardStreams.flush()
        }
        let operations = LabOperations(
            engine: options.value("--engine"), admin: LabAuditLog.admin(environment: ProcessInfo.processInfo.environment),
            report: report, buildProgress: { chunk in chunk.withUnsafeBufferPointer { _ = writeAll($0, to: 2) } })
        do throws(InputError) {
            let path = options.value("--file") ?? "lab.yaml"
            let cwd = FileManager.default.currentDirectoryPath
            if ["up", "down", "forget"].contains(action) {
                // The lock is taken before the state is read, so what is planned is what is written.
                let definition = try LabOperations.load(path, workingDirectory: cwd, today: LabOperations.today()).definition
                try LabOperations.lock(definition) { report("waiting for another lab command on \(definition.path) to finish") }
            }
            let lab = try LabOperations.load(path, workingDirectory: cwd, today: LabOperations.today())
            let plan = lab.plan
            switch action {
            case "plan":
                let preview = operations.preview(plan)
                StandardStreams.write(format == "json" ? planJSON(plan, preview: preview) : planTable(plan, preview: preview))
                return 0
            case "status":
                let statuses = try operations.status(plan)
                StandardStreams.write(format == "json" ? statusJSON(statuses, plan: plan) : statusTable(statuses, plan: plan))
                let down = statuses.filter { $0.plan != nil && $0.state != .running }
                return down.isEmpty ? 0 : 1
            case "export":
                let (directory, count) = try LabOperations.export(plan, format: format == "kubernetes" ? .kubernetes : .compose,
                                                                  to: options.value("--output"), report: report)
                StandardStreams.error("dockerkit lab export: wrote \(count) file\(count == 1 ? "" : "s") to \(directory)\n")
                return 0
            case "down":
                let failed = try operations.down(plan.definition, members: options.positional)
                return failed.isEmpty ? 0 : 1
            case "forget":
                let departed = try operations.forget(lab, member: options.positional[0])
                report("\(departed.name): forgotten; uid \(departed.uid) and ports \(departed.ports.values.sorted().map(String.init).joined(separator: ", ")) may be given to others; home \(plan.definition.home(of: departed.name)) is still on disk")
                return 0
            case "invite":
                let bind = plan.definition.bindAddress
                let host = options.value("--host") ?? ((bind == "0.0.0.0" || bind == "::") ? ProcessInfo.processInfo.hostName : bind)
                StandardStreams.write(try LabOperations.invitation(plan, member: options.positional[0], host: host, language: language))
                return 0
            default:
                let selected = try selectedMembers(options.positional, plan: plan)
                if plan.definition.network == .host {
                    report("network: host: members share this server's network and loopback (127.0.0.1); each member's services get ports of their own, but a service one member opens on localhost is reachable by the others")
                }
                let outcome = try operations.up(lab, members: selected)
                if !outcome.failed.isEmpty {
                    StandardStreams.error("dockerkit lab: \(outcome.failed.count) of \(selected.count) member\(selected.count == 1 ? "" : "s") did not start or do not answer SSH: \(outcome.failed.map(\.name).joined(separator: ", "))\n")
                    return 1
                }
                return 0
            }
        } catch {
            throw failure(error.description)
        }
    }

    /// The members `up` acts on: those named (each must be in lab.yaml), else all. `down` takes names as they are,
    /// since it also removes the containers of members lab.yaml no longer has.
    static func selectedMembers(_ names: [String], plan: LabPlan) throws(InputError) -> [MemberPlan] {
        guard !names.isEmpty else { return plan.members }
        var selected: [MemberPlan] = []
        for name in names {
            guard let member = plan.members.first(where: { $0.name == name }) else {
                throw InputError(source: plan.definition.path, message: "\(name) is not a member")
            }
            selected.append(member)
        }
        return selected
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

    static func planTable(_ plan: LabPlan, preview: LabPreview) -> String {
        var rows = [["MEMBER", "UID", "PORTS", "GPUS", "LIMITS", "ACTION"]]
        for member in plan.members {
            rows.append([member.name, String(member.uid), portsText(member), member.gpus.isEmpty ? "-" : member.gpus.joined(separator: ","),
                         limitsText(member.limits), preview.members[member.name]?.kind.rawValue ?? "-"])
        }
        for departed in plan.departed {
            rows.append([departed.name, String(departed.uid), LabService.allCases.compactMap { service in departed.ports[service].map { "\(service.rawValue) \($0)" } }.joined(separator: ", "),
                         "-", "departed \(departed.since)", preview.members[departed.name]?.kind.rawValue ?? "-"])
        }
        var text = alignedTable(rows)
        if let build = preview.imageBuild { text += "image \(plan.definition.image.tag): build: \(build)\n" }
        if let problem = preview.engineProblem { text += "engine: actions unknown: \(problem)\n" }
        if plan.definition.network == .host {
            text += "network: host: members share this server's loopback; a service one member opens on 127.0.0.1 is reachable by the others\n"
        }
        for member in plan.members {
            for change in member.changes { text += "\(member.name): moved: \(change)\n" }
            if let action = preview.members[member.name], action.kind != .unchanged, action.kind != .unknown, !action.reasons.isEmpty {
                text += "\(member.name): \(action.kind.rawValue): \(action.reasons.joined(separator: "; "))\n"
            }
        }
        for departed in plan.departed {
            text += "\(departed.name): left on \(departed.since); uid \(departed.uid) and ports kept for them until `dockerkit lab forget \(departed.name)`\n"
        }
        return text.split(separator: "\n", omittingEmptySubsequences: false).map { String($0).escapingControlCharacters(keepingTabs: true) }.joined(separator: "\n")
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

    static func writeAction(_ writer: inout JSONWriter, _ action: MemberAction?) {
        writer.key("action")
        writer.string(action?.kind.rawValue ?? "unknown")
        writer.key("reasons")
        writer.stringArray(action?.reasons ?? [])
    }

    static func planJSON(_ plan: LabPlan, preview: LabPreview) -> String {
        labJSON(plan, plan.members, member: { $0 }, fields: { writer, member in
            writer.key("new")
            writer.bool(member.isNew)
            writer.key("changes")
            writer.stringArray(member.changes)
            writeAction(&writer, preview.members[member.name])
        }, after: { writer in
            writer.key("departed")
            writer.beginArray()
            for departed in plan.departed {
                writer.beginObject()
                writer.key("name")
                writer.string(departed.name)
                writer.key("uid")
                writer.number(departed.uid)
                for service in LabService.allCases {
                    writer.key("\(service.rawValue)_port")
                    if let port = departed.ports[service] { writer.number(port) } else { writer.null() }
                }
                writer.key("since")
                writer.string(departed.since)
                writeAction(&writer, preview.members[departed.name])
                writer.endObject()
            }
            writer.endArray()
            writer.key("image")
            writer.beginObject()
            writer.key("tag")
            writer.string(plan.definition.image.tag)
            writer.key("build")
            writer.optionalString(preview.imageBuild)
            writer.endObject()
            writer.key("network")
            writer.string(plan.definition.network.rawValue)
            writer.key("engine_problem")
            writer.optionalString(preview.engineProblem)
        })
    }

    static func secretsText(_ member: MemberPlan, definition: LabDefinition) -> [String] {
        [LabService.novnc, .jupyter].filter { member.port(of: $0) != nil }.map { definition.secretPath(of: member.name, $0) }
    }

    static func statusTable(_ statuses: [MemberStatus], plan: LabPlan) -> String {
        var rows = [["MEMBER", "STATE", "UPTIME", "PORTS", "GPUS", "SECRETS"]]
        for status in statuses {
            let state = status.state.rawValue + (status.health.map { $0 == "healthy" ? "" : " (\($0))" } ?? "")
            rows.append([status.name, state, status.uptime.map(describeDuration) ?? "-", status.plan.map(portsText) ?? "-",
                         status.plan.map { $0.gpus.isEmpty ? "-" : $0.gpus.joined(separator: ",") } ?? "-",
                         status.plan.map { secretsText($0, definition: plan.definition).joined(separator: " ") }?.nonEmpty ?? "-"])
        }
        var text = alignedTable(rows)
        for status in statuses {
            if let reason = status.reason { text += "\(status.name): \(status.state.rawValue): \(reason)\n" }
        }
        return text.split(separator: "\n", omittingEmptySubsequences: false).map { String($0).escapingControlCharacters(keepingTabs: true) }.joined(separator: "\n")
    }

    static func statusJSON(_ statuses: [MemberStatus], plan: LabPlan) -> String {
        var writer = JSONWriter()
        writer.beginObject()
        writer.key("lab")
        writer.string(plan.definition.name)
        writer.key("members")
        writer.beginArray()
        for status in statuses {
            writer.beginObject()
            if let member = status.plan {
                writeMember(&writer, member)
            } else {
                writer.key("name")
                writer.string(status.name)
            }
            writer.key("state")
            writer.string(status.state.rawValue)
            writer.key("reason")
            writer.optionalString(status.reason)
            writer.key("health")
            writer.optionalString(status.health)
            writer.key("uptime_seconds")
            if let uptime = status.uptime { writer.number(uptime) } else { writer.null() }
            writer.key("vnc_password_file")
            writer.optionalString(status.plan?.port(of: .novnc) != nil ? plan.definition.secretPath(of: status.name, .novnc) : nil)
            writer.key("jupyter_token_file")
            writer.optionalString(status.plan?.port(of: .jupyter) != nil ? plan.definition.secretPath(of: status.name, .jupyter) : nil)
            writer.endObject()
        }
        writer.endArray()
        writer.endObject()
        return writer.output + "\n"
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
