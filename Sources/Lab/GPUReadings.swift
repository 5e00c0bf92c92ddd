import FoundationEssentials
import Support
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// What `nvidia-smi` reports of the host's GPUs: the driver, the newest CUDA it runs, each GPU and MIG device, and
/// the processes using them. Parsed from the tool's own output (CSV queries, `-L`, the banner), never guessed.
package struct GPUReadings: Sendable, Equatable {
    package struct GPU: Sendable, Equatable {
        package let index: String
        package let uuid: String
        package let name: String
        /// MiB.
        package let memoryTotal: Int?
        /// MiB.
        package let memoryUsed: Int?
        /// Percent, over the driver's last sample period.
        package let utilization: Int?
        package let busID: String
        /// `Enabled`, `Disabled`, or nil where MIG is not supported.
        package let migMode: String?
    }

    /// A compute process on a GPU.
    package struct Process: Sendable, Equatable {
        package let gpuUUID: String
        package let pid: Int
        /// MiB.
        package let usedMemory: Int?
        package let name: String
    }

    /// A MIG device (`MIG-…`) inside a GPU.
    package struct MIGDevice: Sendable, Equatable {
        package let gpuIndex: String
        package let profile: String
        package let uuid: String
    }

    package var driverVersion: String?
    /// The newest CUDA the driver runs (`13.0`).
    package var cudaVersion: String?
    package var gpus: [GPU]
    package var processes: [Process]
    package var migDevices: [MIGDevice]

    package init(driverVersion: String? = nil, cudaVersion: String? = nil, gpus: [GPU] = [], processes: [Process] = [], migDevices: [MIGDevice] = []) {
        self.driverVersion = driverVersion
        self.cudaVersion = cudaVersion
        self.gpus = gpus
        self.processes = processes
        self.migDevices = migDevices
    }

    /// The fields asked of `nvidia-smi --query-gpu`, in order.
    package static let gpuQuery = "index,uuid,name,driver_version,memory.total,memory.used,utilization.gpu,pci.bus_id,mig.mode.current"
    /// The fields asked of `nvidia-smi --query-compute-apps`, in order.
    package static let processQuery = "gpu_uuid,pid,used_memory,process_name"

    /// Reads `--query-gpu=gpuQuery --format=csv,noheader,nounits` output.
    package static func parseGPUs(_ text: String) -> (gpus: [GPU], driver: String?) {
        var gpus: [GPU] = []
        var driver: String?
        for line in text.split(whereSeparator: \.isNewline) {
            let fields = line.split(separator: ",", omittingEmptySubsequences: false).map { String($0).trimmingWhitespace() }
            guard fields.count >= 9, !fields[0].isEmpty, fields[0].allSatisfy(\.isNumber) else { continue }
            driver = driver ?? known(fields[3])
            gpus.append(GPU(index: fields[0], uuid: fields[1], name: fields[2], memoryTotal: Int(fields[4]), memoryUsed: Int(fields[5]),
                            utilization: Int(fields[6]), busID: fields[7], migMode: known(fields[8])))
        }
        return (gpus, driver)
    }

    /// Reads `--query-compute-apps=processQuery --format=csv,noheader,nounits` output (empty when none run).
    package static func parseProcesses(_ text: String) -> [Process] {
        var processes: [Process] = []
        for line in text.split(whereSeparator: \.isNewline) {
            let fields = line.split(separator: ",", maxSplits: 3, omittingEmptySubsequences: false).map { String($0).trimmingWhitespace() }
            guard fields.count >= 3, let pid = Int(fields[1]), pid > 0 else { continue }
            processes.append(Process(gpuUUID: fields[0], pid: pid, usedMemory: Int(fields[2]), name: fields.count > 3 ? fields[3] : ""))
        }
        return processes
    }

    /// The `CUDA Version: 13.0` of `nvidia-smi`'s banner (or `<cuda_version>` of `-q -x`).
    package static func parseCUDAVersion(_ text: String) -> String? {
        for marker in ["CUDA Version:", "<cuda_version>"] {
            guard let range = text.firstRange(of: marker) else { continue }
            let rest = text[range.upperBound...].drop { $0 == " " }
            let version = rest.prefix { $0.isNumber || $0 == "." }
            if !version.isEmpty { return String(version) }
        }
        return nil
    }

    /// MIG devices from `nvidia-smi -L`: `  MIG 3g.40gb Device 0: (UUID: MIG-…)` under `GPU 0: … (UUID: GPU-…)`.
    package static func parseMIGDevices(_ text: String) -> [MIGDevice] {
        var devices: [MIGDevice] = []
        var gpu = ""
        for raw in text.split(whereSeparator: \.isNewline) {
            let line = raw.trimmingWhitespace()
            if line.hasPrefix("GPU "), let colon = line.firstIndex(of: ":") {
                gpu = String(line[line.index(line.startIndex, offsetBy: 4)..<colon])
            } else if line.hasPrefix("MIG "), let uuidStart = line.firstRange(of: "UUID: ") {
                let uuid = line[uuidStart.upperBound...].prefix { $0 != ")" }
                let profile = line.dropFirst(4).prefix { $0 != " " }
                devices.append(MIGDevice(gpuIndex: gpu, profile: String(profile), uuid: String(uuid)))
            }
        }
        return devices
    }

    /// `[N/A]`, `N/A`, `[Not Supported]` and empty fields are unknown.
    private static func known(_ field: String) -> String? {
        field.isEmpty || field.hasPrefix("[") || field == "N/A" ? nil : field
    }

    /// Reads the host's GPUs with `nvidia-smi` (found on PATH, or `executable`); nil with the reason when it cannot.
    package static func read(executable: String? = nil, environment: [String: String]) -> Result<GPUReadings, GPUReadingFailure> {
        guard let path = executable ?? FilePath.executable("nvidia-smi", environment: environment) else {
            return .failure(GPUReadingFailure(message: "nvidia-smi is not installed: this host has no NVIDIA driver (or it is not on PATH)"))
        }
        func run(_ arguments: [String]) -> (status: Int32, text: String)? {
            guard let result = try? ChildProcess.run(path, arguments: arguments) else { return nil }
            return (result.status, String(decoding: result.output, as: UTF8.self) + String(decoding: result.errorOutput, as: UTF8.self))
        }
        let query = run(["--query-gpu=\(gpuQuery)", "--format=csv,noheader,nounits"])
        guard let gpuQuery = query, gpuQuery.status == 0 else {
            let text = query?.text ?? "it could not be started"
            return .failure(GPUReadingFailure(message: "nvidia-smi failed: \(text.trimmingWhitespace().escapingControlCharacters())"))
        }
        let (gpus, driver) = parseGPUs(gpuQuery.text)
        var readings = GPUReadings(driverVersion: driver, gpus: gpus)
        if let banner = run([]), banner.status == 0 { readings.cudaVersion = parseCUDAVersion(banner.text) }
        if let apps = run(["--query-compute-apps=\(processQuery)", "--format=csv,noheader,nounits"]), apps.status == 0 {
            readings.processes = parseProcesses(apps.text)
        }
        if let list = run(["-L"]), list.status == 0 { readings.migDevices = parseMIGDevices(list.text) }
        return .success(readings)
    }
}

/// Why the GPUs could not be read.
package struct GPUReadingFailure: Error, Sendable, Equatable {
    package let message: String
}
