import Foundation
import Testing
@testable import Lab

/// Real `nvidia-smi` output, recorded on an NVIDIA H100 (driver 580.159.04, CUDA 13.0) with and without a PyTorch
/// process holding about 6.9 GB (Fixtures/nvidia-smi-h100).
private func fixture(_ name: String) throws -> String {
    let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/nvidia-smi-h100/\(name)")
    return try String(contentsOf: url, encoding: .utf8)
}

@Test func theGPUQueryOfARealH100IsRead() throws {
    let (gpus, driver) = GPUReadings.parseGPUs(try fixture("query-gpu-busy.csv"))
    #expect(driver == "580.159.04")
    #expect(gpus == [GPUReadings.GPU(index: "0", uuid: "GPU-63fec18a-dd8a-d161-9897-fc2335cba94b", name: "NVIDIA H100 80GB HBM3",
                                     memoryTotal: 81559, memoryUsed: 6955, utilization: 100, busID: "00000000:00:06.0", migMode: "Disabled")])
    #expect(GPUReadings.parseGPUs(try fixture("query-gpu-idle.csv")).gpus.first?.utilization == 0)
}

@Test func computeProcessesAreReadAndNoneIsEmpty() throws {
    #expect(GPUReadings.parseProcesses(try fixture("query-apps-busy.csv"))
        == [GPUReadings.Process(gpuUUID: "GPU-63fec18a-dd8a-d161-9897-fc2335cba94b", pid: 475, usedMemory: 6946, name: "python3")])
    #expect(GPUReadings.parseProcesses(try fixture("query-apps-idle.csv")).isEmpty)
}

@Test func theDriversCUDAVersionComesFromTheBannerOrTheXML() throws {
    #expect(GPUReadings.parseCUDAVersion(try fixture("smi.txt")) == "13.0")
    #expect(GPUReadings.parseCUDAVersion(try fixture("smi-q.xml")) == "13.0")
}

@Test func migDevicesAreListedUnderTheirGPU() throws {
    #expect(GPUReadings.parseMIGDevices(try fixture("smi-L.txt")).isEmpty)
    let listed = "GPU 0: NVIDIA A100-SXM4-40GB (UUID: GPU-5d5ba0d6-d33d-2b2c-524d-9e3d8d2b8a77)\n  MIG 3g.20gb     Device  0: (UUID: MIG-4d3b1f2e-5c6a-5a0b-9f0e-1a2b3c4d5e6f)\n"
    #expect(GPUReadings.parseMIGDevices(listed) == [GPUReadings.MIGDevice(gpuIndex: "0", profile: "3g.20gb", uuid: "MIG-4d3b1f2e-5c6a-5a0b-9f0e-1a2b3c4d5e6f")])
}

@Test func aGPUProcessIsMappedToItsContainerThroughItsCgroup() throws {
    let id = String(repeating: "ab12", count: 16)
    #expect(LabOperations.containerID(ofProcess: 1, cgroupText: "0::/system.slice/docker-\(id).scope\n") == id)
    #expect(LabOperations.containerID(ofProcess: 1, cgroupText: "12:memory:/docker/\(id)\n") == id)
    // The accelerator machine runs no engine: its process is in no container.
    #expect(LabOperations.containerID(ofProcess: 475, cgroupText: try fixture("pid-cgroups.txt")) == nil)
}

@Test func theDoctorComparesTheImagesCUDAWithTheDriver() throws {
    let plan = try LabAllocator.plan(try readLab(issueExample), state: LabState(), today: "2026-12-07")
    let doctor = LabDoctor(engine: LabEngine(engine: "/bin/false"), environment: [:])
    let readings = GPUReadings(driverVersion: "580.159.04", cudaVersion: "13.0", gpus: GPUReadings.parseGPUs(try fixture("query-gpu-idle.csv")).gpus)
    #expect(doctor.cudaCheck(readings, plan: plan).status == .ok)
    let old = GPUReadings(driverVersion: "470.82.01", cudaVersion: "11.4", gpus: readings.gpus)
    let check = doctor.cudaCheck(old, plan: plan)
    #expect(check.status == .fail && check.fix.contains("12.4") && check.fix.contains("11.4"), "\(check)")
    // The lab hands out GPUs 0-3; this host has one.
    let gpus = doctor.gpuCheck(readings, definition: plan.definition)
    #expect(gpus.status == .fail && gpus.detail.contains("1, 2, 3"), "\(gpus)")
}

@Test func theDoctorWithoutADriverSaysSoAndHowToFixIt() throws {
    let plan = try LabAllocator.plan(try readLab(issueExample), state: LabState(), today: "2026-12-07")
    let checks = LabDoctor(engine: LabEngine(engine: "/bin/false"), environment: [:],
                           readings: .failure(GPUReadingFailure(message: "nvidia-smi is not installed"))).checks(plan)
    #expect(checks.first { $0.name == "engine" }?.status == .fail)
    #expect(checks.first { $0.name == "nvidia driver" }?.status == .fail)
    #expect(checks.allSatisfy { $0.status == .ok || $0.status == .skip || !$0.fix.isEmpty || $0.name == "home quotas" })
}

@Test func mountsAreReadWithEscapedSpacesAndTheLongestPrefixWins() {
    let text = "/dev/sda1 / ext4 rw 0 0\n/dev/loop0 /srv/lab\\040homes xfs rw,prjquota 0 0\n"
    let mount = LabQuota.mount(containing: "/srv/lab homes/alice", mountsText: text)
    #expect(mount?.point == "/srv/lab homes" && mount.map(LabQuota.enforcesProjectQuotas) == true)
    #expect(LabQuota.mount(containing: "/srv/other", mountsText: text)?.point == "/")
}

@Test func durationsAndDockerSizesRead() {
    #expect(LabDefinitionReader.duration("48h") == 172_800 && LabDefinitionReader.duration("7d") == 604_800 && LabDefinitionReader.duration("x") == nil)
    #expect(LabEngine.bytes("12.5MiB") == 13_107_200 && LabEngine.bytes("1.5GiB") == 1_610_612_736 && LabEngine.bytes("100B") == 100)
}
