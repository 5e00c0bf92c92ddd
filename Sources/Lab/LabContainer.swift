import Support

/// How one member's container is made: the `docker create` arguments, and a digest of everything that, when it
/// changes, means the container must be made again.
package struct LabContainerSpec: Sendable {
    package let member: MemberPlan
    package let arguments: [String]
    /// SHA-256 of the arguments, the image ID and the member's keys; kept in the label `dockerkit.lab.settings`.
    package let settingsDigest: String

    package static let labLabel = "dockerkit.lab"
    package static let memberLabel = "dockerkit.lab.member"
    package static let settingsLabel = "dockerkit.lab.settings"

    /// The spec of `member` in `plan`, for the image whose ID is `imageID`.
    package init(_ member: MemberPlan, in plan: LabPlan, image: String, imageID: String) {
        let definition = plan.definition
        var arguments = ["--name", member.container, "--hostname", member.name, "--restart", "unless-stopped",
                         "--label", "\(Self.labLabel)=\(definition.name)", "--label", "\(Self.memberLabel)=\(member.name)"]
        switch definition.network {
        case .host:
            arguments += ["--network", "host"]
            for (service, port) in member.ports { arguments += ["--env", "\(service.portVariable)=\(port)"] }
        case .bridge:
            for (service, port) in member.ports {
                arguments += ["--publish", "\(Self.publishAddress(definition.bindAddress)):\(port):\(service.containerPort)"]
            }
        }
        arguments += ["--env", "LAB_USER=\(member.name)", "--env", "LAB_UID=\(member.uid)"]
        if let memory = member.limits.memory { arguments += ["--memory", String(memory)] }
        if let cpus = member.limits.cpus { arguments += ["--cpus", Self.decimal(cpus)] }
        if let pids = member.limits.pids { arguments += ["--pids-limit", String(pids)] }
        if let shm = member.limits.shm { arguments += ["--shm-size", String(shm)] }
        // docker reads --gpus as CSV: a list of devices is one quoted field.
        if !member.gpus.isEmpty { arguments += ["--gpus", "\"device=\(member.gpus.joined(separator: ","))\""] }
        arguments += ["--mount", "type=bind,source=\(member.home),target=/home/\(member.name)"]
        arguments += ["--mount", "type=bind,source=\(member.member.keyPath),target=/run/secrets/authorized_keys,readonly"]
        if member.port(of: .novnc) != nil {
            arguments += ["--mount", "type=bind,source=\(definition.secretPath(of: member.name, .novnc)),target=/run/secrets/vnc_password,readonly"]
        }
        if member.port(of: .jupyter) != nil {
            arguments += ["--mount", "type=bind,source=\(definition.secretPath(of: member.name, .jupyter)),target=/run/secrets/jupyter_token,readonly"]
        }
        for dataset in definition.datasets {
            arguments += ["--mount", "type=bind,source=\(dataset.host),target=\(dataset.path)\(dataset.readOnly ? ",readonly" : "")"]
        }
        var digest = SHA256()
        for argument in arguments + [image, imageID] + member.member.keys {
            digest.update(Array(argument.utf8))
            digest.update([0])
        }
        let settings = digest.finalize()
        self.member = member
        self.settingsDigest = settings
        self.arguments = arguments + ["--label", "\(Self.settingsLabel)=\(settings)", image]
    }

    /// An IPv6 address is bracketed in `-p ADDRESS:HOST:CONTAINER`.
    static func publishAddress(_ address: String) -> String { address.contains(":") ? "[\(address)]" : address }

    /// `8`, `1.5`: no trailing `.0` for whole numbers.
    static func decimal(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
    }
}
