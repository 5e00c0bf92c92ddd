import Support

/// One member as the lab will run them.
package struct MemberPlan: Sendable {
    package let member: LabMember
    package var name: String { member.name }
    package let container: String
    /// The host port of each service the image runs, in ``LabService`` order.
    package let ports: [(service: LabService, port: Int)]
    package let gpus: [String]
    package let limits: LabLimits
    package let home: String
    package let uid: Int
    /// Not in the state file yet: `up` would give them what is shown.
    package let isNew: Bool
    /// What moved for a member already in the state, and why (a port outside a changed range, GPUs asked anew).
    package let changes: [String]
    /// The day `lab reclaim` took this member's idle GPUs back (they run without GPUs until `lab up MEMBER`).
    package var reclaimed: String?
    /// The member's `until` day has passed: `lab reclaim` stops them and `lab up` does not start them.
    package var isExpired: Bool
    /// The image the member runs instead of the lab's (a snapshot's), until `lab up MEMBER`.
    package var image: String?

    /// The services this member runs, in ``LabService`` order.
    package var services: [LabService] { ports.map(\.service) }
    package func port(of service: LabService) -> Int? { ports.first { $0.service == service }?.port }
}

/// The whole lab as it will run.
package struct LabPlan: Sendable {
    package let definition: LabDefinition
    package let members: [MemberPlan]
    /// The state to record once the plan is carried out.
    package let state: LabState
    /// Members in the state file that the lab file no longer names: their uid and ports stay theirs.
    package let departed: [DepartedMember]
}

/// A member taken out of the lab file, whose uid and ports are kept for them until `lab forget`.
package struct DepartedMember: Sendable, Equatable {
    package let name: String
    package let uid: Int
    package let ports: [LabService: Int]
    /// The day they left, `YYYY-MM-DD`.
    package let since: String
}

/// Gives out ports, GPUs and uids: what the state file records is kept, new members get the lowest free ones.
package enum LabAllocator {
    static let firstUID = 2001

    /// Plans `definition` over what `state` recorded; `today` (`YYYY-MM-DD`) dates members who just left and tells
    /// who expired; `givingBack` names reclaimed members who get GPUs again when they are free (`lab up MEMBER`).
    package static func plan(_ definition: LabDefinition, state: LabState, today: String, givingBack: Set<String> = []) throws(ConfigurationError) -> LabPlan {
        func failure(_ member: LabMember, _ message: String) -> ConfigurationError {
            ConfigurationError(path: definition.path, line: member.line, column: member.column, message: "member '\(member.name)': \(message)")
        }
        let members = definition.members
        let names = Set(members.map(\.name))
        // Members who left keep their uid and ports: nobody else is given them.
        let leavers = state.members.filter { !names.contains($0.key) }

        // uids: asked for, else recorded, else the lowest free from 2001.
        var uids: [String: Int] = [:]
        var usedUIDs = Set(members.compactMap(\.uid))
        for (name, leaver) in leavers {
            if let member = members.first(where: { $0.uid == leaver.uid }) {
                throw failure(member, "uid \(leaver.uid) is kept for \(name), who left the lab; `dockerkit lab forget \(name)` releases it")
            }
            usedUIDs.insert(leaver.uid)
        }
        for member in members {
            if let uid = member.uid {
                uids[member.name] = uid
            } else if let recorded = state.members[member.name]?.uid, !usedUIDs.contains(recorded) {
                uids[member.name] = recorded
                usedUIDs.insert(recorded)
            }
        }
        var nextUID = firstUID
        for member in members where uids[member.name] == nil {
            while usedUIDs.contains(nextUID) { nextUID += 1 }
            guard LabState.uidRange.contains(nextUID) else { throw failure(member, "no free uid is left below \(LabState.uidRange.upperBound)") }
            uids[member.name] = nextUID
            usedUIDs.insert(nextUID)
        }

        // Ports: a recorded port inside its range stays; the rest get the lowest free port; leavers' ports are taken.
        var ports: [String: [LabService: Int]] = [:]
        var changes: [String: [String]] = [:]
        var used = Set(leavers.values.flatMap { $0.ports.values })
        for (service, range) in definition.portRanges {
            for member in members where member.services.contains(service) {
                if let recorded = state.members[member.name]?.ports[service], range.contains(recorded), !used.contains(recorded) {
                    ports[member.name, default: [:]][service] = recorded
                    used.insert(recorded)
                } else if let recorded = state.members[member.name]?.ports[service] {
                    changes[member.name, default: []].append("\(service.rawValue) port \(recorded) is outside \(range.lowerBound)-\(range.upperBound)")
                }
            }
        }
        for (service, range) in definition.portRanges {
            var candidate = range.lowerBound
            for member in members where member.services.contains(service) && ports[member.name]?[service] == nil {
                while candidate <= range.upperBound && used.contains(candidate) { candidate += 1 }
                guard candidate <= range.upperBound else {
                    throw failure(member, "no free \(service.rawValue) port: \(range.lowerBound)-\(range.upperBound) is full (members and those who left keep theirs); widen ports.\(service.rawValue)")
                }
                ports[member.name, default: [:]][service] = candidate
                used.insert(candidate)
            }
        }

        // GPUs: named devices first, then recorded sets that still fit the request, then the lowest free. A member
        // whose idle GPUs were reclaimed gets none, unless given back and they are free.
        var gpus: [String: [String]] = [:]
        var holder: [String: String] = [:]
        var reclaimed: [String: String] = [:]
        for member in members {
            if let day = state.members[member.name]?.reclaimed, !givingBack.contains(member.name) {
                reclaimed[member.name] = day
                gpus[member.name] = []
            }
        }
        for member in members where reclaimed[member.name] == nil {
            guard case .devices(let devices) = member.gpus else { continue }
            for device in devices {
                if let other = holder[device] { throw failure(member, "GPU \(device) is also asked for by \(other)") }
                holder[device] = member.name
            }
            gpus[member.name] = devices
        }
        for member in members where reclaimed[member.name] == nil {
            guard case .count(let count) = member.gpus, count > 0, let recorded = state.members[member.name]?.gpus,
                  recorded.count == count, recorded.allSatisfy({ definition.gpus.contains($0) && holder[$0] == nil }) else { continue }
            for device in recorded { holder[device] = member.name }
            gpus[member.name] = recorded
        }
        for member in members {
            guard case .count(let count) = member.gpus, gpus[member.name] == nil else { continue }
            let free = definition.gpus.filter { holder[$0] == nil }
            if let day = state.members[member.name]?.reclaimed, free.count < count {
                // Given back only when free: until then the member keeps running without.
                reclaimed[member.name] = day
                gpus[member.name] = []
                changes[member.name, default: []].append("GPUs not given back: \(free.count) of the \(count) asked for are free")
                continue
            }
            guard free.count >= count else {
                let held = definition.gpus.compactMap { device in holder[device].map { "\(device): \($0)" } }
                throw failure(member, "asks for \(count) GPUs; \(free.count) of the lab's \(definition.gpus.count) are free (\(held.joined(separator: ", ")))")
            }
            let given = Array(free.prefix(count))
            for device in given { holder[device] = member.name }
            gpus[member.name] = given
            if let recorded = state.members[member.name]?.gpus, !recorded.isEmpty, recorded != given {
                changes[member.name, default: []].append("GPUs \(recorded.joined(separator: ",")) → \(given.isEmpty ? "none" : given.joined(separator: ","))")
            }
        }

        var plans: [MemberPlan] = []
        var newState = LabState()
        for member in members {
            let memberPorts = definition.portRanges.compactMap { entry in ports[member.name]?[entry.service].map { (service: entry.service, port: $0) } }
            let uid = uids[member.name] ?? firstUID
            let memberGPUs = gpus[member.name] ?? []
            let recorded = state.members[member.name]
            // Naming a member in `up` brings them back to the lab's own image.
            let imageOverride = givingBack.contains(member.name) ? nil : recorded?.image
            plans.append(MemberPlan(
                member: member, container: definition.containerName(of: member.name), ports: memberPorts, gpus: memberGPUs,
                limits: definition.limits.overridden(by: member.limits), home: definition.home(of: member.name), uid: uid,
                isNew: recorded == nil, changes: changes[member.name] ?? [], reclaimed: reclaimed[member.name],
                isExpired: member.until.map { $0 < today } ?? false, image: imageOverride))
            newState.members[member.name] = LabState.Member(
                ports: Dictionary(uniqueKeysWithValues: memberPorts.map { ($0.service, $0.port) }), gpus: memberGPUs, uid: uid,
                reclaimed: reclaimed[member.name], image: imageOverride)
        }
        var departed: [DepartedMember] = []
        for name in leavers.keys.sorted() {
            guard let leaver = leavers[name] else { continue }
            let since = leaver.departed ?? today
            departed.append(DepartedMember(name: name, uid: leaver.uid, ports: leaver.ports, since: since))
            newState.members[name] = LabState.Member(ports: leaver.ports, gpus: [], uid: leaver.uid, departed: since)
        }
        return LabPlan(definition: definition, members: plans, state: newState, departed: departed)
    }
}
