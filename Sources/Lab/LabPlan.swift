import Lint
import Support

/// What `lab.state.json` records: the ports, GPUs and uid each member was given, so they never move.
package struct LabState: Sendable, Equatable {
    package struct Member: Sendable, Equatable {
        package var ports: [LabService: Int]
        package var gpus: [String]
        package var uid: Int
    }

    package var members: [String: Member]

    package init(members: [String: Member] = [:]) {
        self.members = members
    }

    /// Reads a state file; `path` names it in errors.
    package static func decode(_ bytes: [UInt8], path: String) throws(InputError) -> LabState {
        let document: JSONValue
        do {
            document = try JSONValue.parse(bytes)
        } catch {
            throw InputError(source: path, message: "not JSON (\(error.message)); fix it or move it away to allocate afresh")
        }
        guard case .object(let entries)? = document["members"] else {
            throw InputError(source: path, message: "no \"members\" object; fix it or move it away to allocate afresh")
        }
        var members: [String: Member] = [:]
        for (name, value) in entries {
            guard let uid = value["uid"]?.integer.map(Int.init), case .object(let portEntries)? = value["ports"] else {
                throw InputError(source: path, message: "member \(name): \"uid\" and \"ports\" are required")
            }
            var ports: [LabService: Int] = [:]
            for (service, port) in portEntries {
                guard let known = LabService(rawValue: service), let number = port.integer.map(Int.init), (1...65535).contains(number) else {
                    throw InputError(source: path, message: "member \(name): port \(service) is not a known service with a port number")
                }
                ports[known] = number
            }
            let gpus = (value["gpus"]?.array ?? []).compactMap(\.string)
            members[name] = Member(ports: ports, gpus: gpus, uid: uid)
        }
        return LabState(members: members)
    }

    /// The file's text: one member a line, sorted, so changes read well in a diff.
    package func encoded(labName: String) -> String {
        var text = "{\n  \"lab\": \(JSONWriter.quoted(labName)),\n  \"members\": {"
        for (index, name) in members.keys.sorted().enumerated() {
            guard let member = members[name] else { continue }
            var writer = JSONWriter()
            writer.beginObject()
            writer.key("uid")
            writer.number(member.uid)
            writer.key("gpus")
            writer.stringArray(member.gpus)
            writer.key("ports")
            writer.beginObject()
            for service in LabService.allCases {
                guard let port = member.ports[service] else { continue }
                writer.key(service.rawValue)
                writer.number(port)
            }
            writer.endObject()
            writer.endObject()
            text += (index == 0 ? "\n" : ",\n") + "    \(JSONWriter.quoted(name)): \(writer.output)"
        }
        text += members.isEmpty ? "}\n}\n" : "\n  }\n}\n"
        return text
    }
}

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

    package func port(of service: LabService) -> Int? { ports.first { $0.service == service }?.port }
}

/// The whole lab as it will run.
package struct LabPlan: Sendable {
    package let definition: LabDefinition
    package let members: [MemberPlan]
    /// The state to record once the plan is carried out.
    package let state: LabState
    /// Members in the state file that lab.yaml no longer names (their ports and GPUs are free again).
    package let departed: [String]
}

/// Gives out ports, GPUs and uids: what the state file records is kept, new members get the lowest free ones.
package enum LabAllocator {
    static let firstUID = 2001

    package static func plan(_ definition: LabDefinition, state: LabState) throws(ConfigurationError) -> LabPlan {
        func failure(_ member: LabMember, _ message: String) -> ConfigurationError {
            ConfigurationError(path: definition.path, line: member.line, column: member.column, message: "member '\(member.name)': \(message)")
        }
        let members = definition.members

        // uids: asked for, else recorded, else the lowest free from 2001.
        var uids: [String: Int] = [:]
        var usedUIDs = Set(members.compactMap(\.uid))
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
            uids[member.name] = nextUID
            usedUIDs.insert(nextUID)
        }

        // Ports: a recorded port inside its range stays; the rest get the lowest free port.
        var ports: [String: [LabService: Int]] = [:]
        var changes: [String: [String]] = [:]
        for (service, range) in definition.portRanges {
            var used: Set<Int> = []
            for member in members {
                if let recorded = state.members[member.name]?.ports[service], range.contains(recorded), !used.contains(recorded) {
                    ports[member.name, default: [:]][service] = recorded
                    used.insert(recorded)
                } else if let recorded = state.members[member.name]?.ports[service] {
                    changes[member.name, default: []].append("\(service.rawValue) port \(recorded) is outside \(range.lowerBound)-\(range.upperBound)")
                }
            }
            var candidate = range.lowerBound
            for member in members where ports[member.name]?[service] == nil {
                while candidate <= range.upperBound && used.contains(candidate) { candidate += 1 }
                guard candidate <= range.upperBound else {
                    throw failure(member, "no free \(service.rawValue) port: \(range.lowerBound)-\(range.upperBound) is full (\(used.count) members); widen ports.\(service.rawValue)")
                }
                ports[member.name, default: [:]][service] = candidate
                used.insert(candidate)
            }
        }

        // GPUs: named devices first, then recorded sets that still fit the request, then the lowest free.
        var gpus: [String: [String]] = [:]
        var holder: [String: String] = [:]
        for member in members {
            guard case .devices(let devices) = member.gpus else { continue }
            for device in devices {
                if let other = holder[device] { throw failure(member, "GPU \(device) is also asked for by \(other)") }
                holder[device] = member.name
            }
            gpus[member.name] = devices
        }
        for member in members {
            guard case .count(let count) = member.gpus, count > 0, let recorded = state.members[member.name]?.gpus,
                  recorded.count == count, recorded.allSatisfy({ definition.gpus.contains($0) && holder[$0] == nil }) else { continue }
            for device in recorded { holder[device] = member.name }
            gpus[member.name] = recorded
        }
        for member in members {
            guard case .count(let count) = member.gpus, gpus[member.name] == nil else { continue }
            let free = definition.gpus.filter { holder[$0] == nil }
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
            plans.append(MemberPlan(
                member: member, container: definition.containerName(of: member.name), ports: memberPorts, gpus: memberGPUs,
                limits: definition.limits.overridden(by: member.limits), home: definition.home(of: member.name), uid: uid,
                isNew: state.members[member.name] == nil, changes: changes[member.name] ?? []))
            newState.members[member.name] = LabState.Member(
                ports: Dictionary(uniqueKeysWithValues: memberPorts.map { ($0.service, $0.port) }), gpus: memberGPUs, uid: uid)
        }
        let departed = state.members.keys.filter { name in !members.contains { $0.name == name } }.sorted()
        return LabPlan(definition: definition, members: plans, state: newState, departed: departed)
    }
}
