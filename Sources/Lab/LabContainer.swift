import Support

/// How one member's container is made: the `docker create` arguments, and what, when it changes, means the
/// container must be made again (a digest of everything, and readable aspects that say why).
package struct LabContainerSpec: Sendable {
    package let member: MemberPlan
    package let arguments: [String]
    /// SHA-256 of the arguments, the image ID and the member's keys; kept in the label `dockerkit.lab.settings`.
    package let settingsDigest: String
    /// The settings by aspect (`image`, `keys`, `limits`, `ports`, `gpus`, `network`, `mounts`), as kept in the
    /// label `dockerkit.lab.aspects`, so a later plan can say what changed.
    package let aspects: [(name: String, value: String)]

    package static let labLabel = "dockerkit.lab"
    package static let memberLabel = "dockerkit.lab.member"
    package static let settingsLabel = "dockerkit.lab.settings"
    package static let aspectsLabel = "dockerkit.lab.aspects"
    /// Where the member's SSH host keys are mounted (read-only) in the container.
    package static let hostKeysTarget = "/run/secrets/ssh_host_keys"

    /// The spec of `member` in `plan`, for the image whose ID is `imageID`; `notice` is shown at the member's next
    /// logins (why their GPUs were taken back); `limitsWritableLayer` gives `limits.disk` to the container's
    /// writable layer, where the engine's storage can enforce it.
    package init(_ member: MemberPlan, in plan: LabPlan, image: String, imageID: String, notice: String? = nil, limitsWritableLayer: Bool = false) {
        let definition = plan.definition
        var arguments = ["--name", member.container, "--restart", "unless-stopped",
                         "--label", "\(Self.labLabel)=\(definition.name)", "--label", "\(Self.memberLabel)=\(member.name)"]
        let network: String
        switch definition.network {
        case .host:
            network = "host"
            arguments += ["--network", "host"]
            for (service, port) in member.ports { arguments += ["--env", "\(service.portVariable)=\(port)"] }
            if definition.bindAddress != "0.0.0.0" && definition.bindAddress != "::" {
                arguments += ["--env", "LAB_BIND=\(definition.bindAddress)"]
            }
            // The host's loopback is shared: each member's desktop gets a display (and VNC port) of their own.
            if member.port(of: .novnc) != nil { arguments += ["--env", "VNC_DISPLAY=\(Self.display(of: member))"] }
        case .bridge:
            network = "bridge \(definition.networkName(of: member.name))"
            arguments += ["--network", definition.networkName(of: member.name), "--hostname", member.name]
            for (service, port) in member.ports {
                arguments += ["--publish", "\(Self.publishAddress(definition.bindAddress)):\(port):\(service.containerPort)"]
            }
        }
        arguments += ["--env", "LAB_USER=\(member.name)", "--env", "LAB_UID=\(member.uid)"]
        var limits: [String] = []
        if let memory = member.limits.memory {
            arguments += ["--memory", String(memory)]
            limits.append("memory \(memory)")
        }
        if let cpus = member.limits.cpus {
            arguments += ["--cpus", Self.decimal(cpus)]
            limits.append("cpus \(Self.decimal(cpus))")
        }
        if let pids = member.limits.pids {
            arguments += ["--pids-limit", String(pids)]
            limits.append("pids \(pids)")
        }
        if let shm = member.limits.shm {
            arguments += ["--shm-size", String(shm)]
            limits.append("shm \(shm)")
        }
        if let disk = member.limits.disk, limitsWritableLayer {
            arguments += ["--storage-opt", "size=\(disk)"]
            limits.append("disk \(disk)")
        }
        // docker reads --gpus as CSV: a list of devices is one quoted field.
        if !member.gpus.isEmpty { arguments += ["--gpus", "\"device=\(member.gpus.joined(separator: ","))\""] }
        var mounts: [String] = []
        func mount(_ source: String, _ target: String, readOnly: Bool) {
            mounts.append(Self.mountField(source: source, target: target, readOnly: readOnly))
        }
        mount(member.home, "/home/\(member.name)", readOnly: false)
        mount(member.member.keyPath, "/run/secrets/authorized_keys", readOnly: true)
        mount(definition.hostKeysDirectory(of: member.name), Self.hostKeysTarget, readOnly: true)
        if member.port(of: .novnc) != nil { mount(definition.secretPath(of: member.name, .novnc), "/run/secrets/vnc_password", readOnly: true) }
        if member.port(of: .jupyter) != nil { mount(definition.secretPath(of: member.name, .jupyter), "/run/secrets/jupyter_token", readOnly: true) }
        for dataset in definition.datasets { mount(dataset.host, dataset.path, readOnly: dataset.readOnly) }
        for field in mounts { arguments += ["--mount", field] }

        var keysDigest = SHA256()
        for key in member.member.keys {
            keysDigest.update(Array(key.utf8))
            keysDigest.update([0])
        }
        let aspects: [(name: String, value: String)] = [
            ("image", imageID),
            ("keys", keysDigest.finalize()),
            ("limits", limits.isEmpty ? "none" : limits.joined(separator: ", ")),
            ("ports", member.ports.map { "\($0.service.rawValue) \($0.port)" }.joined(separator: ", ") + " on \(definition.bindAddress)"),
            ("gpus", member.gpus.isEmpty ? "none" : member.gpus.joined(separator: ",")),
            ("network", network),
            ("mounts", mounts.joined(separator: "; ")),
        ]
        var digest = SHA256()
        for argument in arguments + [image, imageID] + member.member.keys {
            digest.update(Array(argument.utf8))
            digest.update([0])
        }
        let settings = digest.finalize()
        var writer = JSONWriter()
        writer.beginObject()
        for aspect in aspects {
            writer.key(aspect.name)
            writer.string(aspect.value)
        }
        writer.endObject()
        self.member = member
        self.settingsDigest = settings
        self.aspects = aspects
        // The notice is not a setting: a later `up` does not re-create the container for it.
        let noticeArguments = notice.map { ["--env", "LAB_NOTICE=\($0)"] } ?? []
        self.arguments = arguments + noticeArguments + ["--label", "\(Self.settingsLabel)=\(settings)", "--label", "\(Self.aspectsLabel)=\(writer.output)", image]
    }

    /// The reasons a container with `labels` differs from this spec: the aspects that changed, old → new.
    package func differences(from labels: [String: String]) -> [String] {
        guard labels[Self.settingsLabel] != settingsDigest else { return [] }
        var old: [String: String] = [:]
        if let text = labels[Self.aspectsLabel], let document = try? JSONValue.parse(Array(text.utf8)), let entries = document.members {
            for (key, value) in entries { old[key] = value.string }
        }
        var reasons: [String] = []
        for aspect in aspects where old[aspect.name] != aspect.value {
            switch aspect.name {
            case "image": reasons.append("the image changed")
            case "keys": reasons.append("the member's keys changed")
            case "mounts": reasons.append("the mounted folders changed")
            default: reasons.append("\(aspect.name): \(old[aspect.name].map { "\($0) → " } ?? "")\(aspect.value)")
            }
        }
        return reasons.isEmpty ? ["dockerkit's container settings changed"] : reasons
    }

    /// The X display of a member's desktop in host mode, from their uid so that it never collides (uid 2001: `:1001`).
    static func display(of member: MemberPlan) -> Int { member.uid - 1000 }

    /// One `--mount` value. docker reads it as CSV, so a field holding a comma or a quote is quoted, quotes doubled.
    static func mountField(source: String, target: String, readOnly: Bool) -> String {
        func field(_ text: String) -> String {
            guard text.contains(",") || text.contains("\"") else { return text }
            return "\"" + text.replacing("\"", with: "\"\"") + "\""
        }
        return ["type=bind", field("source=\(source)"), field("target=\(target)")].joined(separator: ",") + (readOnly ? ",readonly" : "")
    }

    /// An IPv6 address is bracketed in `-p ADDRESS:HOST:CONTAINER`.
    static func publishAddress(_ address: String) -> String { address.contains(":") ? "[\(address)]" : address }

    /// `8`, `1.5`: no trailing `.0` for whole numbers.
    static func decimal(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
    }
}
