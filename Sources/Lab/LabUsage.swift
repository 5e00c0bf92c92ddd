import FoundationEssentials
import Support
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// What one member uses now: CPU, memory, GPUs (through the processes in their container), home size, last login.
package struct MemberUsage: Sendable {
    package struct GPUUse: Sendable {
        package let gpu: String
        package let utilization: Int?
        /// MiB used on the GPU by the member's processes.
        package let memoryUsed: Int
        package let memoryTotal: Int?
    }

    package let name: String
    package let state: String
    package let cpuPercent: Double?
    package let memoryBytes: Int?
    package let memoryLimit: Int?
    package let homeBytes: Int?
    package let diskLimit: Int?
    /// `2026-12-07T09:30:00Z` of the last SSH login the container logged.
    package let lastLogin: String?
    package let gpus: [GPUUse]
    /// Seconds the member's GPUs have been idle (no process of theirs, no utilisation); nil when in use or unknown.
    package let gpuIdleSeconds: Int?
    package var warnings: [String]
}

/// The lab's use of the host now: per member, and the GPUs nobody holds.
package struct LabUsageReport: Sendable {
    package let members: [MemberUsage]
    package let freeGPUs: [String]
    /// Why GPUs could not be read (no driver here), if so.
    package let gpuProblem: String?
    /// Why the engine could not be asked (no engine here), if so: the GPUs are still read.
    package let engineProblem: String?
}

/// When each member's GPUs were last seen idle, kept beside the lab file (`NAME.gpu-idle.json`) so `top` and
/// `reclaim` can say for how long; checked like the state when read.
package struct GPUIdleRecord: Sendable, Equatable {
    /// Seconds since 1970 since when each member's GPUs have been idle.
    package var idleSince: [String: Int]

    package init(idleSince: [String: Int] = [:]) {
        self.idleSince = idleSince
    }

    package static func path(of definition: LabDefinition) -> String {
        FilePath.appending("\(definition.fileStem).gpu-idle.json", to: definition.directory)
    }

    package static func load(_ definition: LabDefinition) throws(InputError) -> GPUIdleRecord {
        let path = path(of: definition)
        guard case .contents(let bytes) = try readStoredFile(path, limit: 1 << 20) else { return GPUIdleRecord() }
        guard let document = try? JSONValue.parse(bytes), let entries = document["idle_since"]?.members else {
            throw InputError(source: path, message: "not the GPU idle record dockerkit writes; move it away to start counting afresh")
        }
        var record = GPUIdleRecord()
        for (name, value) in entries {
            guard isUserName(name), let seconds = value.integer.flatMap({ Int(exactly: $0) }), (0...4_102_444_800).contains(seconds) else {
                throw InputError(source: path, message: "member \(name.escapingControlCharacters()): \"idle_since\" must be seconds since 1970")
            }
            record.idleSince[name] = seconds
        }
        return record
    }

    package func save(_ definition: LabDefinition) throws(InputError) {
        var writer = JSONWriter()
        writer.beginObject()
        writer.key("idle_since")
        writer.beginObject()
        for name in idleSince.keys.sorted() {
            writer.key(name)
            writer.number(idleSince[name] ?? 0)
        }
        writer.endObject()
        writer.endObject()
        do {
            try SafeFileWriter.create(Array((writer.output + "\n").utf8), at: Self.path(of: definition), mode: 0o644)
        } catch {
            throw InputError(source: Self.path(of: definition), message: error.message)
        }
    }
}

extension LabOperations {
    /// Reads what each member uses; `readings` are the GPU readings (nil reads the host's). Updates the GPU idle
    /// record with what it sees.
    package func usage(_ plan: LabPlan, readings: Result<GPUReadings, GPUReadingFailure>? = nil, environment: [String: String],
                       now: Int = Int(Date().timeIntervalSince1970)) throws(InputError) -> LabUsageReport {
        let definition = plan.definition
        var engineProblem: String?
        var containers: [ObservedContainer] = []
        do {
            containers = try engine.containers(ofLab: definition.name)
        } catch {
            engineProblem = error.message
        }
        let running = containers.filter { $0.status == "running" }
        let stats = engine.stats(running.map(\.id))
        let gpuReadings = readings ?? GPUReadings.read(environment: environment)
        var gpuProblem: String?
        var gpus: [GPUReadings.GPU] = []
        var processesByContainer: [String: [GPUReadings.Process]] = [:]
        switch gpuReadings {
        case .failure(let failure): gpuProblem = failure.message
        case .success(let found):
            gpus = found.gpus
            for process in found.processes {
                guard let id = Self.containerID(ofProcess: process.pid) else { continue }
                processesByContainer[id, default: []].append(process)
            }
        }
        var record = try GPUIdleRecord.load(definition)
        var members: [MemberUsage] = []
        for member in plan.members {
            let container = containers.first { $0.member == member.name && $0.name == member.container }
            let stat = container.flatMap { stats[$0.id] }
            let processes = container.flatMap { processesByContainer[$0.id] } ?? []
            var uses: [MemberUsage.GPUUse] = []
            for name in member.gpus {
                let gpu = gpus.first { $0.index == name || $0.uuid == name }
                let own = processes.filter { $0.gpuUUID == gpu?.uuid || $0.gpuUUID == name }
                uses.append(MemberUsage.GPUUse(gpu: name, utilization: gpu?.utilization, memoryUsed: own.reduce(0) { $0 + ($1.usedMemory ?? 0) },
                                               memoryTotal: gpu?.memoryTotal))
            }
            // Idle: GPUs held, none of the member's processes on them, and no utilisation on them.
            var idleSeconds: Int?
            if !member.gpus.isEmpty && gpuProblem == nil {
                let busy = !processes.isEmpty || uses.contains { ($0.utilization ?? 0) > 5 }
                if busy {
                    record.idleSince[member.name] = nil
                } else {
                    let since = record.idleSince[member.name] ?? now
                    record.idleSince[member.name] = since
                    idleSeconds = now - since
                }
            } else if member.gpus.isEmpty {
                record.idleSince[member.name] = nil
            }
            let home = Self.folderSize(member.home)
            var warnings: [String] = []
            if let limit = member.limits.disk, let home, home > limit {
                warnings.append("home is \(describeByteSize(home)), over its limit of \(describeByteSize(limit))")
            }
            members.append(MemberUsage(
                name: member.name, state: container?.status ?? "missing", cpuPercent: stat?.cpuPercent, memoryBytes: stat?.memoryBytes,
                memoryLimit: member.limits.memory, homeBytes: home, diskLimit: member.limits.disk,
                lastLogin: container.flatMap { lastLogin($0.id, member: member.name) }, gpus: uses, gpuIdleSeconds: idleSeconds, warnings: warnings))
        }
        if gpuProblem == nil { try? record.save(definition) }
        let held = Set(plan.members.flatMap(\.gpus))
        let free = definition.gpus.filter { !held.contains($0) }
        return LabUsageReport(members: members, freeGPUs: free, gpuProblem: gpuProblem, engineProblem: engineProblem)
    }

    /// The time of the last `Accepted publickey for MEMBER` sshd logged in the container.
    func lastLogin(_ container: String, member: String) -> String? {
        guard let path = engine.client.resolvedPath(),
              let result = try? ChildProcess.run(path, arguments: ["logs", "--timestamps", "--tail", "5000", container]) else { return nil }
        let text = String(decoding: result.output + result.errorOutput, as: UTF8.self)
        var last: String?
        for line in text.split(whereSeparator: \.isNewline) where line.contains("Accepted publickey for \(member) ") {
            let stamp = line.prefix { $0 != " " }
            if let time = UTCTime(rfc3339: String(stamp)) { last = time.rfc3339 }
        }
        return last
    }

    /// The 64-hex id of the container a process runs in, from its cgroup (`…/docker-ID.scope` or `…/docker/ID`).
    package static func containerID(ofProcess pid: Int, cgroupText: String? = nil) -> String? {
        let text = cgroupText ?? {
            guard case .contents(let bytes)? = try? readStoredFile("/proc/\(pid)/cgroup", limit: 64 << 10) else { return "" }
            return String(decoding: bytes, as: UTF8.self)
        }()
        for line in text.split(whereSeparator: \.isNewline) {
            for component in line.split(separator: "/").reversed() {
                var name = Substring(component)
                if name.hasPrefix("docker-") { name = name.dropFirst("docker-".count) }
                if name.hasSuffix(".scope") { name = name.dropLast(".scope".count) }
                if name.count == 64 && name.utf8.allSatisfy({ ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x61 && $0 <= 0x66) }) { return String(name) }
            }
        }
        return nil
    }

    /// Bytes a folder takes on disk (blocks, every file once, not following links or leaving the file system);
    /// nil when it cannot be read. Stops counting after a million entries and says so through the number only.
    static func folderSize(_ path: String) -> Int? {
        var information = stat()
        guard lstat(path, &information) == 0, information.st_mode & S_IFMT == S_IFDIR else { return nil }
        let device = information.st_dev
        var total = 0
        var pending = [path]
        var seen: Set<UInt64> = []
        var entries = 0
        while let folder = pending.popLast(), entries < 1_000_000 {
            guard let directory = opendir(folder) else { continue }
            defer { closedir(directory) }
            while let entry = readdir(directory), entries < 1_000_000 {
                let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self) }
                if name == "." || name == ".." { continue }
                entries += 1
                let child = folder + "/" + name
                var status = stat()
                guard lstat(child, &status) == 0, status.st_dev == device else { continue }
                if status.st_nlink > 1 && !seen.insert(UInt64(status.st_ino)).inserted { continue }
                total += Int(status.st_blocks) * 512
                if status.st_mode & S_IFMT == S_IFDIR { pending.append(child) }
            }
        }
        return total
    }
}

extension LabEngine {
    /// CPU percent and memory bytes of running containers, from `docker stats --no-stream` (JSON lines).
    package func stats(_ ids: [String]) -> [String: (cpuPercent: Double?, memoryBytes: Int?)] {
        guard !ids.isEmpty, let output = try? client.run(["stats", "--no-stream", "--no-trunc", "--format", "{{json .}}"] + ids) else { return [:] }
        var result: [String: (cpuPercent: Double?, memoryBytes: Int?)] = [:]
        for line in String(decoding: output, as: UTF8.self).split(whereSeparator: \.isNewline) {
            guard let document = try? JSONValue.parse(Array(line.utf8)), let id = document["ID"]?.string ?? document["Container"]?.string else { continue }
            let cpu = document["CPUPerc"]?.string.flatMap { Double($0.replacingAll("%", with: "")) }
            let memory = document["MemUsage"]?.string.flatMap { usage in Self.bytes(String(usage.prefix { $0 != "/" }).trimmingWhitespace()) }
            let full = ids.first { $0.hasPrefix(id) || id.hasPrefix($0) } ?? id
            result[full] = (cpu, memory)
        }
        return result
    }

    /// `12.5MiB`, `1.2GiB`, `512kB`, `100B` as bytes.
    static func bytes(_ text: String) -> Int? {
        let units: [(String, Double)] = [("KiB", 1024), ("MiB", 1_048_576), ("GiB", 1_073_741_824), ("TiB", 1_099_511_627_776), ("kB", 1000), ("KB", 1000),
                                         ("MB", 1e6), ("GB", 1e9), ("TB", 1e12), ("B", 1)]
        for (suffix, factor) in units where text.hasSuffix(suffix) {
            guard let number = Double(text.dropLast(suffix.count).trimmingWhitespace()), number.isFinite, number >= 0, number < 1e18 else { return nil }
            return Int(number * factor)
        }
        return nil
    }
}
