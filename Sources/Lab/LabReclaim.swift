import FoundationEssentials
import Support

/// What `lab reclaim` did to one member.
package struct ReclaimAction: Sendable, Equatable {
    package enum Kind: String, Sendable {
        /// Stopped: past their `until` day.
        case expired
        /// Re-created without their GPUs: idle past `reclaim.gpu-idle`.
        case gpusReclaimed = "gpus-reclaimed"
    }

    package let member: String
    package let kind: Kind
    package let reason: String
}

extension LabOperations {
    /// Stops members past their `until` day and takes back GPUs idle longer than `reclaim.gpu-idle` (the member is
    /// re-created without them, home and settings otherwise kept, and told why at their next login). Meant for a
    /// timer; each action goes to the audit log. `readings` are the GPU readings (nil reads the host's).
    package func reclaim(_ lab: LoadedLab, readings: Result<GPUReadings, GPUReadingFailure>? = nil, environment: [String: String],
                         today: String, now: Int = Int(Date().timeIntervalSince1970)) throws(InputError) -> [ReclaimAction] {
        let definition = lab.definition
        let log = LabAuditLog(path: definition.logPath, admin: admin)
        var actions: [ReclaimAction] = []
        let containers = try engine.containers(ofLab: definition.name)
        for member in lab.plan.members where member.isExpired {
            guard let container = containers.first(where: { $0.member == member.name }) else { continue }
            let reason = "past until \(member.member.until ?? "?")"
            do {
                guard try stopExpired(member, container: container, command: "reclaim", log: log) else { continue }
                report("\(member.name): stopped, \(reason); home kept (extend until: in \(FilePath.lastComponent(definition.path)) and `lab up \(member.name)` to run again)")
                actions.append(ReclaimAction(member: member.name, kind: .expired, reason: reason))
            } catch {
                report("\(member.name): could not be stopped: \(error.message)")
            }
        }
        guard let limit = definition.gpuIdleLimit else { return actions }
        let usage = try self.usage(lab.plan, readings: readings, environment: environment, now: now)
        if let problem = usage.gpuProblem {
            report("GPU idle time not known (\(problem)); no GPU is reclaimed")
            return actions
        }
        var state = lab.plan.state
        var reclaimed: [String] = []
        for member in usage.members {
            guard let idle = member.gpuIdleSeconds, idle >= limit,
                  let plan = lab.plan.members.first(where: { $0.name == member.name }), !plan.gpus.isEmpty, !plan.isExpired else { continue }
            state.members[member.name]?.reclaimed = today
            state.members[member.name]?.gpus = []
            reclaimed.append(member.name)
        }
        guard !reclaimed.isEmpty else { return actions }
        let limitsWritableLayer = LabQuota.engineLimitsWritableLayers(engine)
        guard let imageID = try engine.image(definition.image.tag)?.id else {
            throw InputError(source: definition.image.tag, message: "the image is not in the engine's local images; `lab up` builds it")
        }
        // The members are planned again without their GPUs, then made again as `up` makes them.
        let updated = LoadedLab(plan: lab.plan.withState(state), stateOriginal: lab.stateOriginal)
        try recordState(updated)
        let replanned: LabPlan
        do {
            replanned = try LabAllocator.plan(definition, state: state, today: today)
        } catch {
            throw InputError(source: error.path, line: error.line, column: error.column, message: error.message)
        }
        for name in reclaimed {
            guard let member = replanned.members.first(where: { $0.name == name }) else { continue }
            let idle = usage.members.first { $0.name == name }?.gpuIdleSeconds ?? 0
            let reason = "GPUs idle for \(idle / 3600) h (limit \(limit / 3600) h)"
            let notice = "dockerkit lab: your GPUs were idle for \(idle / 3600) h and were given back to the lab on \(today); ask the admin (`dockerkit lab up \(name)`) to have them again."
            do {
                if let existing = try engine.container(named: member.container) { try engine.remove(existing.id) }
                let spec = LabContainerSpec(member, in: replanned, image: definition.image.tag, imageID: imageID, notice: notice,
                                            limitsWritableLayer: limitsWritableLayer)
                try engine.create(spec, image: definition.image.tag)
                try engine.start(member.container)
                log.append(command: "reclaim", member: name, action: "reclaim-gpus", reason: reason)
                report("\(name): re-created without GPUs: \(reason); home kept")
                actions.append(ReclaimAction(member: name, kind: .gpusReclaimed, reason: reason))
            } catch {
                report("\(name): GPUs could not be reclaimed: \(error.message)")
            }
        }
        return actions
    }
}

extension LabPlan {
    /// The same plan with another state to record.
    func withState(_ state: LabState) -> LabPlan {
        LabPlan(definition: definition, members: members, state: state, departed: departed)
    }
}
