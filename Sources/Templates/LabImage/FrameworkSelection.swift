import Knowledge

/// What a framework adds to a lab image: the pip arguments that install it, and the index its pinned wheels come from.
struct FrameworkInstall: Sendable, Equatable {
    /// One line for the Dockerfile's comment above the install.
    let summary: String
    /// `pip install --no-cache-dir` arguments; empty when the requirements file installs the framework itself.
    let pipArguments: [String]
    /// The index PyTorch's CUDA wheels come from, also given to the requirements layer.
    let extraIndexURL: String?
    /// For the image's description (`torch=2.5.1+cu124`).
    let option: String
}

/// Picks the CUDA tag, cuDNN, OS and Python a PyTorch or TensorFlow release needs, or checks the ones given.
struct FrameworkSelection {
    let cudaImages: CudaImageCatalog
    let frameworks: FrameworkCatalog

    /// Fills in the request's CUDA version, cuDNN, OS and (with conda) Python; nil when no framework is asked for.
    func resolve(_ request: inout LabImageRequest) throws(LabImageRequestError) -> FrameworkInstall? {
        if request.cudaVersion?.lowercased() == "auto" { request.cudaVersion = nil }
        let pins = request.requirements.map(FrameworkRequirements.init(requirementsFile:))
            ?? request.condaEnvironment.map(FrameworkRequirements.init(condaEnvironment:))
        let fileName = request.requirements != nil ? "requirements.txt" : "the conda environment"
        let torch = try version(asked: request.torch, pinned: pins?.pin(of: .torch), name: "PyTorch", option: "--torch", file: fileName)
        let tensorflow = try version(asked: request.tensorflow, pinned: pins?.pin(of: .tensorflow), name: "TensorFlow", option: "--tensorflow", file: fileName)
        if torch != nil && tensorflow != nil {
            throw LabImageRequestError(message: "PyTorch and TensorFlow want different CUDA builds; pick one of --torch and --tensorflow for the image")
        }
        if let torch {
            return try resolveTorch(torch, pinnedCuda: pins?.torchCuda, installedByFile: request.torch == nil, &request)
        }
        if let tensorflow {
            return try resolveTensorFlow(tensorflow, installedByFile: request.tensorflow == nil, &request)
        }
        return nil
    }

    /// The version asked for with an option, or pinned in the file; both must agree.
    private func version(asked: String?, pinned: FrameworkPin?, name: String, option: String, file: String) throws(LabImageRequestError) -> String? {
        if let asked {
            guard asked.first?.isNumber == true, asked.allSatisfy({ $0.isNumber || $0 == "." }) else {
                throw LabImageRequestError(message: "\(option) takes a \(name) version such as \(name == "PyTorch" ? "2.5 or 2.5.1" : "2.15 or 2.15.1"), not '\(asked)'")
            }
            if let pinned, pinned.version != asked && !pinned.version.hasPrefix(asked + ".") {
                throw LabImageRequestError(message: "\(option) \(asked) disagrees with \(file), which pins \(pinned.text)")
            }
            return pinned?.version ?? asked
        }
        return pinned?.version
    }

    private func resolveTorch(_ version: String, pinnedCuda: String?, installedByFile: Bool,
                              _ request: inout LabImageRequest) throws(LabImageRequestError) -> FrameworkInstall {
        guard let release = frameworks.torchRelease(version) else {
            throw LabImageRequestError(message: "PyTorch \(version) is not in dockerkit's table (\(Self.range(frameworks.torchReleases.map(\.version)))); see dockerkit new --list --torch")
        }
        let asked = request.cudaVersion.map(majorMinorVersion)
        if let asked, let pinnedCuda, asked != pinnedCuda {
            throw LabImageRequestError(message: "--cuda \(asked) disagrees with the requirements, which ask for PyTorch built for CUDA \(pinnedCuda)")
        }
        let wanted = asked ?? pinnedCuda
        let variants = release.variants.reversed().filter { wanted == nil || $0.cuda == wanted }
        let pythonCheck = try pythonFit(release, &request)
        let variant: TorchWheelVariant
        if let base = request.base {
            // The wheels bring their CUDA libraries, so any base with the NVIDIA driver mounted runs them.
            guard let newest = variants.first else {
                throw noImage(name: "PyTorch \(release.version)", builds: release.variants.map(\.cuda), wanted: wanted, request: request, fits: pythonCheck)
            }
            try checkPython(of: base, for: release, fits: pythonCheck, request: request)
            variant = newest
        } else {
            var fitting: (variant: TorchWheelVariant, image: CudaImage)?
            for candidate in variants {
                if let image = bestImage(cuda: candidate.cuda, request: request, fits: pythonCheck) {
                    fitting = (candidate, image)
                    break
                }
            }
            guard let fitting else {
                throw noImage(name: "PyTorch \(release.version)", builds: release.variants.map(\.cuda), wanted: wanted, request: request, fits: pythonCheck)
            }
            variant = fitting.variant
            request.cudaVersion = fitting.image.version
            request.os = fitting.image.os
        }
        let label = variant.label
        return FrameworkInstall(
            summary: "PyTorch \(release.version) with its wheels for CUDA \(variant.cuda) (\(label)) from PyTorch's index; torchvision and torchaudio at the versions released with it.",
            pipArguments: installedByFile ? [] : ["torch==\(release.version)+\(label)", "torchvision==\(release.torchvision)+\(label)", "torchaudio==\(release.torchaudio)"],
            extraIndexURL: variant.indexURL, option: "torch=\(release.version)+\(label)")
    }

    private func resolveTensorFlow(_ version: String, installedByFile: Bool, _ request: inout LabImageRequest) throws(LabImageRequestError) -> FrameworkInstall {
        guard let release = frameworks.tensorflowRelease(version) else {
            throw LabImageRequestError(message: "TensorFlow \(version) is not in dockerkit's table (\(Self.range(frameworks.tensorflowReleases.map(\.version)))); see dockerkit new --list --tensorflow")
        }
        if request.base != nil && !release.bringsCuda {
            throw LabImageRequestError(message: "TensorFlow \(release.version) loads CUDA \(release.cuda) and cuDNN \(release.cudnn) from the image, so it needs an nvidia/cuda base; leave --base out, or take TensorFlow 2.14 or later")
        }
        if let asked = request.cudaVersion.map(majorMinorVersion), asked != release.cuda {
            throw LabImageRequestError(message: "TensorFlow \(release.version) was built and tested with CUDA \(release.cuda) and cuDNN \(release.cudnn), not CUDA \(asked); use --cuda \(release.cuda) or leave --cuda out")
        }
        if !release.bringsCuda {
            // Before 2.14 TensorFlow loads the image's cuDNN, so the tag must carry the one it was built with.
            if let cudnn = request.cudnn, !cudnn.isEmpty, cudnn != release.cudnnMajor {
                throw LabImageRequestError(message: "TensorFlow \(release.version) needs cuDNN \(release.cudnn), not cuDNN \(cudnn)")
            }
            request.cudnn = release.cudnnMajor
        }
        let pythonCheck = try pythonFit(release, &request)
        if let base = request.base {
            try checkPython(of: base, for: release, fits: pythonCheck, request: request)
        } else {
            guard let image = bestImage(cuda: release.cuda, request: request, fits: pythonCheck) else {
                throw noImage(name: "TensorFlow \(release.version)", builds: [release.cuda], wanted: nil, request: request, fits: pythonCheck)
            }
            request.cudaVersion = image.version
            request.os = image.os
        }
        let package = release.bringsCuda ? "tensorflow[and-cuda]==\(release.version)" : "tensorflow==\(release.version)"
        let summary = release.bringsCuda
            ? "TensorFlow \(release.version), built with CUDA \(release.cuda) and cuDNN \(release.cudnn), which [and-cuda] installs as pip packages."
            : "TensorFlow \(release.version), built with CUDA \(release.cuda) and cuDNN \(release.cudnn), which it loads from this image."
        return FrameworkInstall(summary: summary, pipArguments: installedByFile ? [] : [package], extraIndexURL: nil, option: "tensorflow=\(release.version)")
    }

    /// How an OS's Python is judged: with conda, the Python conda installs (chosen here when not given).
    private func pythonFit(_ release: some FrameworkRelease, _ request: inout LabImageRequest) throws(LabImageRequestError) -> PythonFit {
        if let python = request.python, !release.supportsPython(python) {
            throw LabImageRequestError(message: "\(release.name) supports Python \(release.pythonMinimum) to \(release.pythonMaximum), not \(python)")
        }
        let maximum = release.pythonMaximum
        if request.conda {
            // conda-forge's newest Python may be newer than the framework's wheels; take the newest the framework has.
            if request.python == nil { request.python = compareVersions(maximum, "3.12") == .orderedDescending ? "3.12" : maximum }
            return PythonFit(minimum: release.pythonMinimum, maximum: maximum, fixed: true, supports: { _ in true })
        }
        let asked = request.python
        return PythonFit(minimum: release.pythonMinimum, maximum: maximum, fixed: false, supports: { os in
            guard let shipped = LabImageDistribution.known(os)?.pythonVersion else { return false }
            return release.supportsPython(shipped) && (asked == nil || asked == shipped)
        })
    }

    /// On a `--base` image of a known distribution, its python3 (or the one asked for) must be one the release supports.
    private func checkPython(of base: String, for release: some FrameworkRelease, fits: PythonFit, request: LabImageRequest) throws(LabImageRequestError) {
        guard !fits.fixed, let shipped = LabImageDistribution.guess(fromImage: base).pythonVersion, !release.supportsPython(request.python ?? shipped) else { return }
        throw LabImageRequestError(message: "\(release.name) supports Python \(release.pythonMinimum) to \(release.pythonMaximum); \(base) ships \(shipped); add --conda --python \(release.pythonMaximum)")
    }

    /// The newest generatable tag of a CUDA line that has the request's flavor, cuDNN and OS and a Python that fits.
    private func bestImage(cuda: String, request: LabImageRequest, fits: PythonFit) -> CudaImage? {
        let flavor = request.flavor ?? "runtime"
        return cudaImages.images.filter { image in
            guard image.isGeneratable, image.minorVersion == cuda, image.flavor == flavor else { return false }
            if let cudnn = request.cudnn {
                guard let major = image.cudnnMajor, cudnn.isEmpty || major == cudnn else { return false }
            } else if image.cudnn != nil {
                return false
            }
            if let os = request.os, image.os != os.lowercased() { return false }
            return fits.supports(image.os)
        }.max { left, right in
            let order = compareVersions(left.version, right.version)
            return order == .orderedSame ? compareVersions(left.os, right.os) == .orderedAscending : order == .orderedAscending
        }
    }

    private func noImage(name: String, builds: [String], wanted: String?, request: LabImageRequest, fits: PythonFit) -> LabImageRequestError {
        if let wanted, !builds.contains(wanted) {
            let working = builds.reversed().compactMap { cuda in bestImage(cuda: cuda, request: request, fits: fits).map { "--cuda \(cuda) (nvidia/cuda:\($0.tag))" } }
            let advice = working.first.map { "; \($0) would work" } ?? ""
            return LabImageRequestError(message: "\(name) has no wheels for CUDA \(wanted); its CUDA builds: \(builds.joined(separator: ", "))\(advice)")
        }
        let flavor = request.flavor ?? "runtime"
        let lines = (wanted.map { [$0] } ?? builds).joined(separator: ", ")
        if !fits.fixed {
            return LabImageRequestError(message: "no published nvidia/cuda \(flavor) tag of CUDA \(lines)\(request.os.map { " on \($0)" } ?? "") ships a Python that \(name) supports (\(fits.minimum) to \(fits.maximum))\(request.python.map { " and is \($0)" } ?? ""); add --conda --python \(fits.maximum)")
        }
        return LabImageRequestError(message: "no published nvidia/cuda \(flavor) tag of CUDA \(lines) has the cuDNN and OS asked for; see dockerkit new --list")
    }

    private struct PythonFit {
        let minimum: String
        let maximum: String
        /// conda brings its own Python, so the OS's does not matter.
        let fixed: Bool
        let supports: (String) -> Bool
    }

    private static func range(_ versions: [String]) -> String {
        guard let first = versions.first, let last = versions.last else { return "empty" }
        return "\(majorMinorVersion(first)) to \(majorMinorVersion(last))"
    }
}
