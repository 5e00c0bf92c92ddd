import Support

/// A file an export writes, relative to the output folder.
package struct ExportedFile: Sendable {
    package let name: String
    package let contents: String
    package let isExecutable: Bool

    package init(name: String, contents: String, isExecutable: Bool) {
        self.name = name
        self.contents = contents
        self.isExecutable = isExecutable
    }
}

/// Turns a lab plan into a Compose file or Kubernetes manifests. Secrets (VNC passwords, Jupyter tokens) are never
/// written into them: Compose mounts the files under secrets/, Kubernetes refers to Secrets made from those files.
package enum LabExport {
    /// YAML's double-quoted scalar is JSON's string syntax.
    static func quoted(_ text: String) -> String { JSONWriter.quoted(text) }

    /// `docker-compose.yaml`; `imageFolder` is the generated image's folder relative to it, when it has one.
    package static func compose(_ plan: LabPlan, imageFolder: String?) -> ExportedFile {
        let definition = plan.definition
        var lines = [
            "# The \(definition.name) lab, exported by `dockerkit lab export --format compose` from \(FilePath.lastComponent(definition.path)).",
            "# Ports and GPUs are the ones lab.state.json records; run `docker-compose -p \(definition.name) up -d` here.",
            "# VNC passwords and Jupyter tokens are files under \(definition.secretsDirectory), mounted read-only, never written here.",
            "services:",
        ]
        for member in plan.members {
            lines.append("  \(quoted(member.name)):")
            lines.append("    image: \(quoted(definition.image.tag))")
            if let imageFolder { lines.append("    build: \(quoted(imageFolder))") }
            lines.append("    container_name: \(quoted(member.container))")
            lines.append("    hostname: \(quoted(member.name))")
            lines.append("    restart: unless-stopped")
            lines.append("    labels:")
            lines.append("      \(quoted(LabContainerSpec.labLabel)): \(quoted(definition.name))")
            lines.append("      \(quoted(LabContainerSpec.memberLabel)): \(quoted(member.name))")
            lines.append("    environment:")
            lines.append("      LAB_USER: \(quoted(member.name))")
            lines.append("      LAB_UID: \(quoted(String(member.uid)))")
            switch definition.network {
            case .host:
                for (service, port) in member.ports { lines.append("      \(service.portVariable): \(quoted(String(port)))") }
                lines.append("    network_mode: host")
            case .bridge:
                lines.append("    ports:")
                for (service, port) in member.ports {
                    lines.append("      - \(quoted("\(LabContainerSpec.publishAddress(definition.bindAddress)):\(port):\(service.containerPort)"))")
                }
            }
            if let memory = member.limits.memory { lines.append("    mem_limit: \(memory)") }
            if let cpus = member.limits.cpus { lines.append("    cpus: \(LabContainerSpec.decimal(cpus))") }
            if let pids = member.limits.pids { lines.append("    pids_limit: \(pids)") }
            if let shm = member.limits.shm { lines.append("    shm_size: \(shm)") }
            lines.append("    volumes:")
            var mounts: [(String, String, Bool)] = [(member.home, "/home/\(member.name)", false),
                                                     (member.member.keyPath, "/run/secrets/authorized_keys", true)]
            if member.port(of: .novnc) != nil { mounts.append((definition.secretPath(of: member.name, .novnc), "/run/secrets/vnc_password", true)) }
            if member.port(of: .jupyter) != nil { mounts.append((definition.secretPath(of: member.name, .jupyter), "/run/secrets/jupyter_token", true)) }
            for dataset in definition.datasets { mounts.append((dataset.host, dataset.path, dataset.readOnly)) }
            for (source, target, readOnly) in mounts {
                lines.append("      - type: bind")
                lines.append("        source: \(quoted(source))")
                lines.append("        target: \(quoted(target))")
                if readOnly { lines.append("        read_only: true") }
            }
            if !member.gpus.isEmpty {
                lines.append("    deploy:")
                lines.append("      resources:")
                lines.append("        reservations:")
                lines.append("          devices:")
                lines.append("            - driver: nvidia")
                lines.append("              device_ids: [\(member.gpus.map(quoted).joined(separator: ", "))]")
                lines.append("              capabilities: [gpu]")
            }
        }
        return ExportedFile(name: "docker-compose.yaml", contents: lines.joined(separator: "\n") + "\n", isExecutable: false)
    }

    /// A DNS-1123 label for Kubernetes names: member names may hold `_`, which Kubernetes refuses.
    static func resourceName(_ text: String) -> String {
        String(text.lowercased().map { $0.isLetter || $0.isNumber || $0 == "-" ? $0 : "-" }.prefix(63))
    }

    /// `512Mi`, `32Gi`, or bytes.
    static func quantity(bytes: Int) -> String {
        if bytes % (1 << 30) == 0 { return "\(bytes >> 30)Gi" }
        if bytes % (1 << 20) == 0 { return "\(bytes >> 20)Mi" }
        if bytes % (1 << 10) == 0 { return "\(bytes >> 10)Ki" }
        return String(bytes)
    }

    /// `2`, `1500m`.
    static func cpuQuantity(_ cpus: Double) -> String {
        cpus == cpus.rounded() ? LabContainerSpec.decimal(cpus) : "\(Int((cpus * 1000).rounded()))m"
    }

    /// One manifest file per member (Secret for authorized_keys, PersistentVolumeClaim for the home, Deployment,
    /// Service), and `create-secrets.sh`, which makes the VNC and Jupyter Secrets from the files under secrets/.
    package static func kubernetes(_ plan: LabPlan, homeSize: String = "50Gi") -> [ExportedFile] {
        let definition = plan.definition
        var files: [ExportedFile] = []
        var secretCommands: [String] = []
        for member in plan.members {
            let base = resourceName("\(definition.name)-\(member.name)")
            let labels = ["app.kubernetes.io/name: \(quoted("dockerkit-lab"))", "app.kubernetes.io/instance: \(quoted(resourceName(definition.name)))",
                          "dockerkit.lab/member: \(quoted(resourceName(member.name)))"]
            func metadata(_ name: String, indent: String = "") -> [String] {
                ["\(indent)metadata:", "\(indent)  name: \(quoted(name))", "\(indent)  labels:"] + labels.map { "\(indent)    \($0)" }
            }
            var documents: [[String]] = []
            documents.append(["apiVersion: v1", "kind: Secret"] + metadata("\(base)-keys") + [
                "type: Opaque",
                "stringData:",
                "  authorized_keys: \(quoted(member.member.keys.joined(separator: "\n") + "\n"))",
            ])
            documents.append(["apiVersion: v1", "kind: PersistentVolumeClaim"] + metadata("\(base)-home") + [
                "spec:",
                "  accessModes: [\"ReadWriteOnce\"]",
                "  resources:",
                "    requests:",
                "      storage: \(quoted(homeSize))",
            ])
            var container = [
                "      - name: lab",
                "        image: \(quoted(definition.image.tag))",
                "        env:",
                "        - name: LAB_USER",
                "          value: \(quoted(member.name))",
                "        - name: LAB_UID",
                "          value: \(quoted(String(member.uid)))",
                "        ports:",
            ]
            for (service, _) in member.ports {
                container += ["        - name: \(service.rawValue)", "          containerPort: \(service.containerPort)"]
            }
            var limits: [String] = []
            if let memory = member.limits.memory { limits.append("memory: \(quoted(quantity(bytes: memory)))") }
            if let cpus = member.limits.cpus { limits.append("cpu: \(quoted(cpuQuantity(cpus)))") }
            if !member.gpus.isEmpty { limits.append("nvidia.com/gpu: \(member.gpus.count)") }
            if !limits.isEmpty {
                container += ["        resources:", "          limits:"] + limits.map { "            \($0)" }
            }
            container += [
                "        volumeMounts:",
                "        - name: home",
                "          mountPath: \(quoted("/home/\(member.name)"))",
                "        - name: keys",
                "          mountPath: \"/run/secrets/authorized_keys\"",
                "          subPath: authorized_keys",
                "          readOnly: true",
            ]
            var volumes = [
                "      - name: home",
                "        persistentVolumeClaim:",
                "          claimName: \(quoted("\(base)-home"))",
                "      - name: keys",
                "        secret:",
                "          secretName: \(quoted("\(base)-keys"))",
            ]
            for (service, file, target) in [(LabService.novnc, "vnc_password", "vnc"), (.jupyter, "jupyter_token", "jupyter")] where member.port(of: service) != nil {
                let secret = "\(base)-\(target)"
                container += ["        - name: \(target)", "          mountPath: \(quoted("/run/secrets/\(file)"))", "          subPath: \(file)", "          readOnly: true"]
                volumes += ["      - name: \(target)", "        secret:", "          secretName: \(quoted(secret))"]
                secretCommands.append("kubectl create secret generic \(secret) --from-file=\(file)=\(Quoting.shell(definition.secretPath(of: member.name, service))) --dry-run=client -o yaml | kubectl apply -f -")
            }
            if let shm = member.limits.shm {
                container += ["        - name: shm", "          mountPath: \"/dev/shm\""]
                volumes += ["      - name: shm", "        emptyDir:", "          medium: Memory", "          sizeLimit: \(quoted(quantity(bytes: shm)))"]
            }
            for (index, dataset) in definition.datasets.enumerated() {
                container += ["        - name: dataset-\(index)", "          mountPath: \(quoted(dataset.path))", "          readOnly: \(dataset.readOnly)"]
                volumes += ["      - name: dataset-\(index)", "        hostPath:", "          path: \(quoted(dataset.host))", "          type: Directory"]
            }
            var deployment = ["apiVersion: apps/v1", "kind: Deployment"] + metadata(base) + [
                "spec:",
                "  replicas: 1",
                "  strategy:",
                "    type: Recreate",
                "  selector:",
                "    matchLabels:",
            ] + labels.map { "      \($0)" } + [
                "  template:",
            ] + ["    metadata:", "      labels:"] + labels.map { "        \($0)" } + [
                "    spec:",
                "      hostname: \(quoted(resourceName(member.name)))",
                "      containers:",
            ]
            deployment += container
            deployment += ["      volumes:"] + volumes
            documents.append(deployment)
            var service = ["apiVersion: v1", "kind: Service"] + metadata(base) + [
                "spec:",
                "  type: NodePort",
                "  selector:",
            ] + labels.map { "    \($0)" } + ["  ports:"]
            for (name, port) in member.ports {
                service += ["  - name: \(name.rawValue)", "    port: \(name.containerPort)", "    targetPort: \(name.containerPort)"]
                // The port lab.yaml gave is kept when it is a node port the cluster allows; otherwise the cluster
                // chooses one, and `kubectl get service` shows it.
                if (30000...32767).contains(port) { service.append("    nodePort: \(port)") }
            }
            documents.append(service)
            var text = "# Member \(member.name) of the \(definition.name) lab, exported by `dockerkit lab export --format kubernetes`.\n"
            text += "# The image must be in a registry the cluster pulls from. GPUs are requested by count (nvidia.com/gpu);\n"
            text += "# the datasets are hostPath folders on the nodes. Docker's pids limit has no per-pod equivalent here.\n"
            text += documents.map { $0.joined(separator: "\n") + "\n" }.joined(separator: "---\n")
            files.append(ExportedFile(name: "\(base).yaml", contents: text, isExecutable: false))
        }
        var script = "#!/bin/sh\n# Makes the Secrets the manifests refer to from the files under \(definition.secretsDirectory);\n"
        script += "# the secrets themselves are never written into the manifests.\nset -eu\n"
        script += secretCommands.map { $0 + "\n" }.joined()
        files.append(ExportedFile(name: "create-secrets.sh", contents: script, isExecutable: true))
        return files
    }
}
