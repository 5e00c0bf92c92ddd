import Testing
@testable import Lab

private func examplePlan() throws -> LabPlan {
    try LabAllocator.plan(try readLab(issueExample), state: LabState(), today: "2026-12-07")
}

@Test func containerArgumentsCarryLimitsGPUsMountsAndLabels() throws {
    let plan = try examplePlan()
    let bob = try #require(plan.members.first { $0.name == "bob" })
    let spec = LabContainerSpec(bob, in: plan, image: "nlp-lab/gpu:12.4", imageID: "sha256:1")
    let arguments = spec.arguments.joined(separator: " ")
    #expect(arguments.contains("--name nlp-lab-bob --restart unless-stopped"))
    #expect(arguments.contains("--network nlp-lab-bob --hostname bob"))
    #expect(arguments.contains("--label dockerkit.lab.member=bob"))
    #expect(arguments.contains("--publish 0.0.0.0:2201:22 --publish 0.0.0.0:6081:6080"))
    #expect(arguments.contains("--memory 68719476736 --cpus 8 --pids-limit 4096 --shm-size 8589934592"))
    #expect(arguments.contains("--gpus \"device=0,1\""))
    #expect(arguments.contains("type=bind,source=/srv/lab/homes/bob,target=/home/bob"))
    #expect(arguments.contains("type=bind,source=/lab/secrets/bob-vnc,target=/run/secrets/vnc_password,readonly"))
    #expect(arguments.contains("type=bind,source=/srv/datasets,target=/datasets,readonly"))
    #expect(arguments.contains("type=bind,source=/lab/secrets/bob-hostkeys,target=/run/secrets/ssh_host_keys,readonly"))
    #expect(spec.arguments.last == "nlp-lab/gpu:12.4")
}

@Test func settingsDigestChangesWithTheImageAndNotOtherwise() throws {
    let plan = try examplePlan()
    let alice = plan.members[0]
    let one = LabContainerSpec(alice, in: plan, image: "i", imageID: "sha256:1")
    #expect(one.settingsDigest == LabContainerSpec(alice, in: plan, image: "i", imageID: "sha256:1").settingsDigest)
    #expect(one.settingsDigest != LabContainerSpec(alice, in: plan, image: "i", imageID: "sha256:2").settingsDigest)
}

@Test func differencesNameWhatChangedSinceTheContainerWasMade() throws {
    let plan = try examplePlan()
    let alice = plan.members[0]
    let old = LabContainerSpec(alice, in: plan, image: "i", imageID: "sha256:1")
    let labels = Dictionary(uniqueKeysWithValues: stride(from: 0, to: old.arguments.count - 1, by: 1).compactMap { index -> (String, String)? in
        guard old.arguments[index] == "--label" else { return nil }
        let parts = old.arguments[index + 1].split(separator: "=", maxSplits: 1).map(String.init)
        return (parts[0], parts[1])
    })
    #expect(old.differences(from: labels).isEmpty)
    #expect(LabContainerSpec(alice, in: plan, image: "i", imageID: "sha256:2").differences(from: labels) == ["the image changed"])
}

@Test func mountPathsWithCommasAreQuotedForDockersCSV() {
    #expect(LabContainerSpec.mountField(source: "/srv/a,b", target: "/data", readOnly: true) == "type=bind,\"source=/srv/a,b\",target=/data,readonly")
    #expect(LabContainerSpec.mountField(source: "/srv/\"q\"", target: "/d", readOnly: false) == "type=bind,\"source=/srv/\"\"q\"\"\",target=/d")
    #expect(LabContainerSpec.mountField(source: "/srv/plain", target: "/d", readOnly: false) == "type=bind,source=/srv/plain,target=/d")
}

@Test func composeExportHasEveryMemberAndNoSecretValues() throws {
    let compose = LabExport.compose(try examplePlan(), imageFolder: "./image").contents
    #expect(compose.contains("services:\n  \"alice\":\n    image: \"nlp-lab/gpu:12.4\"\n    build: \"./image\""))
    #expect(compose.contains("      - \"0.0.0.0:2202:22\""))
    #expect(compose.contains("              device_ids: [\"3\"]\n              capabilities: [gpu]"))
    #expect(compose.contains("        source: \"/lab/secrets/carol-vnc\"\n        target: \"/run/secrets/vnc_password\"\n        read_only: true"))
    #expect(compose.contains("    mem_limit: 68719476736"))
}

@Test func kubernetesExportRequestsGPUsAndKeepsVNCPasswordsOut() throws {
    let files = LabExport.kubernetes(try examplePlan())
    #expect(files.map(\.name) == ["nlp-lab-alice.yaml", "nlp-lab-bob.yaml", "nlp-lab-carol.yaml", "create-secrets.sh"])
    let bob = files[1].contents
    #expect(bob.contains("kind: Deployment"))
    #expect(bob.contains("            nvidia.com/gpu: 2"))
    #expect(bob.contains("            memory: \"64Gi\"\n            cpu: \"8\""))
    #expect(bob.contains("kind: PersistentVolumeClaim"))
    #expect(bob.contains("  type: NodePort"))
    #expect(bob.contains("secretName: \"nlp-lab-bob-vnc\""))
    #expect(bob.contains("authorized_keys: \"ssh-ed25519 "))
    #expect(files[3].contents.contains("kubectl create secret generic nlp-lab-bob-vnc --from-file=vnc_password='/lab/secrets/bob-vnc'"))
}

@Test func kubernetesNamesReplaceWhatDNSLabelsRefuse() {
    #expect(LabExport.resourceName("lab-a_b") == "lab-a-b")
    #expect(LabExport.quantity(bytes: 512 << 20) == "512Mi")
    #expect(LabExport.cpuQuantity(1.5) == "1500m")
}
