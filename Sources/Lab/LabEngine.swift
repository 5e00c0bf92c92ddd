import FoundationEssentials
import ImageHistory
import Support

/// A member container's state as the engine reports it.
package struct MemberStatus: Sendable {
    package enum State: String, Sendable {
        case running, stopped, missing
    }

    package let plan: MemberPlan
    package let state: State
    /// Seconds since the container started, when it runs.
    package let uptime: Int?
    /// `healthy`, `unhealthy` or `starting`, when the image has a health check.
    package let health: String?
}

/// Runs a lab's members on the engine: homes, secrets, containers. Reports what it does through `report`, never
/// prints.
package struct LabEngine: Sendable {
    let engine: EngineClient
    let report: @Sendable (String) -> Void

    package init(engine: String?, report: @escaping @Sendable (String) -> Void) {
        self.engine = EngineClient(engine: engine)
        self.report = report
    }

    /// The image's ID, or nil when the engine does not have it.
    package func imageID(_ reference: String) throws(InputError) -> String? {
        do {
            let output = try engine.run(["image", "inspect", "--format", "{{.Id}}", reference], image: reference)
            return String(decoding: output, as: UTF8.self).trimmingWhitespace()
        } catch {
            if error.message.contains("not found in the engine's local images") { return nil }
            throw error
        }
    }

    /// Builds the folder `directory` (a generated lab image) as `tag`, the engine's progress going to `progress`.
    package func build(_ directory: String, tag: String, progress: @escaping @Sendable (ArraySlice<UInt8>) -> Void) throws(InputError) {
        // Host networking lets the build reach the package mirrors on engines without a bridge, and changes nothing
        // on engines with one.
        let arguments = ["build", "--network", "host", "--tag", tag, directory]
        var outcome = try engine.build(arguments, output: .stream(progress), errorOutput: .stream(progress))
        if outcome.lacksBuildx {
            // The generated Dockerfile needs nothing only BuildKit has, so the engine's classic builder can build it.
            report("\(engine.executable) has no buildx; building with the engine's classic builder instead")
            outcome = try engine.build(arguments, classic: true, output: .stream(progress), errorOutput: .stream(progress))
        }
        guard outcome.status == 0 else {
            throw InputError(source: tag, message: "the image did not build (the engine's output is above)")
        }
    }

    /// Creates or starts the members' containers; a container whose settings changed is made again (its home is a
    /// host folder, so nothing in it is lost). A member that does not start is reported and the others go on;
    /// returns the names of those that did not start.
    package func up(_ plan: LabPlan, members: [MemberPlan], image: String, imageID: String) throws(InputError) -> [String] {
        var failed: [String] = []
        for member in members {
            do {
                try up(member, in: plan, image: image, imageID: imageID)
            } catch {
                var message = error.message
                if message.contains("could not select device driver") && message.contains("gpu") {
                    message = "the engine has no NVIDIA runtime for --gpus (install the NVIDIA container toolkit and restart the engine)"
                }
                report("\(member.name): did not start: \(message)")
                failed.append(member.name)
            }
        }
        return failed
    }

    private func up(_ member: MemberPlan, in plan: LabPlan, image: String, imageID: String) throws(InputError) {
        let spec = LabContainerSpec(member, in: plan, image: image, imageID: imageID)
        let existing = try inspect(member.container)
        let ports = member.ports.map { "\($0.service.rawValue) \($0.port)" }.joined(separator: ", ")
        guard let existing else {
            try create(spec, image: image)
            report("\(member.name): created (\(ports))")
            return
        }
        guard existing.labels[LabContainerSpec.labLabel] == plan.definition.name,
              existing.labels[LabContainerSpec.memberLabel] == member.name else {
            throw InputError(source: member.container, message: "a container with this name exists and is not \(plan.definition.name)'s member \(member.name); rename or remove it")
        }
        if existing.labels[LabContainerSpec.settingsLabel] == spec.settingsDigest {
            if existing.status == "running" {
                report("\(member.name): unchanged (\(ports))")
            } else {
                _ = try engine.run(["start", member.container])
                report("\(member.name): started (\(ports))")
            }
            return
        }
        _ = try engine.run(["rm", "--force", member.container])
        try create(spec, image: image)
        report("\(member.name): re-created, its settings changed; home kept (\(ports))")
    }

    /// Creates and starts a container; one that was created but does not start is removed again, so the next `up`
    /// tries afresh.
    private func create(_ spec: LabContainerSpec, image: String) throws(InputError) {
        _ = try engine.run(["create"] + spec.arguments, image: image)
        do {
            _ = try engine.run(["start", spec.member.container])
        } catch {
            _ = try? engine.run(["rm", "--force", spec.member.container])
            throw error
        }
    }

    /// Stops and removes the containers of `members` (all of the lab's when empty); homes are never touched.
    package func down(labName: String, members: [String]) throws(InputError) {
        let listing = try engine.run(["ps", "--all", "--filter", "label=\(LabContainerSpec.labLabel)=\(labName)",
                                      "--format", "{{.Names}}\t{{.Label \"\(LabContainerSpec.memberLabel)\"}}"])
        var found: [(container: String, member: String)] = []
        for line in String(decoding: listing, as: UTF8.self).split(whereSeparator: \.isNewline) {
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            guard fields.count == 2 else { continue }
            found.append((fields[0], fields[1]))
        }
        for name in members where !found.contains(where: { $0.member == name }) {
            report("\(name): no container")
        }
        for (container, member) in found where members.isEmpty || members.contains(member) {
            _ = try engine.run(["stop", "--time", "10", container])
            _ = try engine.run(["rm", container])
            report("\(member): stopped and removed \(container); home kept")
        }
    }

    /// Each member's container state.
    package func status(_ plan: LabPlan) throws(InputError) -> [MemberStatus] {
        var statuses: [MemberStatus] = []
        for member in plan.members {
            guard let container = try inspect(member.container) else {
                statuses.append(MemberStatus(plan: member, state: .missing, uptime: nil, health: nil))
                continue
            }
            let running = container.status == "running"
            let uptime = running ? container.startedAt.map { max(0, Int(Date().timeIntervalSince1970) - $0) } : nil
            statuses.append(MemberStatus(plan: member, state: running ? .running : .stopped, uptime: uptime, health: container.health))
        }
        return statuses
    }

    /// Names of the lab's containers whose member lab.yaml no longer has.
    package func departedContainers(_ plan: LabPlan) throws(InputError) -> [String] {
        let listing = try engine.run(["ps", "--all", "--filter", "label=\(LabContainerSpec.labLabel)=\(plan.definition.name)",
                                      "--format", "{{.Label \"\(LabContainerSpec.memberLabel)\"}}"])
        let names = Set(String(decoding: listing, as: UTF8.self).split(whereSeparator: \.isNewline).map(String.init))
        return names.filter { name in !plan.members.contains { $0.name == name } }.sorted()
    }

    struct Container {
        let status: String
        let labels: [String: String]
        /// Seconds since 1970.
        let startedAt: Int?
        let health: String?
    }

    func inspect(_ name: String) throws(InputError) -> Container? {
        let output: [UInt8]
        do {
            output = try engine.run(["container", "inspect", name])
        } catch {
            let message = error.message.lowercased()
            if message.contains("no such container") || message.contains("no such object") { return nil }
            throw error
        }
        guard let document = try? JSONValue.parse(output), let first = document.array?.first else {
            throw InputError(source: name, message: "the engine's inspect output is not the JSON expected")
        }
        var labels: [String: String] = [:]
        if case .object(let entries)? = first["Config"]?["Labels"] {
            for (key, value) in entries { labels[key] = value.string ?? "" }
        }
        return Container(
            status: first["State"]?["Status"]?.string ?? "unknown", labels: labels,
            startedAt: first["State"]?["StartedAt"]?.string.flatMap(secondsSince1970),
            health: first["State"]?["Health"]?["Status"]?.string)
    }
}

/// An engine stamp as seconds since 1970; nil for the zero time of a container that never started.
func secondsSince1970(_ text: String) -> Int? {
    guard let time = UTCTime(rfc3339: text), time.year >= 1970 else { return nil }
    return time.secondsSince1970
}
