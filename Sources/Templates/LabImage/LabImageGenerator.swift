import DockerfileSyntax
import Formatting
import Knowledge

/// Turns a lab-image request into a Dockerfile and its companion files by rendering the templates.
public struct LabImageGenerator: Sendable {
    /// Pinned so rebuilds give the same tools; bump together with the templates.
    static let jupyterLabVersion = "4.2.5"
    static let miniforgeVersion = "24.11.3-0"

    private let renderer: TemplateRenderer
    private let catalog: CudaImageCatalog
    private let mirrors: MirrorCatalog
    private let frameworks: FrameworkCatalog

    /// Renders from `templates` (the built-in copy unless a user's folder is given).
    public init(templates: any TemplateSource = BuiltinTemplates(), catalog: CudaImageCatalog = .shared, mirrors: MirrorCatalog = .shared,
                frameworks: FrameworkCatalog = .shared) {
        renderer = TemplateRenderer(source: templates)
        self.catalog = catalog
        self.mirrors = mirrors
        self.frameworks = frameworks
    }

    /// Generates the image's files; `invocation` is the command line, recorded in the Dockerfile's header.
    public func generate(_ asked: LabImageRequest, invocation: String) throws(LabImageGenerationError) -> LabImage {
        let values: [String: TemplateValue]
        let cudaImage: CudaImage?
        let baseImage: String
        var request = asked
        if request.condaEnvironment != nil { request.conda = true }
        do {
            try Self.validate(request, mirrors: mirrors)
            let framework = try FrameworkSelection(cudaImages: catalog, frameworks: frameworks).resolve(&request)
            cudaImage = try LabImageResolver.resolveCudaImage(request, catalog: catalog)
            baseImage = request.base ?? cudaImage.map { "nvidia/cuda:\($0.tag)" } ?? ""
            let distribution = try Self.distribution(for: request, cudaImage: cudaImage)
            values = try Self.templateValues(request, cudaImage: cudaImage, baseImage: baseImage, distribution: distribution,
                                             framework: framework, invocation: invocation, mirrors: mirrors)
        } catch {
            throw .request(error)
        }
        let hasEntrypoint = request.ssh || request.vnc || request.jupyter
        var files: [GeneratedFile] = []
        let outputs: [(template: String, name: String, executable: Bool, wanted: Bool)] = [
            ("Dockerfile.tmpl", "Dockerfile", false, true),
            ("dockerignore.tmpl", ".dockerignore", false, true),
            ("lab-entrypoint.sh.tmpl", "lab-entrypoint.sh", true, hasEntrypoint),
            ("run.sh.tmpl", "run.sh", true, true),
            ("README.md.tmpl", "README.md", false, true),
        ]
        do {
            for output in outputs where output.wanted {
                var contents = try renderer.render(output.template, values: values)
                // The Dockerfile comes out in `dockerkit fmt` layout, so the formatter's check passes on it as written.
                if output.name == "Dockerfile", let formatted = DockerfileFormatter.format(DockerfileParser.parse(contents)) {
                    contents = String(decoding: formatted, as: UTF8.self)
                }
                files.append(GeneratedFile(name: output.name, contents: contents, isExecutable: output.executable))
            }
            // The files the Dockerfile COPYs from the admin, as given.
            if let requirements = request.requirements {
                files.append(GeneratedFile(name: "requirements.txt", contents: requirements, isExecutable: false))
            }
            if let environment = request.condaEnvironment {
                files.append(GeneratedFile(name: "environment.yml", contents: environment, isExecutable: false))
            }
            let runCommand = try renderer.render("run-command.tmpl", values: values)
            return LabImage(cudaImage: cudaImage, baseImage: baseImage, files: files, runCommand: runCommand)
        } catch {
            throw .template(error)
        }
    }

    private static func validate(_ request: LabImageRequest, mirrors: MirrorCatalog) throws(LabImageRequestError) {
        if request.mirror != "none" && mirrors.mirror(named: request.mirror) == nil {
            throw LabImageRequestError(message: "unknown mirror '\(request.mirror)'; choose one of: \((mirrors.names + ["none"]).joined(separator: ", "))")
        }
        if let user = request.user {
            guard isAccountName(user), user != "root" else {
                throw LabImageRequestError(message: "'\(user)' is not a usable account name: lower-case letters, digits, '_' and '-', starting with a letter or '_', at most 32, not root")
            }
        } else if request.uid != nil || request.gid != nil || request.sudo {
            throw LabImageRequestError(message: "--uid, --gid and --sudo need --user NAME")
        }
        for id in [request.uid, request.gid].compactMap({ $0 }) where !(1...65_533).contains(id) {
            throw LabImageRequestError(message: "user and group ids must be between 1 and 65533, not \(id)")
        }
        for package in request.packages where !isPackageName(package) {
            throw LabImageRequestError(message: "'\(package)' is not a Debian package name (letters, digits, '+', '-', '.', optionally =VERSION)")
        }
        if let locale = request.locale, !isLocaleName(locale) {
            throw LabImageRequestError(message: "--locale takes a locale such as zh_CN.UTF-8 or en_US.UTF-8, not '\(locale)'")
        }
        if let timeZone = request.timeZone, !isTimeZoneName(timeZone) {
            throw LabImageRequestError(message: "--tz takes a time zone such as Asia/Shanghai or UTC, not '\(timeZone)'")
        }
        if let python = request.python, !isPythonVersion(python) {
            throw LabImageRequestError(message: "--python takes a version such as 3.10, not '\(python)'")
        }
        if let base = request.base, !ImageReferenceGrammar.isValid(base) {
            throw LabImageRequestError(message: "--base takes an image reference such as local/debian:12, not '\(base)'")
        }
        if request.base != nil && request.cudnn != nil {
            throw LabImageRequestError(message: "--cudnn picks an nvidia/cuda cudnn tag, so it cannot be used with --base")
        }
        if let os = request.os, !os.lowercased().hasPrefix("ubuntu"), request.base == nil {
            throw LabImageRequestError(message: "dockerkit new builds on apt: --os takes an Ubuntu release such as ubuntu22.04, not '\(os)'")
        }
    }

    private static func distribution(for request: LabImageRequest, cudaImage: CudaImage?) throws(LabImageRequestError) -> LabImageDistribution {
        if let base = request.base {
            if let os = request.os {
                guard let known = LabImageDistribution.known(os.lowercased()) else {
                    throw LabImageRequestError(message: "unknown --os '\(os)' for --base; known: ubuntu18.04 … ubuntu24.04, debian10 … debian13")
                }
                return known
            }
            return LabImageDistribution.guess(fromImage: base)
        }
        guard let cudaImage else { return .debianFamily }
        return LabImageDistribution.known(cudaImage.os) ?? .debianFamily
    }

    private static func templateValues(_ request: LabImageRequest, cudaImage: CudaImage?, baseImage: String, distribution: LabImageDistribution,
                                       framework: FrameworkInstall?, invocation: String, mirrors: MirrorCatalog) throws(LabImageRequestError) -> [String: TemplateValue] {
        var values: [String: TemplateValue] = [:]

        values.set("invocation", invocation)
        values.set("base_image", baseImage)
        values.flag("from_nvidia", request.base == nil)
        values.set("cuda_version", cudaImage?.version ?? "")
        values.set("cuda_flavor", cudaImage?.flavor ?? "")
        values.set("cudnn", cudaImage?.cudnnMajor.map { "cuDNN \($0)" } ?? "")
        values.set("os", distribution.name)
        values.set("image_tag", cudaImage.map { "lab:cuda\($0.version)-\($0.flavor)" } ?? "lab:latest")
        values.flag("cuda_status_unsupported", cudaImage?.status == .unsupported)
        values.flag("cuda_devel", cudaImage?.flavor == "devel")
        let supportedLine = cudaImage.flatMap { $0.status == .unsupported ? CudaImageCatalog.shared.publishedReplacement(for: $0)?.image.tag : nil }
        values.set("cuda_supported_line", supportedLine ?? "")
        // Choices the admin made on purpose are said in comments above FROM; the notes about them are not findings
        // on the file dockerkit wrote (DK304: devel on purpose, DK306: a CUDA version NVIDIA no longer updates).
        // DK406: with sshd, VNC or Jupyter the entrypoint starts as root to install keys and drops to the member's
        // account; without a --user there is no other account.
        let endsAsRoot = request.user == nil || request.ssh || request.vnc || request.jupyter
        let deliberate = [cudaImage?.flavor == "devel" ? "DK304" : nil, cudaImage?.status == .unsupported ? "DK306" : nil,
                          endsAsRoot ? "DK406" : nil].compactMap { $0 }
        values.set("deliberate_base_checks", deliberate.joined(separator: ","))

        try pythonValues(request, baseImage: baseImage, distribution: distribution, into: &values)
        let mirror = try mirrorValues(request, distribution: distribution, mirrors: mirrors, into: &values)
        var options = accountValues(request, distribution: distribution, mirror: mirror, into: &values)
        frameworkValues(request, framework: framework, into: &values)
        if let framework { options.append(framework.option) }
        if request.requirements != nil { options.append("requirements.txt") }
        if request.condaEnvironment != nil { options.append("environment.yml") }
        let what = request.base == nil ? cudaImage.map { "CUDA \($0.version) \($0.flavor) on \(distribution.name)" } ?? baseImage : "\(baseImage) (\(distribution.name))"
        values.set("description", "GPU lab image: \(what)" + (options.isEmpty ? "" : ", with \(options.joined(separator: " "))") + "; generated by dockerkit new")
        return values
    }

    /// Python: the distribution's own python3 in a venv, or Miniforge.
    private static func pythonValues(_ request: LabImageRequest, baseImage: String, distribution: LabImageDistribution,
                                     into values: inout [String: TemplateValue]) throws(LabImageRequestError) {
        if request.conda {
            values.set("conda_python", request.python ?? "")
        } else if let python = request.python {
            guard let shipped = distribution.pythonVersion else {
                throw LabImageRequestError(message: "the python3 of \(baseImage) is unknown to dockerkit; use --conda --python \(python) for that version, or --os to name the distribution")
            }
            guard shipped == python else {
                throw LabImageRequestError(message: "\(distribution.name) ships Python \(shipped), not \(python); use --python \(shipped), or --conda --python \(python)")
            }
        }
        values.flag("conda", request.conda)
        values.set("python_version", request.conda ? (request.python ?? "conda's default") : (distribution.pythonVersion ?? "the distribution's"))
        values.set("miniforge_version", miniforgeVersion)
        values.flag("jupyter", request.jupyter)
        values.set("jupyterlab_version", jupyterLabVersion)

    }

    /// The framework layer, and the layers of the admin's requirements file or conda environment.
    private static func frameworkValues(_ request: LabImageRequest, framework: FrameworkInstall?, into values: inout [String: TemplateValue]) {
        values.set("python_prefix", request.conda ? "/opt/conda" : "/opt/venv")
        values.set("framework_summary", framework?.summary ?? "")
        values["framework_packages"] = .list((framework?.pipArguments ?? []).map { .text($0) })
        values.set("framework_index_url", framework?.extraIndexURL ?? "")
        values.flag("requirements", request.requirements != nil)
        values.flag("conda_environment", request.condaEnvironment != nil)
        values.flag("pip_layers", !(framework?.pipArguments.isEmpty ?? true) || request.requirements != nil || request.condaEnvironment != nil)
    }

    /// Mirrors: apt hosts by distribution, plus pip, conda-forge and the Miniforge installer.
    private static func mirrorValues(_ request: LabImageRequest, distribution: LabImageDistribution, mirrors: MirrorCatalog,
                                     into values: inout [String: TemplateValue]) throws(LabImageRequestError) -> PackageMirror? {
        let mirror = request.mirror == "none" ? nil : mirrors.mirror(named: request.mirror)
        values.flag("mirror", mirror != nil)
        values.set("mirror_name", mirror?.name ?? "none")
        var aptRewrites: [TemplateValue] = []
        var pipIndexURL = ""
        var condaChannelURL = ""
        var miniforgeURL = ""
        if let mirror {
            for entry in mirror.entries where distribution.mirrorEcosystems.contains(entry.ecosystem) {
                // A --base image may not have CA certificates before its first apt run; apt checks signatures, so http is safe.
                let replacement = request.base != nil && entry.replacementURL.hasPrefix("https://")
                    ? "http://" + entry.replacementURL.dropFirst("https://".count) : entry.replacementURL
                aptRewrites.append(.record(["original": .text(entry.originalURL), "replacement": .text(replacement)]))
                if entry.ecosystem == "debian" && entry.originalURL.hasSuffix("/debian-security") {
                    // Older Debian releases name the security archive by this host.
                    aptRewrites.append(.record(["original": .text("http://security.debian.org/debian-security"), "replacement": .text(replacement)]))
                }
            }
            pipIndexURL = mirror.replacementURL(for: "pypi") ?? ""
            guard !aptRewrites.isEmpty, !pipIndexURL.isEmpty else {
                throw LabImageRequestError(message: "the \(mirror.name) mirror has no apt or pip URLs in dockerkit's table; choose another mirror")
            }
            // conda's custom_channels name the folder that holds the channel.
            if let forge = mirror.replacementURL(for: "conda-forge"), forge.hasSuffix("/conda-forge") {
                condaChannelURL = String(forge.dropLast("/conda-forge".count))
            }
            miniforgeURL = mirror.replacementURL(for: "miniforge") ?? ""
        }
        values["apt_rewrites"] = .list(aptRewrites)
        values["apt_files"] = .list(distribution.aptSourceFiles.map { .text($0) })
        values.flag("apt_mirror", !aptRewrites.isEmpty)
        values.set("pip_index_url", pipIndexURL)
        values.set("conda_channel_url", condaChannelURL)
        values.set("miniforge_mirror_url", miniforgeURL)
        values.flag("conda_mirror_missing", request.conda && mirror != nil && condaChannelURL.isEmpty)

        return mirror
    }

    /// Accounts and services; returns the options the header and the description name.
    private static func accountValues(_ request: LabImageRequest, distribution: LabImageDistribution, mirror: PackageMirror?,
                                      into values: inout [String: TemplateValue]) -> [String] {
        let user = request.user
        values.flag("user", user != nil)
        values.set("user_name", user ?? "root")
        values.set("uid", String(request.uid ?? 1000))
        values.set("gid", String(request.gid ?? request.uid ?? 1000))
        values.set("uid_in_image", user == nil ? "0" : String(request.uid ?? 1000))
        values.set("gid_in_image", user == nil ? "0" : String(request.gid ?? request.uid ?? 1000))
        values.set("home", user.map { "/home/\($0)" } ?? "/root")
        values.flag("sudo", request.sudo)
        values.flag("ssh", request.ssh)
        values.flag("vnc", request.vnc)
        values.flag("vnc_tools_package", distribution.hasTigerVNCTools == true)
        values.flag("vnc_tools_unknown", distribution.hasTigerVNCTools == nil)
        values.flag("entrypoint", request.ssh || request.vnc || request.jupyter)
        var ports: [TemplateValue] = []
        if request.ssh { ports.append(.record(["port": .text("22"), "what": .text("sshd (SSH_PORT)")])) }
        if request.vnc { ports.append(.record(["port": .text("6080"), "what": .text("noVNC (NOVNC_PORT)")])) }
        if request.jupyter { ports.append(.record(["port": .text("8888"), "what": .text("Jupyter (JUPYTER_PORT)")])) }
        values["ports"] = .list(ports)
        values["packages"] = .list((request.packages + (request.cjkFonts ? ["fonts-noto-cjk"] : [])).map { .text($0) })
        var options: [String] = []
        if request.ssh { options.append("ssh") }
        if request.vnc { options.append("vnc") }
        if request.jupyter { options.append("jupyter") }
        if request.conda { options.append("conda") }
        if let user { options.append("user=\(user)") }
        if request.sudo { options.append("sudo") }
        if let mirror { options.append("mirror=\(mirror.name)") }
        if let locale = request.locale { options.append("locale=\(locale)") }
        if let timeZone = request.timeZone { options.append("tz=\(timeZone)") }
        if request.cjkFonts { options.append("cjk-fonts") }
        values.set("options", options.joined(separator: " "))
        values.set("locale", request.locale ?? "")
        // localedef's input name and charmap: `zh_CN` and `UTF-8` for `zh_CN.UTF-8`.
        let localeParts = (request.locale ?? "").split(separator: ".", maxSplits: 1).map(String.init)
        values.set("locale_input", localeParts.first ?? "")
        values.set("locale_charmap", localeParts.count > 1 ? localeParts[1] : "UTF-8")
        values.set("time_zone", request.timeZone ?? "")
        return options
    }

    private static func isAccountName(_ name: String) -> Bool {
        let bytes = Array(name.utf8)
        guard let first = bytes.first, bytes.count <= 32, isLowercaseLetter(first) || first == UInt8(ascii: "_") else { return false }
        return bytes.allSatisfy { isLowercaseLetter($0) || isDigit($0) || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: "-") }
    }

    private static func isPackageName(_ package: String) -> Bool {
        let parts = package.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
        let name = Array(parts[0].utf8)
        guard let first = name.first, name.count >= 2, isLowercaseLetter(first) || isDigit(first) else { return false }
        guard name.allSatisfy({ isLowercaseLetter($0) || isDigit($0) || $0 == UInt8(ascii: "+") || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: ".") }) else { return false }
        guard parts.count == 2 else { return true }
        let version = Array(parts[1].utf8)
        return !version.isEmpty && version.allSatisfy { isLowercaseLetter($0) || isDigit($0) || ($0 >= 0x41 && $0 <= 0x5A) || ".+:~-".utf8.contains($0) }
    }

    private static func isPythonVersion(_ version: String) -> Bool {
        let parts = version.split(separator: ".", omittingEmptySubsequences: false)
        return (parts.count == 2 || parts.count == 3) && parts.allSatisfy { !$0.isEmpty && $0.utf8.allSatisfy(isDigit) }
    }

    private static func isLowercaseLetter(_ byte: UInt8) -> Bool { byte >= 0x61 && byte <= 0x7A }
    private static func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }
}

/// Why `dockerkit new` could not generate: a request that cannot be met, or a template that does not render.
public enum LabImageGenerationError: Error, Sendable {
    case request(LabImageRequestError)
    case template(TemplateError)
}

/// Templates held in memory, by name.
public struct InMemoryTemplates: TemplateSource {
    public let templates: [String: String]

    public init(templates: [String: String]) {
        self.templates = templates
    }

    public func template(named name: String) -> String? {
        templates[name]
    }
}

/// `ll_CC` or `ll_CC.CHARSET` (`zh_CN.UTF-8`, `en_US.UTF-8`), or `C.UTF-8`.
func isLocaleName(_ text: String) -> Bool {
    if text == "C.UTF-8" { return true }
    let parts = text.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
    let name = parts[0].split(separator: "_", omittingEmptySubsequences: false)
    guard name.count == 2, (2...3).contains(name[0].count), name[0].allSatisfy({ $0.isASCII && $0.isLowercase }),
          name[1].count == 2, name[1].allSatisfy({ $0.isASCII && $0.isUppercase }) else { return false }
    return parts.count == 1 || (!parts[1].isEmpty && parts[1].allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") })
}

/// A tz database name (`Asia/Shanghai`, `America/Argentina/Buenos_Aires`, `UTC`): path components of letters,
/// digits, `_`, `+` and `-`, never `.` or `..`.
func isTimeZoneName(_ text: String) -> Bool {
    let components = text.split(separator: "/", omittingEmptySubsequences: false)
    return !text.isEmpty && text.count <= 64 && components.allSatisfy { component in
        !component.isEmpty && component.first?.isLetter == true && component.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "_+-".contains($0)) }
    }
}

extension [String: TemplateValue] {
    mutating func set(_ name: String, _ text: String) { self[name] = .text(text) }
    mutating func flag(_ name: String, _ value: Bool) { self[name] = .flag(value) }
}
