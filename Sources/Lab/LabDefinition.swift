import Knowledge
import Support
import Templates

/// A lab as `lab.yaml` describes it: one image, the resources it hands out, and its members.
package struct LabDefinition: Sendable {
    /// Where the image comes from.
    package enum ImageSource: Sendable {
        /// Generated like `dockerkit new` and built with the engine when `tag` is missing.
        case generated(LabImageRequest, tag: String)
        /// An existing image, used as it is.
        case reference(String)

        package var tag: String {
            switch self {
            case .generated(_, let tag): return tag
            case .reference(let reference): return reference
            }
        }
    }

    /// How members' services are reached.
    package enum Network: String, Sendable {
        /// Ports are published on `bind`.
        case bridge
        /// Each member's services listen on their own host ports.
        case host
    }

    package let name: String
    package let image: ImageSource
    package let network: Network
    package let bindAddress: String
    /// The services the image runs, with the host port range each is given from.
    package let portRanges: [(service: LabService, range: ClosedRange<Int>)]
    /// The GPUs the lab hands out, as the engine names them (`0`, `1`, or UUIDs).
    package let gpus: [String]
    package let limits: LabLimits
    /// The folder holding `homes/MEMBER`, absolute.
    package let homes: String
    package let datasets: [LabDataset]
    /// Seconds a member's GPUs may stay idle before `lab reclaim` takes them back; nil never.
    package let gpuIdleLimit: Int?
    package let members: [LabMember]
    /// The folder of lab.yaml: relative paths, the state file and `secrets/` are there.
    package let directory: String
    /// Where the file was read from, for messages.
    package let path: String

    /// The lab file's name without `.yaml`/`.yml`: each lab file in a folder has its own state, log and lock.
    package var fileStem: String {
        let name = FilePath.lastComponent(path)
        for suffix in [".yaml", ".yml"] where name.hasSuffix(suffix) && name.count > suffix.count { return String(name.dropLast(suffix.count)) }
        return name
    }
    /// The state file beside the lab file (`lab.state.json` for `lab.yaml`).
    package var statePath: String { FilePath.appending("\(fileStem).state.json", to: directory) }
    /// The audit log beside the lab file (`lab.log` for `lab.yaml`), JSON Lines.
    package var logPath: String { FilePath.appending("\(fileStem).log", to: directory) }
    /// The lock file that keeps two `lab` commands on this lab file from interleaving.
    package var lockPath: String { FilePath.appending(".\(fileStem).lock", to: directory) }
    /// The folder of generated secrets (VNC passwords, Jupyter tokens, SSH host keys), mode 0700: `secrets/` for
    /// `lab.yaml`, `NAME.secrets/` for another lab file in the same folder.
    package var secretsDirectory: String {
        FilePath.appending(fileStem == "lab" ? "secrets" : "\(fileStem).secrets", to: directory)
    }
    /// The member's SSH host keys, made once and mounted read-only, so re-creating the container keeps them.
    package func hostKeysDirectory(of member: String) -> String {
        FilePath.appending("\(member)-hostkeys", to: secretsDirectory)
    }
    /// The services the image runs (the lab's port ranges).
    package var services: [LabService] { portRanges.map(\.service) }
    /// The network of a member's own in bridge mode.
    package func networkName(of member: String) -> String { "\(name)-\(member)" }

    package func containerName(of member: String) -> String { "\(name)-\(member)" }
    package func home(of member: String) -> String { FilePath.appending(member, to: homes) }
    package func secretPath(of member: String, _ service: LabService) -> String {
        FilePath.appending("\(member)-\(service.secretSuffix)", to: secretsDirectory)
    }
}

/// A service a lab image runs for each member.
package enum LabService: String, Sendable, CaseIterable {
    case ssh, novnc, jupyter

    /// The port the service listens on inside the container (with bridge networking).
    package var containerPort: Int {
        switch self {
        case .ssh: return 22
        case .novnc: return 6080
        case .jupyter: return 8888
        }
    }

    /// The environment variable that moves the service's port (with host networking).
    var portVariable: String {
        switch self {
        case .ssh: return "SSH_PORT"
        case .novnc: return "NOVNC_PORT"
        case .jupyter: return "JUPYTER_PORT"
        }
    }

    var secretSuffix: String { self == .novnc ? "vnc" : rawValue }

    /// The ranges used when lab.yaml names none.
    var defaultRange: ClosedRange<Int> {
        switch self {
        case .ssh: return 2200...2299
        case .novnc: return 6080...6179
        case .jupyter: return 8800...8899
        }
    }
}

/// Resource limits; a member's own limits override the lab's key by key.
package struct LabLimits: Sendable, Equatable {
    /// Bytes.
    package var memory: Int?
    package var cpus: Double?
    package var pids: Int?
    /// Bytes of /dev/shm.
    package var shm: Int?
    /// Bytes of disk: the container's writable layer and the home, where the host can enforce it.
    package var disk: Int?

    package init(memory: Int? = nil, cpus: Double? = nil, pids: Int? = nil, shm: Int? = nil, disk: Int? = nil) {
        self.memory = memory
        self.cpus = cpus
        self.pids = pids
        self.shm = shm
        self.disk = disk
    }

    /// These limits with `other`'s set keys taking their place.
    package func overridden(by other: LabLimits) -> LabLimits {
        LabLimits(memory: other.memory ?? memory, cpus: other.cpus ?? cpus, pids: other.pids ?? pids, shm: other.shm ?? shm,
                  disk: other.disk ?? disk)
    }
}

/// A host folder every member sees.
package struct LabDataset: Sendable, Equatable {
    /// Absolute host path.
    package let host: String
    /// Where it appears in the container.
    package let path: String
    package let readOnly: Bool
}

/// One member: a login, a key, a home, maybe GPUs.
package struct LabMember: Sendable {
    package enum GPURequest: Sendable, Equatable {
        case count(Int)
        case devices([String])
    }

    package let name: String
    /// Absolute path of the member's package key file.
    package let keyPath: String
    /// The key file's lines that are keys.
    package let keys: [String]
    package let gpus: GPURequest
    package let limits: LabLimits
    package let uid: Int?
    /// The last day (`YYYY-MM-DD`) the member may run; `lab reclaim` stops them after it.
    package let until: String?
    /// The services this member gets a port for: ssh always, the desktop and Jupyter as the member (or the image) says.
    package let services: [LabService]
    /// Where the member is written in lab.yaml, for errors about them.
    package let line: Int
    package let column: Int
}

/// Reads lab.yaml into a ``LabDefinition``.
package enum LabDefinitionReader {
    /// Reads `text` (the contents of `path`); key files are read with `readFile` (absolute path → bytes, nil when
    /// missing or unreadable), so tests need no files.
    package static func read(_ text: String, path: String, directory: String,
                            readFile: @escaping (String) -> [UInt8]?) throws(ConfigurationError) -> LabDefinition {
        let document = try YAMLReader.read(text, path: path)
        guard case .map(let entries) = document.value else { throw document.error(path, "expected a mapping at the top level") }
        var reader = Reader(path: path, directory: directory, readFile: readFile)
        return try reader.definition(entries, document: document)
    }

    /// `512m`, `32g`, `1024k`, `4096` (bytes), as docker reads them: binary units.
    static func byteSize(_ text: String) -> Int? {
        let lowered = text.lowercased().trimming(" ")
        var digits = Substring(lowered)
        // `8g`, `8gb`, `8gib` and `8b` all read; the unit letter is what counts.
        if digits.hasSuffix("b"), digits.count >= 2, !(digits.dropLast().last?.isNumber ?? true) { digits = digits.dropLast() }
        if digits.hasSuffix("i") { digits = digits.dropLast() }
        var multiplier = 1
        if let last = digits.last, !last.isNumber {
            digits = digits.dropLast()
            switch last {
            case "b": multiplier = 1
            case "k": multiplier = 1 << 10
            case "m": multiplier = 1 << 20
            case "g": multiplier = 1 << 30
            case "t": multiplier = 1 << 40
            default: return nil
            }
        }
        guard !digits.isEmpty, digits.allSatisfy(\.isNumber), digits.count <= 15, let number = Int(digits) else { return nil }
        let (bytes, overflow) = number.multipliedReportingOverflow(by: multiplier)
        return overflow ? nil : bytes
    }

    /// `48h`, `7d`, `90m`, `3600s` or `3600` (seconds) as seconds; nil for anything else.
    static func duration(_ text: String) -> Int? {
        var digits = Substring(text.trimming(" ").lowercased())
        var unit = 1
        switch digits.last {
        case "s": unit = 1
        case "m": unit = 60
        case "h": unit = 3600
        case "d": unit = 86400
        case "w": unit = 7 * 86400
        default: break
        }
        if let last = digits.last, !last.isNumber { digits = digits.dropLast() }
        guard !digits.isEmpty, digits.count <= 9, digits.allSatisfy(\.isNumber), let number = Int(digits) else { return nil }
        return number * unit
    }

    /// Member names that are accounts of every Debian or Ubuntu image, and so cannot be a member's login.
    static let systemAccounts: Set<String> = [
        "root", "daemon", "bin", "sys", "sync", "games", "man", "lp", "mail", "news", "uucp", "proxy", "www-data",
        "backup", "list", "irc", "gnats", "nobody", "_apt", "sshd", "messagebus", "systemd-network", "systemd-resolve",
        "systemd-timesync", "ubuntu", "syslog", "uuidd", "tcpdump",
    ]

    private struct Reader {
        let path: String
        let directory: String
        let readFile: (String) -> [UInt8]?

        func absolute(_ value: String) -> String {
            value.hasPrefix("/") ? value : FilePath.appending(value, to: directory)
        }

        mutating func definition(_ entries: [(String, YAMLValue)], document: YAMLValue) throws(ConfigurationError) -> LabDefinition {
            let known: Set<String> = ["name", "image", "network", "bind", "ports", "gpus", "limits", "homes", "datasets", "reclaim", "members"]
            for (key, value) in entries where !known.contains(key) {
                throw value.error(path, "unknown key '\(key)' (lab.yaml knows \(known.sorted().joined(separator: ", ")))")
            }
            func value(_ key: String) -> YAMLValue? { entries.first { $0.0 == key }?.1 }

            guard let nameValue = value("name") else { throw document.error(path, "name: the lab's name is required") }
            let name = try nameValue.string(path: path, key: "name")
            guard isLabName(name) else {
                throw nameValue.error(path, "name: '\(name)' is not a valid lab name (lower-case letters, digits, '-' and '_', starting with a letter or digit, at most 40)")
            }
            guard let imageValue = value("image") else { throw document.error(path, "image: required (the keys `dockerkit new` takes, or ref: IMAGE)") }
            let image = try self.image(imageValue, labName: name)

            var network = LabDefinition.Network.bridge
            if let networkValue = value("network") {
                let text = try networkValue.string(path: path, key: "network")
                guard let chosen = LabDefinition.Network(rawValue: text) else {
                    throw networkValue.error(path, "network: expected bridge or host, not '\(text)'")
                }
                network = chosen
            }
            var bindAddress = "0.0.0.0"
            if let bindValue = value("bind") {
                bindAddress = try bindValue.string(path: path, key: "bind")
                guard isAddress(bindAddress) else { throw bindValue.error(path, "bind: '\(bindAddress)' is not an IP address") }
            }

            let services = services(of: image)
            let ranges = try portRanges(value("ports"), services: services, document: document)

            var gpus: [String] = []
            if let gpusValue = value("gpus") {
                gpus = try gpuList(gpusValue, key: "gpus")
                if let duplicate = firstDuplicate(gpus) { throw gpusValue.error(path, "gpus: GPU \(duplicate) is listed twice") }
            }
            let limits = try value("limits").map { v throws(ConfigurationError) in try self.limits(v, key: "limits") } ?? LabLimits()
            let homes = try value("homes").map { v throws(ConfigurationError) in absolute(try v.string(path: path, key: "homes")) }
                ?? FilePath.appending("homes", to: directory)
            let datasets = try value("datasets").map { v throws(ConfigurationError) in try self.datasets(v) } ?? []
            let gpuIdleLimit = try value("reclaim").flatMap { v throws(ConfigurationError) in try self.gpuIdleLimit(v) }

            let members = try self.members(value("members"), services: services, labGPUs: gpus, document: document)
            return LabDefinition(
                name: name, image: image, network: network, bindAddress: bindAddress, portRanges: ranges, gpus: gpus,
                limits: limits, homes: homes, datasets: datasets, gpuIdleLimit: gpuIdleLimit, members: members, directory: directory, path: path)
        }

        /// `ports:` with each service's range (the defaults for those not given); ranges must not overlap.
        func portRanges(_ portsValue: YAMLValue?, services: [LabService], document: YAMLValue) throws(ConfigurationError) -> [(service: LabService, range: ClosedRange<Int>)] {
            var ranges: [(service: LabService, range: ClosedRange<Int>)] = []
            var given: [String: YAMLValue] = [:]
            if let portsValue {
                guard case .map(let portEntries) = portsValue.value else { throw portsValue.error(path, "ports: expected a mapping like {ssh: 2200-2299}") }
                for (key, rangeValue) in portEntries {
                    guard LabService(rawValue: key) != nil else { throw rangeValue.error(path, "ports: unknown service '\(key)' (ssh, novnc, jupyter)") }
                    given[key] = rangeValue
                }
            }
            for service in services {
                guard let rangeValue = given[service.rawValue] else {
                    ranges.append((service, service.defaultRange))
                    continue
                }
                ranges.append((service, try portRange(rangeValue, key: "ports.\(service.rawValue)")))
            }
            for (index, first) in ranges.enumerated() {
                for second in ranges[(index + 1)...] where first.range.overlaps(second.range) {
                    throw (given[second.service.rawValue] ?? document).error(path, "ports: the \(first.service.rawValue) and \(second.service.rawValue) ranges overlap")
                }
            }
            return ranges
        }

        /// `reclaim: {gpu-idle: 48h}`: how long a member's GPUs may stay idle, an hour or more.
        func gpuIdleLimit(_ reclaimValue: YAMLValue) throws(ConfigurationError) -> Int? {
            var gpuIdleLimit: Int?
            guard case .map(let reclaimEntries) = reclaimValue.value else { throw reclaimValue.error(path, "reclaim: expected a mapping like {gpu-idle: 48h}") }
            for (key, item) in reclaimEntries {
                guard key == "gpu-idle" || key == "gpu_idle" else { throw item.error(path, "reclaim: unknown key '\(key)' (gpu-idle)") }
                let text = try item.string(path: path, key: "reclaim.gpu-idle")
                guard let seconds = LabDefinitionReader.duration(text), seconds >= 3600 else {
                    throw item.error(path, "reclaim.gpu-idle: expected a duration of an hour or more like 48h or 7d, not '\(text)'")
                }
                gpuIdleLimit = seconds
            }
            return gpuIdleLimit
        }

        /// `members:`: at least one, names and uids each given once.
        func members(_ membersValue: YAMLValue?, services: [LabService], labGPUs gpus: [String], document: YAMLValue) throws(ConfigurationError) -> [LabMember] {
            guard let membersValue else { throw document.error(path, "members: at least one member is required") }
            guard case .list(let items) = membersValue.value else { throw membersValue.error(path, "members: expected a list") }
            var members: [LabMember] = []
            for item in items {
                let member = try self.member(item, services: services, labGPUs: gpus)
                if members.contains(where: { $0.name == member.name }) {
                    throw item.error(path, "member '\(member.name)': the name is given twice")
                }
                if let uid = member.uid, let other = members.first(where: { $0.uid == uid }) {
                    throw item.error(path, "member '\(member.name)': uid \(uid) is already \(other.name)'s")
                }
                members.append(member)
            }
            return members
        }

        func services(of image: LabDefinition.ImageSource) -> [LabService] {
            switch image {
            case .generated(let request, _):
                return LabService.allCases.filter { ($0 == .ssh && request.ssh) || ($0 == .novnc && request.vnc) || ($0 == .jupyter && request.jupyter) }
            case .reference:
                return [.ssh]
            }
        }

        func image(_ value: YAMLValue, labName: String) throws(ConfigurationError) -> LabDefinition.ImageSource {
            guard case .map(let entries) = value.value else { throw value.error(path, "image: expected a mapping (cuda, flavor, ssh, … or ref)") }
            if let reference = entries.first(where: { $0.0 == "ref" }) {
                guard entries.count == 1 else {
                    throw value.error(path, "image: ref uses an image as it is; it takes no other keys")
                }
                let text = try reference.1.string(path: path, key: "image.ref")
                guard ImageReferenceGrammar.isValid(text) else { throw reference.1.error(path, "image.ref: '\(text)' is not an image reference") }
                return .reference(text)
            }
            var request = LabImageRequest()
            request.ssh = true
            var tag = "dockerkit-lab/\(labName):latest"
            for (key, item) in entries {
                let label = "image.\(key)"
                switch key {
                case "cuda": request.cudaVersion = try item.string(path: path, key: label)
                case "flavor": request.flavor = try item.string(path: path, key: label).lowercased()
                case "cudnn": request.cudnn = try item.string(path: path, key: label)
                case "os": request.os = try item.string(path: path, key: label)
                case "ssh": request.ssh = try item.bool(path: path, key: label)
                case "vnc": request.vnc = try item.bool(path: path, key: label)
                case "jupyter": request.jupyter = try item.bool(path: path, key: label)
                case "conda": request.conda = try item.bool(path: path, key: label)
                case "mirror": request.mirror = try item.string(path: path, key: label).lowercased()
                case "python": request.python = try item.string(path: path, key: label)
                case "base": request.base = try item.string(path: path, key: label)
                case "packages": request.packages = try item.stringList(path: path, key: label).flatMap { $0.split(separator: " ").map(String.init) }
                case "locale": request.locale = try item.string(path: path, key: label)
                case "tz": request.timeZone = try item.string(path: path, key: label)
                case "cjk-fonts", "cjk_fonts": request.cjkFonts = try item.bool(path: path, key: label)
                case "torch": request.torch = try item.string(path: path, key: label)
                case "tensorflow": request.tensorflow = try item.string(path: path, key: label)
                case "requirements": request.requirements = try textFile(item, key: label)
                case "conda-env", "conda_env": request.condaEnvironment = try textFile(item, key: label)
                case "tag":
                    tag = try item.string(path: path, key: label)
                    guard ImageReferenceGrammar.isValid(tag) else { throw item.error(path, "image.tag: '\(tag)' is not an image reference") }
                case "user", "uid", "gid", "sudo":
                    throw item.error(path, "\(label): the lab's members are its accounts (each member logs in as their name); remove this key")
                default:
                    throw item.error(path, "image: unknown key '\(key)' (cuda, flavor, cudnn, os, ssh, vnc, jupyter, conda, mirror, python, base, packages, locale, tz, cjk-fonts, torch, tensorflow, requirements, conda-env, tag, or ref)")
                }
            }
            if request.requirements != nil && request.condaEnvironment != nil {
                throw value.error(path, "image: give one of requirements and conda-env (a conda environment can list pip packages itself)")
            }
            let pinsFramework = request.requirements.map { FrameworkRequirements(requirementsFile: $0).pins.isEmpty == false } ?? false
                || request.condaEnvironment.map { FrameworkRequirements(condaEnvironment: $0).pins.isEmpty == false } ?? false
            guard request.cudaVersion != nil || request.base != nil || request.torch != nil || request.tensorflow != nil || pinsFramework else {
                throw value.error(path, "image: cuda (a CUDA version), torch, tensorflow or base (an image) is required, or ref: IMAGE")
            }
            guard request.ssh else {
                throw value.error(path, "image: ssh: false leaves members no way in; a lab image runs sshd")
            }
            return .generated(request, tag: tag)
        }

        /// A file named relative to lab.yaml, read as text for the image (requirements, a conda environment).
        func textFile(_ value: YAMLValue, key: String) throws(ConfigurationError) -> String {
            let file = absolute(try value.string(path: path, key: key))
            guard let bytes = readFile(file) else { throw value.error(path, "\(key): \(file) is missing or unreadable") }
            guard let text = LabImageInputFile.text(bytes) else {
                throw value.error(path, "\(key): \(file) is not UTF-8 text of at most \(LabImageInputFile.sizeLimit >> 20) MiB")
            }
            return text
        }

        func portRange(_ value: YAMLValue, key: String) throws(ConfigurationError) -> ClosedRange<Int> {
            let text = try value.string(path: path, key: key)
            let parts = text.split(separator: "-", omittingEmptySubsequences: false).map { String($0).trimming(" ") }
            guard (1...2).contains(parts.count), let low = Int(parts[0]), let high = Int(parts[parts.count - 1]),
                  (1...65535).contains(low), (1...65535).contains(high), low <= high else {
                throw value.error(path, "\(key): expected a port or a range like 2200-2299 within 1-65535, not '\(text)'")
            }
            return low...high
        }

        func gpuList(_ value: YAMLValue, key: String) throws(ConfigurationError) -> [String] {
            let items = try value.stringList(path: path, key: key)
            for item in items where !isGPUName(item) {
                throw value.error(path, "\(key): '\(item)' is not a GPU index (0, 1, …) or UUID (GPU-…, MIG-…); name each GPU the lab hands out")
            }
            return items
        }

        func limits(_ value: YAMLValue, key: String) throws(ConfigurationError) -> LabLimits {
            guard case .map(let entries) = value.value else { throw value.error(path, "\(key): expected a mapping (memory, cpus, pids, shm, disk)") }
            var limits = LabLimits()
            for (name, item) in entries {
                let text = try item.string(path: path, key: "\(key).\(name)")
                switch name {
                case "memory", "shm", "disk":
                    // The engine refuses a memory limit under 6 MiB; shm has no such floor but must be a size.
                    let floor = name == "memory" ? 6 << 20 : name == "disk" ? 1 << 20 : 1
                    guard let bytes = LabDefinitionReader.byteSize(text), bytes >= floor, bytes <= 1 << 50 else {
                        throw item.error(path, "\(key).\(name): expected a size like 512m or 32g\(name == "memory" ? " (at least 6m)" : name == "disk" ? " (at least 1m)" : ""), not '\(text)'")
                    }
                    switch name {
                    case "memory": limits.memory = bytes
                    case "shm": limits.shm = bytes
                    default: limits.disk = bytes
                    }
                case "cpus":
                    guard let cpus = Double(text), cpus.isFinite, cpus >= 0.01, cpus <= 4096 else { throw item.error(path, "\(key).cpus: expected a number of CPUs from 0.01 to 4096 like 8 or 1.5, not '\(text)'") }
                    limits.cpus = cpus
                case "pids":
                    guard let pids = Int(text), (1...4_194_304).contains(pids) else { throw item.error(path, "\(key).pids: expected a number from 1 to 4194304, not '\(text)'") }
                    limits.pids = pids
                default:
                    throw item.error(path, "\(key): unknown limit '\(name)' (memory, cpus, pids, shm, disk)")
                }
            }
            return limits
        }

        func datasets(_ value: YAMLValue) throws(ConfigurationError) -> [LabDataset] {
            guard case .list(let items) = value.value else { throw value.error(path, "datasets: expected a list of {host, path, readonly}") }
            var datasets: [LabDataset] = []
            for item in items {
                guard case .map(let entries) = item.value else { throw item.error(path, "datasets: each item is {host: DIR, path: /in/container, readonly: true}") }
                var host: String?
                var target: String?
                var readOnly = true
                for (key, entry) in entries {
                    switch key {
                    case "host": host = absolute(try entry.string(path: path, key: "datasets.host"))
                    case "path":
                        let text = try entry.string(path: path, key: "datasets.path")
                        guard text.hasPrefix("/"), !text.split(separator: "/").contains("..") else {
                            throw entry.error(path, "datasets.path: expected an absolute path in the container, not '\(text)'")
                        }
                        target = text
                    case "readonly", "read_only": readOnly = try entry.bool(path: path, key: "datasets.readonly")
                    default: throw entry.error(path, "datasets: unknown key '\(key)' (host, path, readonly)")
                    }
                }
                guard let host else { throw item.error(path, "datasets: host (the folder on this server) is required") }
                let dataset = LabDataset(host: host, path: target ?? "/datasets/\(FilePath.lastComponent(host))", readOnly: readOnly)
                if datasets.contains(where: { $0.path == dataset.path }) { throw item.error(path, "datasets: \(dataset.path) is given twice") }
                datasets.append(dataset)
            }
            return datasets
        }

        func member(_ value: YAMLValue, services: [LabService], labGPUs: [String]) throws(ConfigurationError) -> LabMember {
            guard case .map(let entries) = value.value else {
                throw value.error(path, "members: each member is a mapping like {name: alice, key: keys/alice.pub}")
            }
            guard let nameValue = entries.first(where: { $0.0 == "name" })?.1 else { throw value.error(path, "members: a member without a name") }
            let name = try nameValue.string(path: path, key: "name")
            guard isUserName(name) else {
                throw nameValue.error(path, "member '\(name)': not a valid user name (lower-case letters, digits, '-' and '_', starting with a letter or '_', at most 32)")
            }
            guard !LabDefinitionReader.systemAccounts.contains(name) else {
                throw nameValue.error(path, "member '\(name)': '\(name)' is an account the image already has; choose another name")
            }
            var keyPath: String?
            var keys: [String] = []
            var gpus = LabMember.GPURequest.count(0)
            var limits = LabLimits()
            var uid: Int?
            var until: String?
            var wanted: [LabService: Bool] = [:]
            for (key, item) in entries {
                switch key {
                case "name": break
                case "vnc", "jupyter":
                    let service: LabService = key == "vnc" ? .novnc : .jupyter
                    let on = try item.bool(path: path, key: key)
                    if on && !services.contains(service) {
                        throw item.error(path, "member '\(name)': \(key): true needs image.\(key): true (the image has no \(key == "vnc" ? "desktop" : "Jupyter"))")
                    }
                    wanted[service] = on
                case "key":
                    let file = absolute(try item.string(path: path, key: "key"))
                    guard let bytes = readFile(file) else { throw item.error(path, "member '\(name)': key file \(file) is missing or unreadable") }
                    keys = try publicKeys(bytes, file: file, member: name, at: item)
                    keyPath = file
                case "gpus":
                    if case .list = item.value {
                        let devices = try gpuList(item, key: "gpus")
                        for device in devices where !labGPUs.contains(device) {
                            throw item.error(path, "member '\(name)': GPU \(device) is not one of the lab's gpus [\(labGPUs.joined(separator: ", "))]")
                        }
                        if let duplicate = firstDuplicate(devices) { throw item.error(path, "member '\(name)': GPU \(duplicate) is listed twice") }
                        gpus = .devices(devices)
                    } else {
                        let text = try item.string(path: path, key: "gpus")
                        guard let count = Int(text), count >= 0 else { throw item.error(path, "member '\(name)': gpus is a number or a list of GPUs, not '\(text)'") }
                        guard count <= labGPUs.count else {
                            throw item.error(path, "member '\(name)': asks for \(count) GPUs; the lab has \(labGPUs.count) (gpus: [\(labGPUs.joined(separator: ", "))])")
                        }
                        gpus = .count(count)
                    }
                case "limits": limits = try self.limits(item, key: "member '\(name)': limits")
                case "until":
                    let text = try item.string(path: path, key: "until")
                    guard isDay(text) else { throw item.error(path, "member '\(name)': until is a day like 2027-01-31, not '\(text)'") }
                    until = text
                case "uid":
                    let text = try item.string(path: path, key: "uid")
                    guard let number = Int(text), (1000...60000).contains(number) else {
                        throw item.error(path, "member '\(name)': uid is a number from 1000 to 60000 (below are system accounts), not '\(text)'")
                    }
                    uid = number
                default:
                    throw item.error(path, "member '\(name)': unknown key '\(key)' (name, key, gpus, limits, uid, until, vnc, jupyter)")
                }
            }
            guard let keyPath else {
                throw value.error(path, "member '\(name)': key (their SSH public key file) is required")
            }
            let memberServices = services.filter { wanted[$0] ?? true }
            return LabMember(name: name, keyPath: keyPath, keys: keys, gpus: gpus, limits: limits, uid: uid, until: until, services: memberServices,
                             line: value.line, column: value.column)
        }

        /// The key lines of an authorized_keys-style file; anything else is an error naming the member.
        func publicKeys(_ bytes: [UInt8], file: String, member: String, at value: YAMLValue) throws(ConfigurationError) -> [String] {
            guard bytes.count <= 64 * 1024 else { throw value.error(path, "member '\(member)': \(file) is over 64 KiB; it is not a public key file") }
            let text = String(decoding: bytes, as: UTF8.self)
            if text.utf8Offset(of: "PRIVATE KEY") != nil {
                throw value.error(path, "member '\(member)': \(file) is a private key; give the .pub file (never hand out the private key)")
            }
            var keys: [String] = []
            for line in text.split(whereSeparator: \.isNewline) {
                let trimmed = String(line).trimming(" ")
                if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
                guard SSHPublicKey.isValid(line: trimmed) else {
                    throw value.error(path, "member '\(member)': \(file) is not an SSH public key (a line like 'ssh-ed25519 AAAA… comment')")
                }
                keys.append(trimmed)
            }
            guard !keys.isEmpty else { throw value.error(path, "member '\(member)': \(file) holds no public key") }
            return keys
        }
    }
}

/// A GPU as the engine's `--gpus device=` names it: an index (`0`, `12`) or a UUID (`GPU-…`, `MIG-…`).
package func isGPUName(_ text: String) -> Bool {
    let bytes = Array(text.utf8)
    guard !bytes.isEmpty, bytes.count <= 80 else { return false }
    if bytes.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) { return bytes.count <= 4 }
    guard text.hasPrefix("GPU-") || text.hasPrefix("MIG-") else { return false }
    return bytes.dropFirst(4).allSatisfy { isNameByte($0) || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "/") }
}

private func isNameByte(_ byte: UInt8) -> Bool {
    (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
        || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
}

/// A login name useradd accepts and that is also usable in container names and files: `[a-z_][a-z0-9_-]{0,31}`.
package func isUserName(_ name: String) -> Bool {
    let bytes = Array(name.utf8)
    guard let first = bytes.first, bytes.count <= 32 else { return false }
    guard (first >= UInt8(ascii: "a") && first <= UInt8(ascii: "z")) || first == UInt8(ascii: "_") else { return false }
    return bytes.allSatisfy { ($0 >= UInt8(ascii: "a") && $0 <= UInt8(ascii: "z")) || ($0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9")) || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: "-") }
}

/// A lab name: it starts every container name, so docker's container-name rules, kept short and lower-case.
func isLabName(_ name: String) -> Bool {
    let bytes = Array(name.utf8)
    guard let first = bytes.first, bytes.count <= 40 else { return false }
    guard (first >= UInt8(ascii: "a") && first <= UInt8(ascii: "z")) || (first >= UInt8(ascii: "0") && first <= UInt8(ascii: "9")) else { return false }
    return bytes.allSatisfy { ($0 >= UInt8(ascii: "a") && $0 <= UInt8(ascii: "z")) || ($0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9")) || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: "-") }
}

/// An IPv4 or IPv6 address (what `-p ADDRESS:PORT:PORT` takes).
func isAddress(_ text: String) -> Bool {
    let parts = text.split(separator: ".", omittingEmptySubsequences: false)
    if parts.count == 4 { return parts.allSatisfy { !$0.isEmpty && $0.count <= 3 && $0.allSatisfy(\.isNumber) && (Int($0) ?? 256) <= 255 } }
    return text.contains(":") && text.allSatisfy { $0.isHexDigit || $0 == ":" }
}

private func firstDuplicate(_ items: [String]) -> String? {
    var seen: Set<String> = []
    for item in items where !seen.insert(item).inserted { return item }
    return nil
}
