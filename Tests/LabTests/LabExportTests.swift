import Foundation
import Support
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
    let compose = LabExport.compose(try examplePlan(), imageFolder: ("./image", "abc123")).contents
    #expect(compose.contains("services:\n  \"alice\":\n    image: \"nlp-lab/gpu:12.4\"\n    build:\n      context: \"./image\"\n      labels:\n        \"dockerkit.lab.image\": \"abc123\""))
    #expect(compose.contains("      - \"0.0.0.0:2202:22\""))
    #expect(compose.contains("              device_ids: [\"3\"]\n              capabilities: [gpu]"))
    #expect(compose.contains("        source: \"/lab/secrets/carol-vnc\"\n        target: \"/run/secrets/vnc_password\"\n        read_only: true"))
    #expect(compose.contains("    mem_limit: 68719476736"))
}

@Test func composeExportPutsEachMemberOnANetworkOfTheirOwnWithTheirHostKeys() throws {
    let compose = LabExport.compose(try examplePlan(), imageFolder: nil).contents
    #expect(compose.contains("    networks: [\"bob\"]\n"))
    #expect(compose.hasSuffix("networks:\n  \"alice\": {}\n  \"bob\": {}\n  \"carol\": {}\n"))
    #expect(compose.contains("        source: \"/lab/secrets/bob-hostkeys\"\n        target: \"/run/secrets/ssh_host_keys\"\n        read_only: true"))
    #expect(!compose.contains("build:"))
}

private func anyPorts() -> LabExport.KubernetesOptions {
    var options = LabExport.KubernetesOptions()
    options.nodePorts = 1...65535
    options.registry = "registry.example.org/lab"
    return options
}

@Test func kubernetesExportRequestsGPUsAndKeepsVNCPasswordsOut() throws {
    let files = try LabExport.kubernetes(try examplePlan(), options: anyPorts())
    #expect(files.map(\.name) == ["nlp-lab-alice.yaml", "nlp-lab-bob.yaml", "nlp-lab-carol.yaml", "create-secrets.sh"])
    let bob = files[1].contents
    #expect(bob.contains("kind: Deployment"))
    #expect(bob.contains("            nvidia.com/gpu: 2"))
    #expect(bob.contains("# GPUs: on this server bob holds GPU 0, 1; Kubernetes allots a count"))
    #expect(bob.contains("            memory: \"64Gi\"\n            cpu: \"8\""))
    #expect(bob.contains("kind: PersistentVolumeClaim"))
    #expect(bob.contains("  type: NodePort"))
    #expect(bob.contains("secretName: \"nlp-lab-bob-vnc\""))
    #expect(bob.contains("authorized_keys: \"ssh-ed25519 "))
    #expect(files[3].contents.contains("kubectl create secret generic nlp-lab-bob-vnc --from-file=vnc_password='/lab/secrets/bob-vnc'"))
}

@Test func kubernetesGivesHomesToTheMemberKeepsHostKeysAndIsolatesPods() throws {
    let files = try LabExport.kubernetes(try examplePlan(), options: anyPorts())
    let alice = files[0].contents
    #expect(alice.contains("      securityContext:\n        fsGroup: 2001\n      initContainers:\n      - name: home-owner"))
    #expect(alice.contains("        image: \"registry.example.org/lab/nlp-lab/gpu:12.4\""))
    #expect(!alice.contains("image: \"nlp-lab/gpu:12.4\""))
    #expect(alice.contains("          secretName: \"nlp-lab-alice-keys\"\n          defaultMode: 256"))
    #expect(alice.contains("          secretName: \"nlp-lab-alice-hostkeys\"\n          defaultMode: 256"))
    #expect(alice.contains("kind: NetworkPolicy"))
    #expect(alice.contains("      dockerkit.lab/member: \"nlp-lab-alice\"\n  policyTypes: [\"Ingress\"]"))
    #expect(files[3].contents.contains("kubectl create secret generic nlp-lab-alice-hostkeys --from-file='/lab/secrets/alice-hostkeys'"))
}

@Test func aNodePortOutsideTheClustersRangeIsAnErrorWithTheFix() throws {
    let plan = try examplePlan()
    var forRegistry = LabExport.KubernetesOptions()
    forRegistry.registry = "registry.example.org/lab"
    do {
        _ = try LabExport.kubernetes(plan, options: forRegistry)
        Issue.record("ports 2200-2299 were exported as node ports")
    } catch {
        #expect(error.message.contains("outside the cluster's node ports (30000-32767)") && error.message.contains("--node-port-range") && error.message.contains("--service-type"))
    }
    var clusterIP = forRegistry
    clusterIP.serviceType = "ClusterIP"
    #expect(!(try LabExport.kubernetes(plan, options: clusterIP))[0].contents.contains("nodePort"))
}

@Test func aDraftWithoutARegistrySaysWhyItsServicesAreClusterIP() throws {
    let alice = try LabExport.kubernetes(try examplePlan())[0].contents
    #expect(alice.contains("# The Service is ClusterIP: alice's port 2200 is outside the cluster's node ports"))
    #expect(alice.contains("  type: ClusterIP") && !alice.contains("nodePort"))
}

@Test func membersWhoseObjectNamesWouldCollideAreAnErrorNamingBoth() throws {
    let text = issueExample.replacingOccurrences(of: "{name: alice,", with: "{name: a_b,").replacingOccurrences(of: "{name: bob,", with: "{name: a-b,")
    let plan = try LabAllocator.plan(try readLab(text), state: LabState(), today: "2026-12-07")
    do {
        _ = try LabExport.kubernetes(plan, options: anyPorts())
        Issue.record("two members were given one set of objects")
    } catch {
        #expect(error.message.contains("members a_b and a-b would both be the Kubernetes objects nlp-lab-a-b"))
    }
}

@Test func kubernetesNamesAreDNSLabelsAndImagesQualified() {
    #expect(LabExport.dnsLabel("lab-a_b") == "lab-a-b")
    #expect(LabExport.dnsLabel("-x_") == "x")
    #expect(LabExport.dnsLabel(String(repeating: "a", count: 80), limit: 50).count == 50)
    #expect(LabExport.clusterImage("adm-lab/img:2", registry: "registry.example.org/lab/") == "registry.example.org/lab/adm-lab/img:2")
    #expect(LabExport.clusterImage("registry.example.org/img:2", registry: "other.example/x") == "registry.example.org/img:2")
    #expect(LabExport.clusterImage("adm-lab/img:2", registry: nil) == "adm-lab/img:2")
    #expect(LabExport.quantity(bytes: 512 << 20) == "512Mi")
    #expect(LabExport.cpuQuantity(1.5) == "1500m")
}

@Test func aHomesJobCopiesEachHomeFromThisServerKeepingOwners() throws {
    var options = anyPorts()
    options.homesJob = true
    let alice = try LabExport.kubernetes(try examplePlan(), options: options)[0].contents
    #expect(alice.contains("kind: Job\nmetadata:\n  name: \"nlp-lab-alice-home-copy\""))
    #expect(alice.contains("command: [\"sh\", \"-c\", \"cp -a /old-home/. '/home/alice'/ && chown 2001:2001 '/home/alice'\"]"))
    #expect(alice.contains("        hostPath:\n          path: \"/srv/lab/homes/alice\"\n          type: Directory"))
}
