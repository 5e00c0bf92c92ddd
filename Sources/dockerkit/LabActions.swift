import FoundationEssentials
import Lab
import Lint
import Support
import Templates

extension LabCommand {
    /// Runs a validated action: the Lab target's use case, then its report and exit status.
    static func perform(_ action: String, options: CommandLineArguments, format: String?, language: LabInvite.Language) throws(CommandFailure) -> Int32 {
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
            let definition = try LabOperations.readDefinition(path, workingDirectory: cwd)
            if ["up", "down", "forget", "reclaim", "snapshot", "restore", "save"].contains(action) {
                // The lock is taken before the state is read, so what is planned is what is written.
                try LabOperations.lock(definition) { report("waiting for another lab command on \(definition.path) to finish") }
            }
            // `up alice` gives a member their reclaimed GPUs back, when they are free.
            let givingBack = action == "up" ? Set(options.positional) : []
            let lab = try LabOperations.load(definition, today: LabOperations.today(), givingBack: givingBack)
            let reportsOnly = ["plan", "status", "doctor", "top", "snapshots", "export", "invite"].contains(action)
            return reportsOnly ? try inspect(action, lab: lab, operations: operations, options: options, format: format, language: language, report: report)
                : try change(action, lab: lab, operations: operations, options: options, report: report)
        } catch {
            throw failure(error.description)
        }
    }

    /// The actions that read and report: plan, status, doctor, top, snapshots, export, invite.
    private static func inspect(_ action: String, lab: LoadedLab, operations: LabOperations, options: CommandLineArguments, format: String?,
                                language: LabInvite.Language, report: @escaping @Sendable (String) -> Void) throws(InputError) -> Int32 {
        let plan = lab.plan
        switch action {
        case "plan":
            let preview = operations.preview(plan)
            StandardStreams.write(format == "json" ? LabReports.planJSON(plan, preview: preview) : LabReports.planTable(plan, preview: preview))
            return 0
        case "status":
            let statuses = try operations.status(plan)
            let environment = ProcessInfo.processInfo.environment
            let down = statuses.filter { $0.plan != nil && $0.state != .running && $0.plan?.isExpired != true }
            if format == "html", let output = options.value("--output") {
                let usage = try? operations.usage(plan, environment: environment)
                let checks = LabDoctor(engine: operations.engine, environment: environment).checks(plan)
                let page = LabStatusPage.render(plan, statuses: statuses, usage: usage, checks: checks,
                                                generated: UTCTime(secondsSince1970: Int(Date().timeIntervalSince1970)).rfc3339)
                do {
                    try SafeFileWriter.create(Array(page.utf8), at: output, mode: 0o644)
                } catch {
                    throw InputError(source: output, message: error.message)
                }
                report("wrote the status page to \(output)")
                return down.isEmpty ? 0 : 1
            }
            if options.has("--usage") {
                let usage = try operations.usage(plan, environment: environment)
                StandardStreams.write(format == "json" ? LabReports.usageJSON(usage, plan: plan) : LabReports.usageTable(usage))
                return down.isEmpty ? 0 : 1
            }
            StandardStreams.write(format == "json" ? LabReports.statusJSON(statuses, plan: plan) : LabReports.statusTable(statuses, plan: plan))
            return down.isEmpty ? 0 : 1
        case "doctor":
            let checks = LabDoctor(engine: operations.engine, environment: ProcessInfo.processInfo.environment).checks(plan)
            StandardStreams.write(format == "json" ? LabReports.doctorJSON(checks) : LabReports.doctorTable(checks))
            return checks.contains { $0.status == .fail } ? 1 : 0
        case "top":
            let usage = try operations.usage(plan, environment: ProcessInfo.processInfo.environment)
            StandardStreams.write(format == "json" ? LabReports.usageJSON(usage, plan: plan) : LabReports.usageTable(usage))
            return 0
        case "snapshots":
            let snapshots = try operations.snapshots(plan.definition)
            StandardStreams.write(format == "json" ? LabReports.snapshotsJSON(snapshots) : LabReports.snapshotsTable(snapshots))
            return 0
        case "export":
            let (directory, count) = try LabOperations.export(plan, format: format == "kubernetes" ? .kubernetes : .compose, to: options.value("--output"),
                                                              kubernetes: try kubernetesOptions(options), report: report)
            StandardStreams.error("dockerkit lab export: wrote \(count) file\(count == 1 ? "" : "s") to \(directory)\n")
            return 0
        case "invite":
            let bind = plan.definition.bindAddress
            let host = options.value("--host") ?? ((bind == "0.0.0.0" || bind == "::") ? ProcessInfo.processInfo.hostName : bind)
            StandardStreams.write(try LabOperations.invitation(plan, member: options.positional[0], host: host, language: language))
            return 0
        default:
            return 2
        }
    }

    /// The actions that change members: up (the default), reclaim, snapshot, restore, save, down, forget.
    private static func change(_ action: String, lab: LoadedLab, operations: LabOperations, options: CommandLineArguments,
                               report: @escaping @Sendable (String) -> Void) throws(InputError) -> Int32 {
        let plan = lab.plan
        switch action {
        case "reclaim":
            let actions = try operations.reclaim(lab, environment: ProcessInfo.processInfo.environment, today: LabOperations.today())
            if actions.isEmpty { report("nothing to reclaim") }
            return 0
        case "snapshot":
            let names = options.has("--all") ? plan.members.map(\.name) : options.positional
            for name in names {
                let snapshot = try operations.snapshot(plan, member: name, container: options.has("--container"), environment: ProcessInfo.processInfo.environment)
                report("\(name): saved \(snapshot.name) (\(describeByteSize(snapshot.bytes)))\(snapshot.image.map { " and image \($0)" } ?? "") to \(snapshot.archive)")
            }
            return 0
        case "restore":
            let aside = try operations.restore(lab, member: options.positional[0], snapshot: options.positional[1], onImage: options.has("--image"),
                                               environment: ProcessInfo.processInfo.environment)
            report("\(options.positional[0]): home restored from \(options.positional[1]); the home before is kept as \(aside)")
            return 0
        case "down":
            let failed = try operations.down(plan.definition, members: options.positional)
            return failed.isEmpty ? 0 : 1
        case "save":
            let saved = try operations.save(lab, member: options.positional[0], buildImage: options.has("--image"), today: LabOperations.today())
            let reversal = saved.reversal
            report("\(options.positional[0]): wrote \(saved.dockerfile) and \(saved.context)/: \(reversal.aptInstalled.count) apt package(s) installed, "
                + "\(reversal.aptRemoved.count) removed, \(reversal.pipInstalled.count) pip package(s), \(reversal.copied.values.map(\.count).reduce(0, +)) file(s) copied, "
                + "\(reversal.deleted.count) removed")
            if let image = saved.image {
                report("\(options.positional[0]): built \(image); the next `lab up` that re-creates them runs it (`lab up \(options.positional[0])` goes back to the lab's image)")
            }
            return 0
        case "forget":
            let departed = try operations.forget(lab, member: options.positional[0])
            report("\(departed.name): forgotten; uid \(departed.uid) and ports \(departed.ports.values.sorted().map(String.init).joined(separator: ", ")) may be given to others; home \(plan.definition.home(of: departed.name)) is still on disk")
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
    }

    /// `--registry`, `--node-port-range LOW-HIGH` and `--service-type NodePort|LoadBalancer|ClusterIP`.
    static func kubernetesOptions(_ options: CommandLineArguments) throws(InputError) -> LabExport.KubernetesOptions {
        var result = LabExport.KubernetesOptions()
        result.registry = options.value("--registry")
        result.homesJob = options.has("--homes-job")
        if let range = options.value("--node-port-range") {
            let parts = range.split(separator: "-").compactMap { Int($0) }
            guard parts.count == 2, parts[0] >= 1, parts[0] <= parts[1], parts[1] <= 65535 else {
                throw InputError(source: "--node-port-range", message: "expected LOW-HIGH like 30000-32767, not \(range.escapingControlCharacters())")
            }
            result.nodePorts = parts[0]...parts[1]
        }
        if let type = options.value("--service-type") {
            guard ["NodePort", "LoadBalancer", "ClusterIP"].contains(type) else {
                throw InputError(source: "--service-type", message: "expected NodePort, LoadBalancer or ClusterIP, not \(type.escapingControlCharacters())")
            }
            result.serviceType = type
        }
        return result
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
}
