import FoundationEssentials
import Lab
import Lint
import Support
import Templates

/// What `dockerkit lab` prints: its help, tables and JSON for plan, status, doctor, top and snapshots.
enum LabReports {
    static let help = """
        usage: dockerkit lab plan   [-f lab.yaml] [--format table|json]   what `up` would do, and why; changes nothing
               dockerkit lab up     [-f lab.yaml] [MEMBER...]             build the image when missing or changed, create,
                                                                          start or re-create members, check each answers SSH
               dockerkit lab down   [-f lab.yaml] [MEMBER...]             stop and remove member containers; homes are kept
               dockerkit lab status [-f lab.yaml] [--format table|json]   state per member, with why one is not running
               dockerkit lab invite MEMBER [-f lab.yaml] [--host HOST] [--lang en|zh]
                                                                          what a student needs: ssh line, config, host key
               dockerkit lab forget MEMBER [-f lab.yaml]                  release the uid and ports of a member who left
               dockerkit lab doctor [-f lab.yaml] [--format table|json]   check the host: engine, NVIDIA runtime, driver and
                                                                          CUDA, GPUs, ports, homes' space and quotas
               dockerkit lab top    [-f lab.yaml] [--format table|json]   CPU, memory, GPUs, idle time, home size per member
               dockerkit lab reclaim [-f lab.yaml]                        stop members past until, take back idle GPUs
               dockerkit lab snapshot MEMBER...|--all [--container] [-f lab.yaml]
                                                                          save homes (and containers, as images)
               dockerkit lab snapshots [-f lab.yaml] [--format table|json]
               dockerkit lab restore MEMBER SNAPSHOT [--image] [-f lab.yaml]
                                                                          put a home back (the current one is kept aside);
                                                                          --image: run on the snapshot's image until `up MEMBER`
               dockerkit lab save MEMBER [--image] [-f lab.yaml]          what a member installed in their container (packages,
                                                                          files) as LAB-MEMBER.Dockerfile and .context/;
                                                                          --image: build LAB/MEMBER:saved-DAY and run them on it
                                                                          from the next re-create (until `up MEMBER`)
               dockerkit lab status --format html -o FILE                 one self-contained status page, no secrets in it
               dockerkit lab export --format compose|kubernetes [-f lab.yaml] [-o DIR]
                      kubernetes: [--registry HOST/PATH] [--node-port-range LOW-HIGH] [--service-type NodePort|LoadBalancer|ClusterIP]
                                  [--homes-job]   (a Job per member copying their home here into its volume)
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
        for note in preview.diskNotes { text += "disk: \(note)\n" }
        if plan.definition.network == .host {
            text += "network: host: members share this server's loopback; a service one member opens on 127.0.0.1 is reachable by the others\n"
        }
        for member in plan.members {
            for change in member.changes { text += "\(member.name): moved: \(change)\n" }
            if let day = member.reclaimed { text += "\(member.name): GPUs reclaimed on \(day) (idle); `dockerkit lab up \(member.name)` gives them back when free\n" }
            if member.isExpired { text += "\(member.name): expired: past until \(member.member.until ?? "?")\n" }
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
            writer.optionalNumber(member.port(of: service))
        }
        writer.key("gpus")
        writer.stringArray(member.gpus)
        writer.key("limits")
        writer.beginObject()
        writer.key("memory")
        writer.optionalNumber(member.limits.memory)
        writer.key("cpus")
        writer.optionalNumber(member.limits.cpus)
        writer.key("pids")
        writer.optionalNumber(member.limits.pids)
        writer.key("shm")
        writer.optionalNumber(member.limits.shm)
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
            writer.key("until")
            writer.optionalString(member.member.until)
            writer.key("expired")
            writer.bool(member.isExpired)
            writer.key("reclaimed")
            writer.optionalString(member.reclaimed)
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
                    writer.optionalNumber(departed.ports[service])
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
            writer.key("disk_notes")
            writer.stringArray(preview.diskNotes)
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
            writer.optionalNumber(status.uptime)
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

    static func doctorTable(_ checks: [DoctorCheck]) -> String {
        var text = alignedTable([["CHECK", "STATUS", "SEEN"]] + checks.map { [$0.name, $0.status.rawValue, $0.detail] })
        for check in checks where !check.fix.isEmpty { text += "\(check.name): fix: \(check.fix)\n" }
        return text.escapingControlCharacters(keepingTabs: true).replacingAll("\\n", with: "\n")
    }

    static func doctorJSON(_ checks: [DoctorCheck]) -> String {
        var writer = JSONWriter()
        writer.beginObject()
        writer.key("ok")
        writer.bool(!checks.contains { $0.status == .fail })
        writer.key("checks")
        writer.beginArray()
        for check in checks {
            writer.beginObject()
            writer.key("name")
            writer.string(check.name)
            writer.key("status")
            writer.string(check.status.rawValue)
            writer.key("detail")
            writer.string(check.detail)
            writer.key("fix")
            writer.string(check.fix)
            writer.endObject()
        }
        writer.endArray()
        writer.endObject()
        return writer.output + "\n"
    }

    static func usageTable(_ usage: LabUsageReport) -> String {
        var rows = [["MEMBER", "STATE", "CPU", "MEMORY", "GPUS", "GPU IDLE", "HOME", "LAST LOGIN"]]
        for member in usage.members {
            var gpuTexts: [String] = []
            for gpu in member.gpus {
                let utilization: String = gpu.utilization.map { "\($0)%" } ?? "?"
                gpuTexts.append("\(gpu.gpu): \(utilization) \(gpu.memoryUsed) MiB")
            }
            let cpu: String = member.cpuPercent.map { "\(Double(Int($0 * 10)) / 10)%" } ?? "-"
            let memory: String = member.memoryBytes.map(describeByteSize) ?? "-"
            let idle: String = member.gpuIdleSeconds.map(describeDuration) ?? "-"
            let home: String = member.homeBytes.map(describeByteSize) ?? "-"
            let row: [String] = [member.name, member.state, cpu, memory, gpuTexts.isEmpty ? "-" : gpuTexts.joined(separator: ", "), idle, home, member.lastLogin ?? "-"]
            rows.append(row)
        }
        var text = alignedTable(rows)
        text += "GPUs nobody holds: \(usage.freeGPUs.isEmpty ? "none" : usage.freeGPUs.joined(separator: ", "))\n"
        if let problem = usage.gpuProblem { text += "GPUs: \(problem)\n" }
        if let problem = usage.engineProblem { text += "engine: \(problem)\n" }
        for member in usage.members { for warning in member.warnings { text += "\(member.name): \(warning)\n" } }
        return text.split(separator: "\n", omittingEmptySubsequences: false).map { String($0).escapingControlCharacters(keepingTabs: true) }.joined(separator: "\n")
    }

    static func usageJSON(_ usage: LabUsageReport, plan: LabPlan) -> String {
        var writer = JSONWriter()
        writer.beginObject()
        writer.key("lab")
        writer.string(plan.definition.name)
        writer.key("members")
        writer.beginArray()
        for member in usage.members {
            writer.beginObject()
            writer.key("name")
            writer.string(member.name)
            writer.key("state")
            writer.string(member.state)
            writer.key("cpu_percent")
            writer.optionalNumber(member.cpuPercent)
            writer.key("memory")
            writer.optionalNumber(member.memoryBytes)
            writer.key("memory_limit")
            writer.optionalNumber(member.memoryLimit)
            writer.key("home_bytes")
            writer.optionalNumber(member.homeBytes)
            writer.key("disk_limit")
            writer.optionalNumber(member.diskLimit)
            writer.key("last_login")
            writer.optionalString(member.lastLogin)
            writer.key("gpus")
            writer.beginArray()
            for gpu in member.gpus {
                writer.beginObject()
                writer.key("gpu")
                writer.string(gpu.gpu)
                writer.key("utilization")
                writer.optionalNumber(gpu.utilization)
                writer.key("memory_used_mib")
                writer.number(gpu.memoryUsed)
                writer.key("memory_total_mib")
                writer.optionalNumber(gpu.memoryTotal)
                writer.endObject()
            }
            writer.endArray()
            writer.key("gpu_idle_seconds")
            writer.optionalNumber(member.gpuIdleSeconds)
            writer.key("warnings")
            writer.stringArray(member.warnings)
            writer.endObject()
        }
        writer.endArray()
        writer.key("free_gpus")
        writer.stringArray(usage.freeGPUs)
        writer.key("gpu_problem")
        writer.optionalString(usage.gpuProblem)
        writer.key("engine_problem")
        writer.optionalString(usage.engineProblem)
        writer.endObject()
        return writer.output + "\n"
    }

    static func snapshotsTable(_ snapshots: [LabSnapshot]) -> String {
        alignedTable([["SNAPSHOT", "MEMBER", "CREATED", "SIZE", "IMAGE"]] + snapshots.map {
            [$0.name, $0.member, $0.created, describeByteSize($0.bytes), $0.image ?? "-"]
        })
    }

    static func snapshotsJSON(_ snapshots: [LabSnapshot]) -> String {
        var writer = JSONWriter()
        writer.beginObject()
        writer.key("snapshots")
        writer.beginArray()
        for snapshot in snapshots { snapshot.write(to: &writer, archive: snapshot.archive) }
        writer.endArray()
        writer.endObject()
        return writer.output + "\n"
    }
}

private extension String {
    var nonEmpty: String? { isEmpty ? nil : self }
}
