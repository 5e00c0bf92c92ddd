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

    /// A line of text for a `#` comment: control characters (a newline would end the comment) escaped.
    static func comment(_ text: String) -> String { text.escapingControlCharacters() }

    /// `docker-compose.yaml`: the image `lab up` runs (built from `imageFolder` with the keys' digest as a label, when
    /// the lab builds it), a network per member (bridge), the host keys and secrets mounted as `lab up` mounts them.
    package static func compose(_ plan: LabPlan, imageFolder: (path: String, digest: String)?) -> ExportedFile {
        let definition = plan.definition
        var lines = [
            "# The \(comment(definition.name)) lab, exported by `dockerkit lab export --format compose` from \(comment(FilePath.lastComponent(definition.path))).",
            "# Ports and GPUs are the ones the lab's state records; run `docker-compose up -d` here.",
            "# VNC passwords, Jupyter tokens and SSH host keys are files under \(comment(definition.secretsDirectory)), mounted read-only, never written here.",
            "services:",
        ]
        for member in plan.members {
            lines.append("  \(quoted(member.name)):")
            lines.append("    image: \(quoted(member.image ?? definition.image.tag))")
            if let imageFolder, member.image == nil {
                lines += ["    build:", "      context: \(quoted(imageFolder.path))", "      labels:",
                          "        \(quoted(LabOperations.imageDigestLabel)): \(quoted(imageFolder.digest))"]
            }
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
                // Each member on a network of their own, as `lab up` makes them: no route to another member.
                lines.append("    networks: [\(quoted(member.name))]")
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
            if member.port(of: .ssh) != nil { mounts.append((definition.hostKeysDirectory(of: member.name), LabContainerSpec.hostKeysTarget, true)) }
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
        if definition.network == .bridge {
            lines.append("networks:")
            for member in plan.members { lines.append("  \(quoted(member.name)): {}") }
        }
        return ExportedFile(name: "docker-compose.yaml", contents: lines.joined(separator: "\n") + "\n", isExecutable: false)
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

    /// How the manifests publish and name things.
    package struct KubernetesOptions: Sendable {
        /// `HOST/PATH` the cluster pulls from; the image's name goes under it.
        package var registry: String?
        /// The cluster's node-port range (Kubernetes' default unless told).
        package var nodePorts: ClosedRange<Int> = 30000...32767
        /// `NodePort` (the lab's ports, which must be in `nodePorts`), `LoadBalancer` or `ClusterIP`.
        package var serviceType = "NodePort"
        package var homeSize = "50Gi"
        /// A Job per member that copies their home from this server's folder into the volume (`--homes-job`).
        package var homesJob = false
        /// Why the Service is not what was asked for (a draft export whose ports are no node ports).
        var serviceNote: String?

        package init() {}
    }

    /// A DNS-1123 label from `text`: lower-case letters, digits and `-`, starting and ending with a letter or digit.
    static func dnsLabel(_ text: String, limit: Int = 63) -> String {
        var label = String(text.lowercased().map { ($0.isASCII && ($0.isLetter || $0.isNumber)) || $0 == "-" ? $0 : "-" }.prefix(limit))
        while label.hasSuffix("-") { label.removeLast() }
        while label.hasPrefix("-") { label.removeFirst() }
        return label.isEmpty ? "x" : label
    }

    /// Each member's object name (`LAB-MEMBER`, short enough for the suffixes); two members whose names would
    /// become the same object are an error naming both.
    static func objectNames(_ plan: LabPlan) throws(InputError) -> [String: String] {
        var names: [String: String] = [:]
        var owners: [String: String] = [:]
        for member in plan.members {
            let name = dnsLabel("\(plan.definition.name)-\(member.name)", limit: 50)
            if let other = owners[name] {
                throw InputError(source: plan.definition.path, message: "members \(other) and \(member.name) would both be the Kubernetes objects \(name); rename one of them")
            }
            owners[name] = member.name
            names[member.name] = name
        }
        return names
    }

    /// The image as the cluster pulls it: under `registry` when given (a name that names its own registry is kept).
    static func clusterImage(_ image: String, registry: String?) -> String {
        guard let registry, !registry.isEmpty else { return image }
        let first = image.split(separator: "/").first.map(String.init) ?? ""
        let namesRegistry = image.contains("/") && (first.contains(".") || first.contains(":") || first == "localhost")
        return namesRegistry ? image : (registry.hasSuffix("/") ? String(registry.dropLast()) : registry) + "/" + image
    }

    /// Why `member`'s ports cannot be node ports of the cluster, with the fix; nil when they can (or no NodePort).
    package static func nodePortProblem(_ member: MemberPlan, options: KubernetesOptions) -> String? {
        guard options.serviceType == "NodePort", let (_, port) = member.ports.first(where: { !options.nodePorts.contains($0.port) }) else { return nil }
        return "\(member.name)'s port \(port) is outside the cluster's node ports (\(options.nodePorts.lowerBound)-\(options.nodePorts.upperBound)): "
            + "give ports in that range in lab.yaml, --node-port-range LOW-HIGH for a cluster configured otherwise, or --service-type LoadBalancer or ClusterIP"
    }

    /// One manifest file per member (the authorized keys as a Secret, the home's PersistentVolumeClaim, the
    /// Deployment with an init container that gives the home to the member, the Service, a NetworkPolicy), and
    /// `create-secrets.sh`, which makes the Secrets that come from files under secrets/ (host keys, VNC, Jupyter).
    /// Ports that cannot be node ports are an error with `registry` (manifests to apply); without one (a draft to
    /// review) their Service is ClusterIP, with a comment saying why.
    package static func kubernetes(_ plan: LabPlan, options: KubernetesOptions = KubernetesOptions()) throws(InputError) -> [ExportedFile] {
        let definition = plan.definition
        let names = try objectNames(plan)
        var files: [ExportedFile] = []
        var secretCommands: [String] = []
        for member in plan.members {
            var memberOptions = options
            if let problem = nodePortProblem(member, options: options) {
                // Manifests for a registry are meant to be applied: refused. Without one they are a draft to review
                // (the image is not pullable yet either): the Service becomes ClusterIP, and says why.
                guard options.registry == nil else { throw InputError(source: definition.path, message: problem) }
                memberOptions.serviceType = "ClusterIP"
                memberOptions.serviceNote = problem
            }
            let base = names[member.name] ?? dnsLabel(member.name)
            let (document, commands) = kubernetesMember(member, base: base, plan: plan, options: memberOptions)
            secretCommands += commands
            files.append(ExportedFile(name: "\(base).yaml", contents: document, isExecutable: false))
        }
        var script = "#!/bin/sh\n# Makes the Secrets the manifests refer to from the files under \(comment(definition.secretsDirectory));\n"
        script += "# the secrets themselves are never written into the manifests.\nset -eu\n"
        script += secretCommands.map { $0 + "\n" }.joined()
        files.append(ExportedFile(name: "create-secrets.sh", contents: script, isExecutable: true))
        return files
    }

    private static func kubernetesMember(_ member: MemberPlan, base: String, plan: LabPlan, options: KubernetesOptions) -> (String, [String]) {
        let definition = plan.definition
        let image = clusterImage(member.image ?? definition.image.tag, registry: options.registry)
        let labels = ["app.kubernetes.io/name: \"dockerkit-lab\"", "app.kubernetes.io/instance: \(quoted(dnsLabel(definition.name)))",
                      "dockerkit.lab/member: \(quoted(base))"]
        func metadata(_ name: String) -> [String] { ["metadata:", "  name: \(quoted(name))", "  labels:"] + labels.map { "    \($0)" } }
        let home = "/home/\(member.name)"
        var documents: [[String]] = []
        var commands: [String] = []
        documents.append(["apiVersion: v1", "kind: Secret"] + metadata("\(base)-keys") + [
            "type: Opaque", "stringData:", "  authorized_keys: \(quoted(member.member.keys.joined(separator: "\n") + "\n"))",
        ])
        documents.append(["apiVersion: v1", "kind: PersistentVolumeClaim"] + metadata("\(base)-home") + [
            "spec:", "  accessModes: [\"ReadWriteOnce\"]", "  resources:", "    requests:", "      storage: \(quoted(options.homeSize))",
        ])
        var container = ["      - name: lab", "        image: \(quoted(image))", "        env:", "        - name: LAB_USER", "          value: \(quoted(member.name))",
                         "        - name: LAB_UID", "          value: \(quoted(String(member.uid)))", "        ports:"]
        for (service, _) in member.ports { container += ["        - name: \(service.rawValue)", "          containerPort: \(service.containerPort)"] }
        var limits: [String] = []
        if let memory = member.limits.memory { limits.append("memory: \(quoted(quantity(bytes: memory)))") }
        if let cpus = member.limits.cpus { limits.append("cpu: \(quoted(cpuQuantity(cpus)))") }
        if !member.gpus.isEmpty { limits.append("nvidia.com/gpu: \(member.gpus.count)") }
        if !limits.isEmpty { container += ["        resources:", "          limits:"] + limits.map { "            \($0)" } }
        container += ["        volumeMounts:", "        - name: home", "          mountPath: \(quoted(home))",
                      "        - name: keys", "          mountPath: \"/run/secrets/authorized_keys\"", "          subPath: authorized_keys", "          readOnly: true"]
        var volumes = ["      - name: home", "        persistentVolumeClaim:", "          claimName: \(quoted("\(base)-home"))",
                       "      - name: keys", "        secret:", "          secretName: \(quoted("\(base)-keys"))", "          defaultMode: 256"]
        if member.port(of: .ssh) != nil {
            container += ["        - name: hostkeys", "          mountPath: \(quoted(LabContainerSpec.hostKeysTarget))", "          readOnly: true"]
            volumes += ["      - name: hostkeys", "        secret:", "          secretName: \(quoted("\(base)-hostkeys"))", "          defaultMode: 256"]
            commands.append("kubectl create secret generic \(base)-hostkeys --from-file=\(Quoting.shell(definition.hostKeysDirectory(of: member.name))) --dry-run=client -o yaml | kubectl apply -f -")
        }
        for (service, file, target) in [(LabService.novnc, "vnc_password", "vnc"), (.jupyter, "jupyter_token", "jupyter")] where member.port(of: service) != nil {
            let secret = "\(base)-\(target)"
            container += ["        - name: \(target)", "          mountPath: \(quoted("/run/secrets/\(file)"))", "          subPath: \(file)", "          readOnly: true"]
            volumes += ["      - name: \(target)", "        secret:", "          secretName: \(quoted(secret))", "          defaultMode: 256"]
            commands.append("kubectl create secret generic \(secret) --from-file=\(file)=\(Quoting.shell(definition.secretPath(of: member.name, service))) --dry-run=client -o yaml | kubectl apply -f -")
        }
        if let shm = member.limits.shm {
            container += ["        - name: shm", "          mountPath: \"/dev/shm\""]
            volumes += ["      - name: shm", "        emptyDir:", "          medium: Memory", "          sizeLimit: \(quoted(quantity(bytes: shm)))"]
        }
        for (index, dataset) in definition.datasets.enumerated() {
            container += ["        - name: dataset-\(index)", "          mountPath: \(quoted(dataset.path))", "          readOnly: \(dataset.readOnly)"]
            volumes += ["      - name: dataset-\(index)", "        hostPath:", "          path: \(quoted(dataset.host))", "          type: Directory"]
        }
        // A fresh volume is root's: the init container gives the home to the member (recursively only when it is not
        // theirs yet, as a home copied from the old server may be), and fsGroup lets their uid's group write it.
        let uid = String(member.uid)
        let chown = "[ \"$(stat -c %u \(Quoting.shell(home)))\" = \(uid) ] || chown -R \(uid):\(uid) \(Quoting.shell(home))"
        let initContainer = ["      initContainers:", "      - name: home-owner", "        image: \(quoted(image))",
                             "        command: [\"sh\", \"-c\", \(quoted(chown))]", "        securityContext:", "          runAsUser: 0",
                             "        volumeMounts:", "        - name: home", "          mountPath: \(quoted(home))"]
        documents.append(["apiVersion: apps/v1", "kind: Deployment"] + metadata(base) + [
            "spec:", "  replicas: 1", "  strategy:", "    type: Recreate", "  selector:", "    matchLabels:",
        ] + labels.map { "      \($0)" } + ["  template:", "    metadata:", "      labels:"] + labels.map { "        \($0)" } + [
            "    spec:", "      hostname: \(quoted(dnsLabel(member.name)))", "      securityContext:", "        fsGroup: \(uid)",
        ] + initContainer + ["      containers:"] + container + ["      volumes:"] + volumes)
        var service = ["apiVersion: v1", "kind: Service"] + metadata(base) + ["spec:", "  type: \(options.serviceType)", "  selector:"] + labels.map { "    \($0)" } + ["  ports:"]
        for (name, port) in member.ports {
            service += ["  - name: \(name.rawValue)", "    port: \(options.serviceType == "NodePort" ? name.containerPort : port)", "    targetPort: \(name.containerPort)"]
            if options.serviceType == "NodePort" { service.append("    nodePort: \(port)") }
        }
        documents.append(service)
        // Only the member's own ports are open to their pod; nothing else in the cluster may connect to it.
        documents.append(["apiVersion: networking.k8s.io/v1", "kind: NetworkPolicy"] + metadata(base) + [
            "spec:", "  podSelector:", "    matchLabels:", "      dockerkit.lab/member: \(quoted(base))", "  policyTypes: [\"Ingress\"]", "  ingress:",
            "  - from:", "    - ipBlock:", "        cidr: \"0.0.0.0/0\"", "    ports:",
        ] + member.ports.flatMap { ["    - protocol: TCP", "      port: \($0.service.containerPort)"] })
        if options.homesJob {
            // Run once, on the node that holds this server's homes (the hostPath), before the member's pod starts.
            let copy = "cp -a /old-home/. \(Quoting.shell(home))/ && chown \(uid):\(uid) \(Quoting.shell(home))"
            documents.append(["apiVersion: batch/v1", "kind: Job"] + metadata("\(base)-home-copy") + [
                "spec:", "  backoffLimit: 1", "  template:", "    metadata:", "      labels:",
            ] + labels.map { "        \($0)" } + [
                "    spec:", "      restartPolicy: Never", "      containers:", "      - name: copy", "        image: \(quoted(image))",
                "        command: [\"sh\", \"-c\", \(quoted(copy))]", "        securityContext:", "          runAsUser: 0", "        volumeMounts:",
                "        - name: home", "          mountPath: \(quoted(home))", "        - name: old-home", "          mountPath: \"/old-home\"", "          readOnly: true",
                "      volumes:", "      - name: home", "        persistentVolumeClaim:", "          claimName: \(quoted("\(base)-home"))",
                "      - name: old-home", "        hostPath:", "          path: \(quoted(member.home))", "          type: Directory",
            ])
        }
        var text = "# Member \(comment(member.name)) of the \(comment(definition.name)) lab, exported by `dockerkit lab export --format kubernetes`.\n"
        if options.homesJob {
            text += "# The Job \(base)-home-copy copies \(comment(member.home)) (owners kept) into the home volume: run it on the node that\n"
            text += "# holds that folder (a nodeSelector), and wait for it before the Deployment's first start.\n"
        }
        if options.registry == nil { text += "# The image must be pushed to a registry the cluster pulls from (export with --registry HOST/PATH to name it).\n" }
        if let note = options.serviceNote { text += "# The Service is ClusterIP: \(comment(note)).\n" }
        if !member.gpus.isEmpty {
            text += "# GPUs: on this server \(comment(member.name)) holds GPU \(member.gpus.map(comment).joined(separator: ", ")); Kubernetes allots a count\n"
            text += "# (nvidia.com/gpu: \(member.gpus.count)), not indices: to keep them on one machine, label a node and add a nodeSelector.\n"
        }
        if !definition.datasets.isEmpty { text += "# The datasets are hostPath folders: they must be at the same paths on the node the pod runs on.\n" }
        text += "# The NetworkPolicy needs a network plugin that enforces policies; docker's pids limit has no per-pod equivalent here.\n"
        text += documents.map { $0.joined(separator: "\n") + "\n" }.joined(separator: "---\n")
        return (text, commands)
    }
}
