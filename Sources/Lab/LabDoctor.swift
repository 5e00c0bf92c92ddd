import FoundationEssentials
import Support
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// One check of `lab doctor`: what was checked, whether it holds, what was seen and how to fix it.
package struct DoctorCheck: Sendable, Equatable {
    package enum Status: String, Sendable {
        case ok, warn, fail, skip
    }

    package let name: String
    package let status: Status
    package let detail: String
    /// How to fix a failure or warning; empty when nothing is to be done.
    package let fix: String
}

/// What the host offers a lab, checked: the engine, the NVIDIA runtime, the driver against the image's CUDA, the
/// GPUs lab.yaml names, the ports, and the homes' file system.
package struct LabDoctor: Sendable {
    let engine: LabEngine
    let environment: [String: String]
    /// The GPU readings (a test gives recorded `nvidia-smi` output); nil reads the host's.
    let readings: Result<GPUReadings, GPUReadingFailure>?

    package init(engine: LabEngine, environment: [String: String], readings: Result<GPUReadings, GPUReadingFailure>? = nil) {
        self.engine = engine
        self.environment = environment
        self.readings = readings
    }

    package func checks(_ plan: LabPlan) -> [DoctorCheck] {
        var checks: [DoctorCheck] = []
        let definition = plan.definition
        var engineAnswers = false
        do {
            let version = try engine.client.run(["version", "--format", "{{.Server.Version}}"])
            engineAnswers = true
            checks.append(DoctorCheck(name: "engine", status: .ok, detail: "\(engine.client.executable) answers (server \(text(version)))", fix: ""))
        } catch {
            checks.append(DoctorCheck(name: "engine", status: .fail, detail: error.message, fix: "start the engine (systemctl start docker) or point DOCKER_HOST at one"))
        }
        if engineAnswers {
            let runtimes = (try? engine.client.run(["info", "--format", "{{json .Runtimes}}"])).map(text) ?? ""
            if runtimes.contains("\"nvidia\"") {
                checks.append(DoctorCheck(name: "nvidia runtime", status: .ok, detail: "the engine has the nvidia runtime", fix: ""))
            } else {
                let needed = isGPULab(plan)
                checks.append(DoctorCheck(
                    name: "nvidia runtime", status: needed ? .fail : .warn,
                    detail: "the engine has no NVIDIA runtime (runtimes: \(runtimes.isEmpty ? "unknown" : runtimes)); --gpus cannot give containers GPUs",
                    fix: "install the NVIDIA Container Toolkit (apt-get install nvidia-container-toolkit), run `nvidia-ctk runtime configure --runtime=docker`, restart the engine"))
            }
        } else {
            checks.append(DoctorCheck(name: "nvidia runtime", status: .skip, detail: "the engine does not answer", fix: ""))
        }

        let gpuReadings = readings ?? GPUReadings.read(environment: environment)
        switch gpuReadings {
        case .failure(let failure):
            let needed = isGPULab(plan)
            checks.append(DoctorCheck(name: "nvidia driver", status: needed ? .fail : .warn, detail: failure.message,
                                      fix: "install the NVIDIA driver for the GPUs (Debian: nvidia-driver; Ubuntu: ubuntu-drivers install)"))
        case .success(let readings):
            let names = readings.gpus.map { "\($0.index): \($0.name) (\($0.uuid))" }.joined(separator: "; ")
            checks.append(DoctorCheck(name: "nvidia driver", status: .ok,
                                      detail: "driver \(readings.driverVersion ?? "?"), CUDA up to \(readings.cudaVersion ?? "?"); \(readings.gpus.count) GPU\(readings.gpus.count == 1 ? "" : "s"): \(names)", fix: ""))
            checks.append(cudaCheck(readings, plan: plan))
            checks.append(gpuCheck(readings, definition: definition))
        }
        checks.append(portCheck(plan))
        let wantsDisk = definition.limits.disk != nil || plan.members.contains { $0.limits.disk != nil }
        if engineAnswers && wantsDisk {
            checks.append(LabQuota.engineLimitsWritableLayers(engine)
                ? DoctorCheck(name: "container disk", status: .ok, detail: "the engine limits writable layers (--storage-opt size=)", fix: "")
                : DoctorCheck(name: "container disk", status: .warn, detail: "the engine cannot limit a container's writable layer (overlay2 needs XFS with prjquota under its data root)",
                              fix: "put the engine's data root on XFS mounted with prjquota to enforce limits.disk inside containers"))
        }
        checks += homesChecks(plan)
        return checks
    }

    /// A lab meant for GPUs: it hands some out, or its image is built for CUDA.
    func isGPULab(_ plan: LabPlan) -> Bool {
        if !plan.definition.gpus.isEmpty { return true }
        if case .generated(let request, _) = plan.definition.image { return request.cudaVersion != nil }
        return false
    }

    /// The driver's newest CUDA against the image's.
    func cudaCheck(_ readings: GPUReadings, plan: LabPlan) -> DoctorCheck {
        guard let imageCUDA = imageCUDAVersion(plan) else {
            return DoctorCheck(name: "cuda", status: .skip, detail: "the image says no CUDA version (no CUDA_VERSION); nothing to compare", fix: "")
        }
        guard let driverCUDA = readings.cudaVersion else {
            return DoctorCheck(name: "cuda", status: .warn, detail: "nvidia-smi does not say which CUDA the driver runs", fix: "update the NVIDIA driver")
        }
        if compareVersions(majorMinor(imageCUDA), majorMinor(driverCUDA)) <= 0 {
            return DoctorCheck(name: "cuda", status: .ok, detail: "the image's CUDA \(imageCUDA) runs on driver \(readings.driverVersion ?? "?") (CUDA up to \(driverCUDA))", fix: "")
        }
        return DoctorCheck(name: "cuda", status: .fail,
                           detail: "the image's CUDA \(imageCUDA) is newer than the driver runs (CUDA up to \(driverCUDA), driver \(readings.driverVersion ?? "?"))",
                           fix: "install a driver for CUDA \(majorMinor(imageCUDA)) or newer, or choose image.cuda: \"\(majorMinor(driverCUDA))\" (or older) in lab.yaml")
    }

    /// The CUDA version the lab image is built for: the image's CUDA_VERSION when the engine has it, else lab.yaml's.
    func imageCUDAVersion(_ plan: LabPlan) -> String? {
        if let output = try? engine.client.run(["image", "inspect", "--format", "{{json .Config.Env}}", plan.definition.image.tag]),
           let document = try? JSONValue.parse(output), let env = document.strings {
            for entry in env where entry.hasPrefix("CUDA_VERSION=") { return String(entry.dropFirst("CUDA_VERSION=".count)) }
            for entry in env where entry.hasPrefix("NVIDIA_REQUIRE_CUDA=") {
                let value = entry.dropFirst("NVIDIA_REQUIRE_CUDA=".count)
                if let start = value.firstRange(of: "cuda>=") {
                    return String(value[start.upperBound...].prefix { $0.isNumber || $0 == "." })
                }
            }
        }
        if case .generated(let request, _) = plan.definition.image, request.base == nil { return request.cudaVersion }
        return nil
    }

    /// Every GPU lab.yaml names is on the host (by index, GPU UUID or MIG UUID).
    func gpuCheck(_ readings: GPUReadings, definition: LabDefinition) -> DoctorCheck {
        guard !definition.gpus.isEmpty else { return DoctorCheck(name: "gpus", status: .skip, detail: "lab.yaml hands out no GPUs", fix: "") }
        let known = Set(readings.gpus.flatMap { [$0.index, $0.uuid] } + readings.migDevices.map(\.uuid))
        let missing = definition.gpus.filter { !known.contains($0) }
        let mig = readings.migDevices.isEmpty ? "" : "; MIG devices: " + readings.migDevices.map { "\($0.uuid) (\($0.profile) on GPU \($0.gpuIndex))" }.joined(separator: ", ")
        guard missing.isEmpty else {
            return DoctorCheck(name: "gpus", status: .fail, detail: "lab.yaml names GPUs this host does not have: \(missing.joined(separator: ", "))\(mig)",
                               fix: "use indices 0-\(max(0, readings.gpus.count - 1)) or the UUIDs `nvidia-smi -L` lists")
        }
        return DoctorCheck(name: "gpus", status: .ok, detail: "lab.yaml's GPUs \(definition.gpus.joined(separator: ", ")) are all here\(mig)", fix: "")
    }

    /// Each member's ports are free, or held by the member's own container.
    func portCheck(_ plan: LabPlan) -> DoctorCheck {
        let ours = Set(((try? engine.containers(ofLab: plan.definition.name)) ?? []).filter { $0.status == "running" }.compactMap(\.member))
        var taken: [String] = []
        for member in plan.members where !ours.contains(member.name) {
            for (service, port) in member.ports where !PortProbe.canBind(address: plan.definition.bindAddress, port: port) {
                taken.append("\(port) (\(member.name)'s \(service.rawValue))")
            }
        }
        guard taken.isEmpty else {
            return DoctorCheck(name: "ports", status: .fail, detail: "taken by another program: \(taken.joined(separator: ", "))",
                               fix: "stop what listens there (ss -ltnp shows it) or move ports: in lab.yaml")
        }
        let count = plan.members.reduce(0) { $0 + $1.ports.count }
        return DoctorCheck(name: "ports", status: .ok, detail: "\(count) member port\(count == 1 ? "" : "s") free or held by the member's own container", fix: "")
    }

    /// The homes' file system: free space, and whether it can enforce a disk limit (XFS with project quotas).
    func homesChecks(_ plan: LabPlan) -> [DoctorCheck] {
        let definition = plan.definition
        var folder = definition.homes
        var information = stat()
        while stat(folder, &information) != 0 && folder != "/" { folder = FilePath.parent(folder).isEmpty ? "/" : FilePath.parent(folder) }
        var checks: [DoctorCheck] = []
        var fileSystem = statvfs()
        if statvfs(folder, &fileSystem) == 0 {
            let free = Int(fileSystem.f_bavail) &* Int(fileSystem.f_frsize)
            let total = Int(fileSystem.f_blocks) &* Int(fileSystem.f_frsize)
            let share = total > 0 ? free * 100 / total : 0
            checks.append(DoctorCheck(name: "homes space", status: share < 10 ? .warn : .ok,
                                      detail: "\(describeByteSize(free)) free of \(describeByteSize(total)) (\(share)%) on \(folder)",
                                      fix: share < 10 ? "free space, or move homes: to a larger file system" : ""))
        }
        let mount = LabQuota.mount(containing: folder)
        let wantsDisk = definition.limits.disk != nil || plan.members.contains { $0.limits.disk != nil }
        if let mount, mount.type == "xfs", mount.options.contains(where: { $0 == "prjquota" || $0 == "pquota" || $0 == "pqnoenforce" }) {
            checks.append(DoctorCheck(name: "home quotas", status: .ok, detail: "\(mount.point) is XFS with project quotas: limits.disk is enforced on homes", fix: ""))
        } else {
            let what = mount.map { "\($0.point) is \($0.type)\($0.type == "xfs" ? " without prjquota" : "")" } ?? "the homes' file system is unknown"
            checks.append(DoctorCheck(name: "home quotas", status: wantsDisk ? .warn : .skip,
                                      detail: "\(what): a home's size cannot be enforced\(wantsDisk ? "; limits.disk is only watched (lab top warns past it)" : "")",
                                      fix: wantsDisk ? "put homes on XFS mounted with prjquota to enforce limits.disk" : ""))
        }
        return checks
    }

    private func text(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self).trimmingWhitespace() }
}

/// `12.4.1` → `12.4`.
func majorMinor(_ version: String) -> String {
    version.split(separator: ".").prefix(2).joined(separator: ".")
}

/// Compares dotted versions number by number: -1, 0 or 1.
func compareVersions(_ left: String, _ right: String) -> Int {
    let a = left.split(separator: ".").map { Int($0) ?? 0 }
    let b = right.split(separator: ".").map { Int($0) ?? 0 }
    for index in 0..<max(a.count, b.count) {
        let x = index < a.count ? a[index] : 0
        let y = index < b.count ? b[index] : 0
        if x != y { return x < y ? -1 : 1 }
    }
    return 0
}

/// Whether a TCP port can be bound on an address (nothing else listens there).
enum PortProbe {
    static func canBind(address: String, port: Int) -> Bool {
        let isIPv6 = address.contains(":")
        let descriptor = socket(isIPv6 ? AF_INET6 : AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard descriptor >= 0 else { return true }
        defer { close(descriptor) }
        var one: Int32 = 1
        _ = setsockopt(descriptor, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        guard (1...65535).contains(port), let bound = withSocketAddress(address, port: port, { bind(descriptor, $0, $1) }) else { return true }
        return bound == 0
    }
}
